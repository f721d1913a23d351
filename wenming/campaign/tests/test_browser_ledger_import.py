"""Browser: an inspector downloads the ledger template, uploads an inspection
round's problems, follows the import and opens the imported problems."""

from datetime import timedelta

import pytest
from django.utils import timezone

from wenming.campaign.tests.factories import make_campaign, make_site
from wenming.campaign.tests.test_ledger_import import HEADERS, _xlsx
from wenming.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_inspector_imports_a_round_of_problems(page, people, world):
    make_campaign(people["admin"])
    make_site(people["admin"], world)
    make_site(people["admin"], world, name="德化街", category="背街小巷", unit="street")
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    sheet = _xlsx([
        ["五一路农贸市场", "川汇区", "1.1.1", "东门外占道经营，果蔬摊位摆出店外", "较重", "", due, ""],
        ["德化街", "", "1.2.1", "巷口垃圾堆积未清运", "", "", "", ""],
    ], headers=HEADERS).read()

    browser_login(page, "ivan")
    page.get_by_text("您好").wait_for()
    page.goto(page.base_url + "/campaign/")
    page.get_by_role("link", name="导入台账").click()
    page.get_by_role("heading", name="从 Excel 导入台账").wait_for()
    with page.expect_download() as template:
        page.get_by_role("link", name="下载模板").click()
    assert template.value.suggested_filename == "台账导入模板.xlsx"
    page.get_by_label("台账表（.xlsx 或 .csv）").set_input_files(files=[{
        "name": "第三轮暗访问题.xlsx", "buffer": sheet,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    screenshot(page, "ledger-import-1-upload")
    page.get_by_role("button", name="导入").click()
    page.get_by_role("heading", name="导入台账：第三轮暗访问题.xlsx").wait_for()
    page.get_by_text("台账已导入：2个问题已登记并交办责任单位。").wait_for(timeout=60_000)
    screenshot(page, "ledger-import-2-done")
    page.get_by_role("link", name="查看导入的记录").click()
    page.get_by_text("东门外占道经营，果蔬摊位摆出店外").wait_for()
    assert page.get_by_text("巷口垃圾堆积未清运").is_visible()
    screenshot(page, "ledger-import-3-ledger")
