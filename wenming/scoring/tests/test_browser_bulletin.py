"""The monthly bulletin as the office makes it: an editor generates it and
places it into a briefing issue, the approver publishes it, and a later
correction is issued as a new number."""

import pytest

from wenming.briefings.tests.factories import make_series, small_issue
from wenming.conftest import browser_login, screenshot
from wenming.scoring.models import Bulletin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_generates_places_and_corrects_a_bulletin(page, browser, live_server, people,
                                                         ledger):
    issue = small_issue(people["editor"], make_series(people["admin"]))
    browser_login(page, "emma")
    page.get_by_text("您好").wait_for()
    page.goto(page.base_url + "/scoring/bulletins/")
    page.get_by_label("通报类型").select_option("month")
    page.get_by_label("周期内任一日").fill("2024-01-15")
    page.get_by_role("button", name="生成通报").click()
    page.get_by_role("heading", name="关于2024年1月创建工作情况的通报").wait_for()
    assert page.get_by_text("共督查发现问题5个").is_visible()
    assert page.locator("table").first.get_by_text("淮阳区").is_visible()
    screenshot(page, "scoring-bulletin-draft")

    page.get_by_role("link", name="作为稿件编入简报").click()
    page.get_by_label("编入栏目").select_option(
        label=f"《{issue.series.title}》{issue.year}年{issue.number_text}·工作动态")
    page.get_by_role("button", name="编入简报").click()
    page.get_by_text("已编入简报").wait_for()
    assert page.get_by_text("关于2024年1月创建工作情况的通报").first.is_visible()

    # The approver signs it off.
    bulletin = Bulletin.objects.get()
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    approver = other.new_page()
    approver.base_url = live_server.url
    browser_login(approver, "adam")
    approver.get_by_text("您好").wait_for()
    approver.goto(f"{live_server.url}/scoring/bulletins/{bulletin.pk}/")
    approver.get_by_role("button", name="发布").click()
    approver.get_by_text("通报已发布").wait_for()
    other.close()

    # A mistake is found: the editor issues a correction, numbered next.
    page.goto(f"{page.base_url}/scoring/bulletins/{bulletin.pk}/")
    page.get_by_text("发布更正").first.click()
    page.get_by_label("更正说明").fill("德化社区逾期天数统计有误，予以更正。")
    page.get_by_role("button", name="发布更正").click()
    page.get_by_text("已生成更正稿").wait_for()
    page.get_by_text("更正第1期").wait_for()
    assert page.get_by_text("第2期（草稿）").is_visible()
    screenshot(page, "scoring-bulletin-correction")
    page.goto(page.base_url + "/scoring/bulletins/")
    page.get_by_text("已被第2期更正").wait_for()
    screenshot(page, "scoring-bulletin-list")
