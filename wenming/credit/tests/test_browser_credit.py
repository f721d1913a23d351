from datetime import date, timedelta

import pytest

from wenming.accounts import roles
from wenming.accounts.tests.factories import make_user
from wenming.conftest import browser_login, screenshot
from wenming.credit.models import CreditList
from wenming.credit.tests.factories import code, legal_row, make_list, sheet_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _login(page, username):
    browser_login(page, username)
    page.get_by_text("您好").wait_for()


def _logout(page):
    page.context.clear_cookies()


def _attach(page, rows, name="红名单报送表.xlsx"):
    page.get_by_label("报送表（.xlsx 或 .csv）").set_input_files(
        files=[{"name": name, "mimeType": XLSX, "buffer": sheet_bytes(rows)}])


def test_department_upload_to_published_list(page, people, world):
    make_user("dora", roles.LIAISON, unit=world["dept"], full_name="刘联络")
    credit_list = make_list(people["editor"])
    good = [legal_row("周口市鑫源食品有限公司", code(1), "产品质量诚信"),
            legal_row("七一路农贸市场", code(2), "诚信示范市场", kind="市场"),
            legal_row("华泰商贸有限公司", code(3), "守合同重信用")]

    # The market-supervision liaison uploads from a phone: first a sheet with
    # mistakes, which is refused whole with the errors by row and column.
    _login(page, "dora")
    page.goto(page.base_url + "/credit/manage/")
    page.get_by_role("link", name=credit_list.title).click()
    page.get_by_role("button", name="下载报送模板").wait_for()
    _attach(page, good[:2] + [legal_row("华泰商贸有限公司", "91411602MA9F3K2L2X", "守合同重信用")])
    page.get_by_role("button", name="上传并导入").click()
    # The sheet is checked in the background; the task page gives the outcome.
    page.get_by_text("处错误，未导入任何数据").wait_for()
    assert "第6行“统一社会信用代码”列（B列）" in page.content()
    screenshot(page, "credit-1-liaison-upload-errors")
    page.go_back()
    _attach(page, good)
    page.get_by_role("button", name="上传并导入").click()
    page.get_by_text("已导入市市场监督管理局报送的3条记录").wait_for()
    screenshot(page, "credit-2-liaison-uploaded")
    page.get_by_role("link", name="查看导入的记录").click()
    page.get_by_text("七一路农贸市场").first.wait_for()
    _logout(page)

    # The office editor reviews and puts the list on public notice.
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, "emma")
    page.goto(page.base_url + f"/credit/manage/lists/{credit_list.pk}/")
    page.get_by_role("button", name="提交审核").click()
    page.get_by_text("已提交审核。").wait_for()
    page.get_by_label("公示期（天）").fill("7")
    page.get_by_role("button", name="开始公示").click()
    page.get_by_text("已开始公示。").wait_for()
    screenshot(page, "credit-3-editor-notice")
    _logout(page)

    # Seven days later the approver publishes it.
    CreditList.objects.filter(pk=credit_list.pk).update(
        notice_start=date.today() - timedelta(days=8), notice_end=date.today() - timedelta(days=1))
    _login(page, "adam")
    page.goto(page.base_url + f"/credit/manage/lists/{credit_list.pk}/")
    page.get_by_role("button", name="发布").click()
    page.get_by_text("已发布。").wait_for()
    screenshot(page, "credit-4-approver-published")
    _logout(page)

    # The public reads it on a phone.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(page.base_url + "/credit/")
    page.get_by_text("1 个市场、2 家企业被列入法人红名单。").wait_for()
    page.get_by_role("link", name=credit_list.title).click()
    page.get_by_role("heading", name=credit_list.title).wait_for()
    assert "七一路农贸市场" in page.content() and "文明信〔" in page.content()
    screenshot(page, "credit-5-public-list")
    page.goto(page.base_url + "/credit/lookup/?q=鑫源食品")
    page.get_by_text("周口市鑫源食品有限公司").first.wait_for()
    screenshot(page, "credit-6-public-lookup")
    assert CreditList.objects.get(pk=credit_list.pk).status == CreditList.Status.PUBLISHED
