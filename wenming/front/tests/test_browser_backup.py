"""Browser: the office administrator starts a backup from 系统备份, watches
its progress, and downloads the archive. The queue is the real database
backend, run by a worker thread."""

import json
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from wenming.conftest import browser_login, screenshot
from wenming.tasks.tests.test_browser_tasks import worker  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_backs_up_from_the_page_and_downloads_it(page, people, worker):  # noqa: F811
    for n in range(300):
        default_storage.save(f"photos/2024/{n:03d}.jpg", ContentFile(b"\xff\xd8" + bytes(2000)))

    browser_login(page, "alice")
    page.get_by_text("您好").wait_for()
    page.get_by_text("菜单").click()
    page.get_by_role("navigation", name="手机导航").get_by_role("link", name="系统备份").click()
    page.get_by_role("heading", name="系统备份").wait_for()
    page.get_by_role("button", name="开始备份").click()
    page.get_by_role("heading", name="系统备份").wait_for()
    page.get_by_text("排队中").wait_for()
    worker.start()

    # The bar follows the tables, then the files; on a quiet machine the
    # worker may finish between two polls, and the bar is then full.
    progress = page.locator("#task-progress")
    progress.filter(has_text=re.compile("正在导出数据表|正在打包|已完成")).wait_for(timeout=60_000)
    screenshot(page, "backup-1-progress")
    text = progress.inner_text()
    if "正在打包" in text:
        assert page.locator("progress").get_attribute("max") == "300"

    page.get_by_text("备份完成").wait_for(timeout=120_000)
    assert "上传文件300个" in progress.inner_text()
    screenshot(page, "backup-2-done")
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("下载结果")).click()
    assert download.value.suggested_filename.startswith("wenming-backup-")
    with zipfile.ZipFile(download.value.path()) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["files"] == 300 and manifest["rows"]["accounts.User"] == len(people)

    page.goto(page.base_url + "/system/backups/")
    page.get_by_role("link", name=re.compile("下载 wenming-backup-")).wait_for()
    screenshot(page, "backup-3-list")
