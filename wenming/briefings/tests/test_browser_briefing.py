import pytest

from wenming.briefings.models import Issue
from wenming.briefings.tests.factories import make_series, small_issue
from wenming.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username):
    browser_login(page, username)
    page.get_by_text("您好").wait_for()


def _logout(page):
    page.context.clear_cookies()


def test_briefing_from_submission_to_public_web_edition(page, people):
    series = make_series(people["editor"])
    issue = small_issue(people["editor"], series)

    # A district liaison submits a piece of news from a phone.
    _login(page, "bob")
    page.goto(page.base_url + "/briefings/submissions/")
    page.get_by_label("标题").fill("德化社区开展邻里节活动")
    page.get_by_label("正文").fill("近日，德化社区举办邻里节。\n居民共同参与了文艺演出。")
    page.get_by_role("button", name="报送").click()
    page.get_by_text("已报送").wait_for()
    screenshot(page, "briefing-1-liaison-submitted")
    _logout(page)

    # The editor adopts it into the draft issue and sends the issue for sign-off.
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, "emma")
    page.goto(page.base_url + "/briefings/submissions/?status=submitted")
    page.get_by_role("link", name="德化社区开展邻里节活动").click()
    page.get_by_label("采用到").select_option(label="2024年第1期·文明时讯")
    page.get_by_role("button", name="采用").click()
    page.get_by_text("德化社区开展邻里节活动").first.wait_for()
    screenshot(page, "briefing-2-editor-composes")
    with page.expect_popup() as popup:
        page.get_by_role("button", name="预览 PDF").click()
    assert popup.value.url.endswith("render.pdf")
    popup.value.close()
    page.get_by_role("button", name="提交签发").click()
    page.get_by_text("已提交签发").wait_for()
    _logout(page)

    # The approver signs it off and publishes it.
    _login(page, "adam")
    page.goto(page.base_url + f"/briefings/issues/{issue.pk}/")
    page.get_by_role("button", name="签发").click()
    page.get_by_text("已签发。").wait_for()
    page.get_by_role("button", name="发布").click()
    page.get_by_text("已发布。").wait_for()
    screenshot(page, "briefing-3-approver-published")
    _logout(page)

    # The public finds it in the archive.
    page.goto(page.base_url + "/briefings/archive/")
    page.get_by_role("link", name="《周口精神文明建设》简报").click()
    page.get_by_role("link", name="2024年").click()
    page.get_by_role("link", name="第1期").click()
    page.get_by_role("heading", name="周口精神文明建设").wait_for()
    assert "德化社区开展邻里节活动" in page.content()
    screenshot(page, "briefing-4-public-web-edition")
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.PUBLISHED
