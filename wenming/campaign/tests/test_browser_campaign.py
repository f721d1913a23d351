"""On a phone: the inspector records a problem on the field form, the office
dispatches it, the district's liaison rectifies it, and the re-inspection
closes it out."""

import pytest

from wenming.accounts.tests.factories import PASSWORD
from wenming.campaign.models import Problem
from wenming.campaign.tests.factories import criterion, jpeg, make_campaign, make_site
from wenming.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, username):
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("您好").wait_for()


def _photo(tmp_path, name, color, gps=None):
    path = tmp_path / name
    path.write_bytes(jpeg(color, size=(800, 600), gps=gps))
    return str(path)


def test_field_form_to_close_out_on_a_phone(page, people, world, tmp_path):
    make_campaign(people["admin"])
    make_site(people["admin"], world)
    c = criterion("1.1.1")

    # The inspector, on site, finds the market's east gate taken over by stalls.
    _login(page, "ivan")
    page.goto(page.base_url + "/campaign/field/")
    page.get_by_label("点位名称或地址").fill("五一路")
    page.get_by_role("button", name="查找点位").click()
    page.get_by_role("link", name="五一路农贸市场").click()
    page.locator(f"input[name=r{c.pk}][value=problem]").check()
    page.locator(f"textarea[name=d{c.pk}]").fill("东门外有三处摊位占道经营")
    page.locator(f"select[name=s{c.pk}]").select_option(label="立行立改")
    page.locator(f"input[name=p{c.pk}]").set_input_files(
        _photo(tmp_path, "gate.jpg", "orange", gps=(33.6251, 114.6493)))
    screenshot(page, "campaign-1-field-form")
    page.get_by_role("button", name="提交督查结果").click()
    page.get_by_text("督查结果已保存").wait_for()
    screenshot(page, "campaign-2-inspection-saved")

    # The office (here the inspector) dispatches it to 川汇区.
    page.get_by_role("link", name="有问题：东门外有三处摊位占道经营").click()
    page.get_by_role("button", name="交办").click()
    page.get_by_text("已交办。").wait_for()
    problem = Problem.objects.get()
    assert problem.status == "dispatched" and problem.location_source == "photo"
    page.context.clear_cookies()

    # The district's liaison finds it in the queue and sends the fix.
    _login(page, "bob")
    page.goto(page.base_url + "/campaign/queue/")
    screenshot(page, "campaign-3-liaison-queue")
    page.get_by_text("东门外有三处摊位占道经营").click()
    page.get_by_label("整改情况").fill("已清理占道摊位，安排专人值守")
    page.get_by_label("整改后照片").set_input_files(_photo(tmp_path, "after.jpg", "green"))
    screenshot(page, "campaign-4-liaison-rectifies")
    page.get_by_role("button", name="提交整改").click()
    page.get_by_text("整改情况已提交，等待复查。").wait_for()
    page.context.clear_cookies()

    # Re-inspection: the fix holds, the problem is closed out (销号).
    _login(page, "ivan")
    page.goto(page.base_url + f"/campaign/problems/{problem.pk}/")
    page.get_by_label("复查意见").fill("现场复查，已整改到位")
    page.get_by_role("button", name="复查通过，销号").click()
    page.get_by_text("复查通过，已销号。").wait_for()
    screenshot(page, "campaign-5-closed-timeline")
    problem.refresh_from_db()
    assert problem.status == "closed"
    assert list(problem.events.values_list("action", flat=True)) == [
        "create", "dispatch", "submit", "verify"]

    page.goto(page.base_url + "/campaign/")
    # The counts by status arrive after the list (htmx, no inline script).
    page.locator(".status-tabs a", has_text="已销号").locator("b").wait_for()
    assert page.locator(".status-tabs a", has_text="已销号").inner_text() == "已销号 1"
    screenshot(page, "campaign-6-ledger")
