"""The monthly bulletin as the office makes it: an editor generates and
submits it, the approver signs it off with an opinion and publishes it
after confirming, and a later correction is issued as a new number."""

import pytest

from wenming.conftest import browser_login, screenshot
from wenming.scoring.models import Bulletin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_bulletin_from_draft_to_publication_with_sign_off(page, browser, live_server, people,
                                                            ledger):
    browser_login(page, "emma")
    page.get_by_text("您好").wait_for()
    page.goto(page.base_url + "/scoring/bulletins/")
    page.get_by_label("通报类型").select_option("month")
    page.get_by_label("周期内任一日").fill("2024-01-15")
    page.get_by_role("button", name="生成通报").click()
    page.get_by_role("heading", name="关于2024年1月创建工作情况的通报").wait_for()
    assert page.get_by_text("本通报数据截至2024年1月31日").is_visible()
    assert page.get_by_text("共督查发现问题5个").is_visible()
    screenshot(page, "scoring-bulletin-draft")
    assert page.locator("table").first.get_by_text("淮阳区").is_visible()
    page.get_by_role("button", name="提交签发").click()
    page.get_by_text("已提交签发").wait_for()
    assert page.get_by_text("第1期（待签发）").is_visible()

    # The approver signs it off with an opinion, then publishes after confirming.
    bulletin = Bulletin.objects.get()
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    approver = other.new_page()
    approver.set_default_timeout(15000)
    approver.base_url = live_server.url
    browser_login(approver, "adam")
    approver.get_by_text("您好").wait_for()
    approver.goto(f"{live_server.url}/scoring/bulletins/{bulletin.pk}/")
    approver.get_by_label("签发意见").fill("同意印发，请各县区对照整改。")
    approver.get_by_role("button", name="签发", exact=True).click()
    approver.get_by_text("已签发。").wait_for()
    approver.get_by_text("签发意见：同意印发，请各县区对照整改。").wait_for()
    approver.get_by_label("我已核对通报内容，确认发布").check()
    approver.get_by_role("button", name="发布", exact=True).click()
    approver.get_by_text("通报已发布").wait_for()
    assert approver.get_by_text("第1期（已发布）").is_visible()
    history = approver.locator("table").last
    for step in ("生成", "提交签发", "签发", "发布"):
        assert history.get_by_role("cell", name=step, exact=True).is_visible()
    screenshot(approver, "scoring-bulletin-published")
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
