"""The liaison's day on a phone (375×812, touch): the unread count in the
header, the inbox, the message to the newly assigned problem, the fix sent
with a photo; then the office's inspector finds the re-inspection waiting
in their own inbox. No page is wider than the screen."""

import pytest

from wenming.campaign.models import Problem
from wenming.campaign.tests.factories import dispatched, jpeg, make_campaign, make_site
from wenming.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(viewport={"width": 375, "height": 812}, has_touch=True,
                                  is_mobile=True, device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    yield page
    context.close()


def _fits(page):
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{page.url} is {scroll}px wide on a {inner}px screen"


def _step(page, name):
    _fits(page)
    screenshot(page, name)


def test_liaisons_day_from_message_to_rectification(phone, people, world, tmp_path):
    make_campaign(people["admin"])
    problem = dispatched(people, make_site(people["admin"], world))
    page = phone

    browser_login(page, "bob")
    page.get_by_text("您好").wait_for()
    badge = page.locator(".site-header .inbox-badge")
    badge.locator(".badge").get_by_text("1").wait_for()
    _step(page, "liaison-day-1-unread-count")

    badge.tap()
    message = page.locator(".inbox-list .unread").get_by_role(
        "link", name=f"新交办问题：{problem}")
    message.wait_for()
    _step(page, "liaison-day-2-inbox")

    message.tap()
    page.wait_for_url(f"**/campaign/problems/{problem.pk}/")
    page.get_by_label("整改情况").wait_for()
    _step(page, "liaison-day-3-problem")
    assert badge.locator(".badge").count() == 0  # read on opening

    photo = tmp_path / "after.jpg"
    photo.write_bytes(jpeg("green", size=(1200, 900)))
    page.get_by_label("整改情况").fill("已清理占道摊位，安排专人值守")
    page.get_by_label("整改后照片").set_input_files(str(photo))
    page.get_by_role("button", name="提交整改").tap()
    page.get_by_text("整改情况已提交，等待复查。").wait_for()
    _step(page, "liaison-day-4-rectification-sent")
    problem.refresh_from_db()
    assert problem.status == Problem.Status.SUBMITTED

    page.context.clear_cookies()
    browser_login(page, "ivan")
    page.get_by_text("您好").wait_for()
    page.locator(".site-header .inbox-badge .badge").get_by_text("1").wait_for()
    page.locator(".site-header .inbox-badge").tap()
    waiting = page.get_by_role("link", name=f"整改待复查：{problem}")
    waiting.wait_for()
    assert "川汇区已提交整改" in waiting.inner_text()
    _step(page, "liaison-day-5-inspector-inbox")
    waiting.tap()
    page.get_by_label("复查意见").wait_for()
    _step(page, "liaison-day-6-reinspection")


def test_liaison_chooses_sms_from_the_account_menu(phone, people):
    bob = people["liaison"]
    bob.phone = "13800000001"
    bob.save()
    page = phone
    browser_login(page, "bob")
    page.get_by_text("您好").wait_for()
    page.locator("details.nav-menu summary").tap()
    page.locator("details.nav-menu").get_by_role("link", name="消息设置").tap()
    page.get_by_label("短信提醒").check()
    page.get_by_label("单位群机器人（企业微信/钉钉）消息中@我").uncheck()
    _step(page, "liaison-day-7-channels")
    page.get_by_role("button", name="保存").tap()
    page.get_by_text("消息设置已保存。").wait_for()
    _step(page, "liaison-day-8-channels-saved")
    assert page.get_by_label("短信提醒").is_checked()
    assert not page.get_by_label("单位群机器人（企业微信/钉钉）消息中@我").is_checked()
