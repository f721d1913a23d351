from datetime import date, timedelta

import pytest

from wenming.conftest import browser_login, screenshot
from wenming.credit import services
from wenming.credit.models import Listing, Objection
from wenming.credit.tests.factories import code, legal_row, make_list, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_objects_during_notice_and_staff_handle_it(page, people, world, settings):
    # A person fills the form faster in a test than by hand.
    settings.WENMING_PUBLIC_FORM_MIN_SECONDS = 0
    credit_list = make_list(people["editor"], year=2024, color="black")
    upload(people["editor"], credit_list, world["dept"], [
        legal_row("周口市鑫源食品有限公司", code(1), "市场监管行政处罚", detail="销售过期食品"),
        legal_row("华泰药房有限公司", code(2), "食品药品安全违法"),
    ])
    services.submit_for_review(people["editor"], credit_list)
    services.start_notice(people["editor"], credit_list, days=7,
                          today=date.today() - timedelta(days=1))

    # A citizen on a phone finds the list on notice and objects to one entity.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(page.base_url + "/credit/")
    page.get_by_role("link", name=f"{credit_list.title}公示").click()
    page.get_by_text("公示期：").first.wait_for()
    screenshot(page, "credit-notice-1-public-notice")
    page.get_by_role("button", name="提出异议").click()
    page.get_by_label("对哪一主体提出异议").select_option(label=f"周口市鑫源食品有限公司（{code(1)}）")
    page.get_by_label("姓名或单位名称").fill("李明")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("异议内容").fill("该处罚决定已于今年3月经行政复议撤销，不应列入黑名单。")
    page.get_by_role("button", name="提交异议").click()
    page.get_by_role("heading", name="您的异议已提交").wait_for()
    objection = Objection.objects.get()
    assert objection.tracking_code in page.content()
    screenshot(page, "credit-notice-2-objection-received")
    page.context.clear_cookies()

    # The office editor finds it among the objections to handle and upholds it.
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, "emma")
    page.get_by_text("您好").wait_for()
    page.goto(page.base_url + f"/credit/manage/lists/{credit_list.pk}/")
    page.get_by_role("heading", name="待处理异议").wait_for()
    page.get_by_role("link", name="周口市鑫源食品有限公司").first.click()
    page.get_by_text(objection.tracking_code).wait_for()
    page.get_by_label("异议成立，不予列入").check()
    page.get_by_label("处理意见").fill("经市场监管局核实，处罚决定已撤销，不予列入。")
    page.get_by_role("button", name="处理异议").click()
    page.get_by_text("异议已处理。").wait_for()
    screenshot(page, "credit-notice-3-staff-resolved")
    page.context.clear_cookies()

    # The citizen looks the outcome up with the code.
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(page.base_url + "/credit/track/")
    page.get_by_label("查询码").fill(objection.tracking_code.lower())
    page.get_by_role("button", name="查询").click()
    page.get_by_text("已办结：异议成立").wait_for()
    screenshot(page, "credit-notice-4-citizen-status")
    assert Listing.objects.get(entity__code=code(1)).status == Listing.Status.WITHDRAWN
