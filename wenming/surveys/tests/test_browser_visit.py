import pytest
from django.utils import timezone

from wenming.accounts.tests.factories import make_user
from wenming.conftest import browser_login, screenshot
from wenming.core.periods import Period
from wenming.surveys import services
from wenming.surveys.models import Visit
from wenming.surveys.tests.factories import add_responses, make_questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_volunteer_visits_on_a_phone_then_the_office_reads_the_rates(page, people, world):
    q = make_questionnaire(people["editor"])
    volunteer = make_user("vera", unit=world["community"], full_name="志愿者小王")
    services.assign_visits(people["liaison"], questionnaire=q, area=world["street"],
                           assignee=volunteer, households="德化社区1号楼101\n德化社区1号楼102")
    today = timezone.localdate()
    quarter = Period.containing("quarter", today)
    earlier = quarter.previous().start
    add_responses(q, world["chuanhui"], earlier, 60, awareness=48, support=50, participation=20,
                  satisfaction=36)
    add_responses(q, world["chuanhui"], quarter.start, 60, awareness=56, support=57,
                  participation=30, satisfaction=51, street=world["street"])
    add_responses(q, world["huaiyang"], quarter.start, 25, awareness=20, support=22,
                  participation=9, satisfaction=17)
    services.set_population(people["editor"], world["chuanhui"], population=723_000, year=2023)
    services.set_population(people["editor"], world["huaiyang"], population=1_086_000,
                            year=2023)

    # The volunteer records a visit on a 375px phone.
    browser_login(page, "vera")
    page.get_by_text("您好").wait_for()
    page.goto(page.base_url + "/surveys/")
    page.get_by_role("button", name="走访 陈州回族街道").click()
    page.get_by_role("button", name="A卷 · 居民").click()
    page.get_by_label("门牌地址").fill("德化社区1号楼101")
    page.get_by_label("知道", exact=True).check()
    page.get_by_label("支持", exact=True).check()
    page.get_by_label("志愿服务").check()
    page.get_by_label("4", exact=True).check()
    page.get_by_label("群众反映的问题").fill("楼道堆放杂物")
    screenshot(page, "surveys-1-volunteer-visit-form")
    page.get_by_role("button", name="提交走访").click()
    page.get_by_text("已保存走访记录").wait_for()
    screenshot(page, "surveys-2-volunteer-saved")
    visit = Visit.objects.get()
    assert visit.visitor == volunteer and visit.address == "德化社区1号楼101"
    assert visit.response.satisfaction is True and visit.issues.count() == 1
    page.context.clear_cookies()

    # The office opens the statistics, weighted by population.
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, "emma")
    page.get_by_text("您好").wait_for()
    page.goto(page.base_url + f"/surveys/stats/?period={quarter.key}&weighted=on")
    page.get_by_role("heading", name="加权说明").wait_for()
    assert "全部县区（加权）" in page.content()
    screenshot(page, "surveys-3-office-statistics")

    # The same page on a phone.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    page.get_by_role("heading", name="加权说明").wait_for()
    screenshot(page, "surveys-4-statistics-on-phone")


def test_a_resident_answers_the_public_survey_once_on_a_phone(page, people, world):
    from wenming.surveys.models import Response

    q = make_questionnaire(people["editor"], public=True)
    page.goto(page.base_url + f"/surveys/s/{q.public_token}/")
    page.get_by_role("button", name="居民").click()
    page.get_by_label("您所在的县（市、区）").select_option(label="川汇区")
    page.get_by_label("街道（乡镇）").select_option(label="川汇区·陈州回族街道")
    page.get_by_label("知道", exact=True).check()
    page.get_by_label("支持", exact=True).check()
    page.get_by_label("都没有参加").check()
    page.get_by_label("5", exact=True).check()
    screenshot(page, "surveys-5-public-survey")
    page.get_by_role("button", name="提交问卷").click()
    page.get_by_role("heading", name="提交成功").wait_for()
    page.goto(page.base_url + f"/surveys/s/{q.public_token}/")
    page.get_by_role("heading", name="您已经填写过本问卷").wait_for()
    screenshot(page, "surveys-6-public-survey-once")
    r = Response.objects.get()
    assert (r.channel, r.street, r.participation, r.satisfaction) == (
        "online", world["street"], False, True)
