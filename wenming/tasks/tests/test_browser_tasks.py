"""Browser: a staff member screens a large file in the background, watches
the progress bar, leaves, comes back through 我的任务 and downloads the
result. The queue is the real database backend, run by a worker thread."""

import io
import re
import threading
import time

import pytest
from django.db import OperationalError, connections
from django_tasks_db.utils import is_locked_database_exception
from openpyxl import load_workbook

from wenming.conftest import browser_login, screenshot
from wenming.credit.tests.factories import code, csv_bytes, legal_row, published_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    """A db_worker loop in a thread of the test process (the test database
    lives in this process's memory)."""
    from django_tasks_db.management.commands.db_worker import Worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    loop = Worker(queue_names=["default"], interval=0.2, batch=False, backend_name="default",
                  startup_delay=False, max_tasks=None, worker_id="browser-test",
                  excluded_queue_names=[])

    def run():
        # The shared in-memory test database answers "table is locked" at
        # once instead of waiting as a database file does; the worker's
        # BEGIN EXCLUSIVE sits outside its own retry, so retry it here.
        try:
            while loop.running:
                try:
                    loop.run()
                except OperationalError as e:
                    if not is_locked_database_exception(e):
                        raise
                    time.sleep(0.1)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, daemon=True)
    yield thread
    loop.running = False
    thread.join(30)


def test_staff_screens_a_large_file_and_fetches_the_result_later(page, people, world, worker):
    published_list(people, world, [legal_row("周口市鑫源食品有限公司", code(1))])
    rows = [[f"周口市第{n}号商贸有限公司", ""] for n in range(1, 50_001)]
    rows[12_345] = ["周口市鑫源食品有限公司", code(1)]
    content = csv_bytes(rows, headers=["名称", "统一社会信用代码"])

    browser_login(page, "emma")
    page.get_by_text("您好").wait_for()
    page.goto(page.base_url + "/credit/manage/screen/")
    page.get_by_label("待筛查名单").set_input_files(
        files=[{"name": "评优候选单位.csv", "mimeType": "text/csv", "buffer": content}])
    page.get_by_role("button", name="筛查并下载结果").click()
    page.get_by_role("heading", name="名单筛查：评优候选单位.csv").wait_for()
    page.get_by_text("排队中").wait_for()
    worker.start()

    # The bar fills while the rows are compared. On a quiet machine the
    # worker may finish between two polls: then the bar is checked full.
    progress = page.locator("#task-progress")
    progress.filter(has_text=re.compile("正在比对第|已完成")).wait_for(timeout=60_000)
    bar = page.locator("progress")
    if "正在比对第" in progress.inner_text():
        assert 0 < int(bar.get_attribute("value") or 0) <= 50_000
        assert bar.get_attribute("max") == "50000"
    screenshot(page, "tasks-1-progress")

    # She leaves, and comes back through the menu.
    page.goto(page.base_url + "/")
    page.get_by_text("菜单").click()
    page.get_by_role("navigation", name="手机导航").get_by_role("link", name="我的任务").click()
    page.get_by_role("heading", name="我的任务").wait_for()
    screenshot(page, "tasks-2-my-tasks")
    page.get_by_role("link", name="名单筛查：评优候选单位.csv").click()
    page.get_by_text("共筛查50000行：命中1行").wait_for(timeout=120_000)
    screenshot(page, "tasks-3-done")
    with page.expect_download() as download:
        page.get_by_role("button", name="下载结果").click()
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    hits = [r for r in book["筛查结果"].iter_rows(values_only=True) if r[4] == "命中"]
    assert [(r[0], r[5]) for r in hits] == [(12_347, "周口市鑫源食品有限公司")]
    # (No ORM read here: the worker thread still polls the in-memory test
    # database, whose shared-cache locks would refuse this thread.)
    assert "已完成" in page.locator("#task-progress").inner_text()
