import pytest

from wenming.briefings.models import Issue
from wenming.briefings.tests.seed import SEED_NAME
from wenming.conftest import browser_login, screenshot
from wenming.core.testing import shared_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.urls("wenming.briefings.tests.import_urls")]


def test_editor_imports_a_legacy_issue_from_a_phone(page, people):
    browser_login(page, "emma")
    page.get_by_text("您好").wait_for()
    page.goto(page.base_url + "/briefings/import/")
    page.get_by_label("简报文件").set_input_files(str(shared_file(*SEED_NAME)))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_role("heading", name="识别结果").wait_for()
    assert page.get_by_text("《周口精神文明建设》简报").is_visible()
    screenshot(page, "import-1-preview-phone")

    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "import-2-preview-desktop")
    page.get_by_role("button", name="确认导入并发布").click()
    page.get_by_text("已导入并发布").wait_for()
    screenshot(page, "import-3-imported")
    issue = Issue.objects.get()
    assert issue.status == Issue.Status.PUBLISHED


def test_a_missing_number_is_shown_beside_its_line_and_typed_in(page, people, tmp_path):
    text = shared_file(*SEED_NAME).read_text(encoding="utf-8").replace("第 1 期", "")
    path = tmp_path / "缺期号.txt"
    path.write_text(text, encoding="utf-8")
    browser_login(page, "emma")
    page.get_by_text("您好").wait_for()
    page.goto(page.base_url + "/briefings/import/")
    page.get_by_label("简报文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_role("heading", name="需要人工核对的地方").wait_for()
    assert "has-warning" in page.locator("#L3").get_attribute("class")
    assert "中没有期号" in page.locator("#L3").inner_text()
    screenshot(page, "import-4-warning-phone")
    page.locator("#id_number").fill("1")
    page.get_by_role("button", name="更新预览").click()
    page.get_by_role("button", name="确认导入并发布").click()
    page.get_by_text("已导入并发布").wait_for()
    assert Issue.objects.get().number == 1
