import pytest

from wenming.activities.models import Activity
from wenming.activities.tests.factories import jpeg_bytes, make_themed_campaign
from wenming.briefings.models import Article
from wenming.briefings.tests.factories import make_series, small_issue
from wenming.conftest import browser_login, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username):
    browser_login(page, username)
    page.get_by_text("您好").wait_for()


def test_liaison_reports_an_activity_from_a_phone(page, people, world, tmp_path):
    themed_campaign = make_themed_campaign(people["editor"], units=[world["chuanhui"], world["huaiyang"]])
    series = make_series(people["editor"])
    small_issue(people["editor"], series)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(jpeg_bytes((1200, 900), colour=(40, 120, 60)))

    # The 川汇区 liaison reports from a phone.
    _login(page, "bob")
    page.get_by_role("main").get_by_role("link", name="专项活动").click()
    page.get_by_role("link", name="双节期间精神文明建设专项活动").click()
    page.get_by_role("button", name="报送活动").click()
    page.get_by_label("活动名称").fill("德化社区环境大扫除")
    page.get_by_label("活动日期").fill("2024-01-06")
    page.get_by_label("活动地点").fill("德化社区")
    page.get_by_label("内容方面").select_option(label="环境卫生清扫")
    page.get_by_label("参与人数").fill("35")
    page.get_by_label("志愿者人数").fill("30")
    page.get_by_label("志愿服务时长").fill("60")
    page.get_by_label("受益群众人数").fill("400")
    page.get_by_label("活动简介").fill("清理楼道杂物和绿化带垃圾。\n劝导居民规范停放非机动车。")
    page.get_by_label("活动照片").set_input_files(str(photo))
    screenshot(page, "activity-1-liaison-form-phone")
    page.get_by_role("button", name="报送").click()
    page.get_by_text("已报送").wait_for()
    page.get_by_role("img", name="活动照片1").wait_for()
    screenshot(page, "activity-2-liaison-reported-phone")
    activity = Activity.objects.get()
    assert activity.unit == world["chuanhui"] and activity.photos.count() == 1
    page.context.clear_cookies()

    # The office sees coverage and totals, and puts the summary article into the draft issue.
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, "emma")
    page.goto(page.base_url + f"/activities/campaigns/{themed_campaign.pk}/")
    page.get_by_text("尚未报送：淮阳区").wait_for()
    screenshot(page, "activity-3-office-coverage")
    page.get_by_role("link", name="综述稿").click()
    page.get_by_role("heading", name="市直文明单位积极开展双节期间精神文明建设专项活动").wait_for()
    screenshot(page, "activity-4-office-article")
    # Placing it goes through the briefing's one door, with the same column picker.
    page.get_by_role("button", name="编入简报").click()
    page.get_by_label("编入栏目").select_option(label="《周口精神文明建设》2024年第1期·工作动态")
    page.get_by_role("button", name="编入简报").click()
    page.get_by_text("已编入简报，可继续修改").wait_for()
    screenshot(page, "activity-5-article-in-issue")
    article = Article.objects.get(title="市直文明单位积极开展双节期间精神文明建设专项活动")
    assert "川汇区于1月6日在德化社区开展“德化社区环境大扫除”活动。" in article.body
