"""Browser: an editor uploads three legacy issues at once, watches them being
parsed in the background, opens the result and imports the clean ones in
one click. The queue is the real database backend, run by a worker thread."""

from pathlib import Path

import pytest

from wenming.briefings.tests.seed import SEED_NAME
from wenming.conftest import browser_login, screenshot
from wenming.core.testing import shared_file
from wenming.tasks.tests import test_browser_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def worker(transactional_db, settings):
    """The tasks' browser-test worker thread, with a way to stop it early:
    on the in-memory test database its polling is refused ("table is
    locked") while the live server holds a long write, which a real
    deployment's worker simply waits out."""
    fixture = test_browser_tasks.worker.__wrapped__(settings)
    thread = next(fixture)
    thread.stop = lambda: next(fixture, None)
    yield thread
    thread.stop()


def test_editor_imports_three_legacy_issues_at_once(page, people, worker):
    files = [("第1期.txt", shared_file(*SEED_NAME).read_bytes()),
             ("川汇动态.txt", (DATA / "gbk_flat_toc.txt").read_bytes()),
             ("淮阳简报.txt", (DATA / "county_four_columns.txt").read_bytes())]
    browser_login(page, "emma")
    page.get_by_text("您好").wait_for()
    page.goto(page.base_url + "/briefings/import/")
    page.get_by_label("简报文件").set_input_files(files=[
        {"name": name, "mimeType": "text/plain", "buffer": content} for name, content in files])
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_role("heading", name="识别旧简报：3个上传文件").wait_for()
    page.get_by_text("排队中").wait_for()
    screenshot(page, "import-batch-1-queued")
    worker.start()

    progress = page.locator("#task-progress")
    progress.filter(has_text="已识别3个文件").wait_for(timeout=60_000)
    assert "2个可直接导入，1个需要核对，0个无法识别" in progress.inner_text()
    screenshot(page, "import-batch-2-parsed")

    page.get_by_role("link", name="查看识别结果").click()
    page.get_by_role("heading", name="批量导入旧简报").wait_for()
    assert page.get_by_text("《周口精神文明建设》2024年第1期 · 2024年1月10日").is_visible()
    assert page.get_by_text("以下内容没有对应的字段，未导入：责任编辑：王芳").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "import-batch-3-result")

    page.get_by_role("button", name="导入识别无误的2个文件").click()
    page.locator("#task-progress").filter(has_text="已导入并发布2期简报").wait_for(
        timeout=120_000)
    page.get_by_role("link", name="查看导入结果").click()
    page.get_by_role("heading", name="批量导入旧简报").wait_for()
    assert page.get_by_role("link", name="《周口精神文明建设》2024年第1期").is_visible()
    assert page.get_by_text("需要核对").is_visible()
    screenshot(page, "import-batch-4-imported")

    # The one left to check opens in the usual preview (no task needed).
    worker.stop()
    page.get_by_role("link", name="预览并核对").click()
    page.get_by_role("heading", name="导入预览").wait_for()
    page.get_by_role("button", name="确认导入并发布").click()
    page.get_by_text("已导入并发布").first.wait_for()
    assert page.get_by_role("heading", name="批量导入旧简报").is_visible()
    assert page.get_by_text("需要核对").count() == 0
