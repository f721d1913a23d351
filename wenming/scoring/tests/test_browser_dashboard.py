import pytest

from wenming.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_opens_the_dashboard_and_the_charts_draw(page, people, ledger):
    browser_login(page, "victor")
    page.get_by_text("您好").wait_for()
    page.goto(page.base_url + "/scoring/dashboard/?kind=month&day=2024-01-15")
    page.get_by_text("县区排名").first.wait_for()
    assert page.locator("svg.chart").count() == 5
    # The bars have width: the charts drew something, not empty boxes.
    assert page.locator("svg.chart rect").first.bounding_box()["width"] > 10
    screenshot(page, "scoring-dashboard")
    page.get_by_role("link", name="放大显示").click()
    page.locator(".big-screen").wait_for()
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "scoring-dashboard-big-screen")
