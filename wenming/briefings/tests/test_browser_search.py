import pytest

from wenming.briefings.search import index_issue
from wenming.briefings.tests.factories import make_series, publish, small_issue
from wenming.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_searches_the_archive_on_a_phone(page, people):
    series = make_series(people["editor"])
    issue = publish(people["editor"], people["approver"], small_issue(people["editor"], series))
    index_issue(issue)

    page.goto(page.base_url + "/briefings/search/")
    page.get_by_label("检索词").fill("志愿服务")
    page.get_by_role("button", name="检索").click()
    page.get_by_text("找到").wait_for()
    hit = page.locator(".search-hit").first
    assert hit.locator("mark").first.inner_text() == "志愿服务"
    # Nothing overflows the 375px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("summary", has_text="筛选条件").click()
    page.get_by_label("栏目").select_option("文明时讯")
    page.get_by_role("button", name="检索").click()
    page.get_by_text("找到 1 篇稿件").wait_for()
    screenshot(page, "search-1-phone-results")
    page.locator(".search-hit a").first.click()
    page.wait_for_url("**/briefings/p/**")
    assert "#a" in page.url
    screenshot(page, "search-2-web-edition")
