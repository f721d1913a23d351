"""On a phone, a citizen starting a 随手拍 gives the location and sees the
problems already open nearby before submitting, and follows one of them."""

import pytest
from django.urls import reverse

from wenming.campaign import citizen, services
from wenming.campaign.tests.factories import dispatched, jpeg, make_campaign, make_site, upload
from wenming.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_sees_nearby_problems_before_submitting(page, people, world):
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    dispatched(people, site)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 33.6262, "longitude": 114.6500, "accuracy": 20})

    page.goto(page.base_url + reverse("campaign:report_form"))
    page.get_by_label("问题类型").select_option("stall")
    page.get_by_label("问题描述").fill("市场门口有摊贩占道")
    page.get_by_role("button", name="使用我的当前位置").click()
    nearby = page.locator("#nearby")
    nearby.get_by_text("附近已有类似问题").wait_for()
    assert "五一路农贸市场" in nearby.inner_text() and "约" in nearby.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "citizen-nearby-before-submit")

    # Same problem: the citizen follows it instead of submitting.
    nearby.get_by_role("link", name="查看进度").click()
    page.get_by_text("问题办理进度").wait_for()
    page.get_by_text("已交办").wait_for()
    screenshot(page, "citizen-follows-existing-problem")


def test_reporter_sees_the_steps_and_the_fix_once_closed(page, people, world):
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    report = citizen.submit_report(service_code="env", description="市场门口垃圾堆积",
                                   address="五一路农贸市场东门")
    report = citizen.accept_report(people["inspector"], report, site=site,
                                   responsible_unit=world["chuanhui"])
    services.submit_rectification(people["liaison"], report.problem, text="已清运",
                                  photos=[upload(jpeg("seagreen", size=(640, 480)))])
    services.verify_problem(people["inspector"], report.problem)

    page.goto(page.base_url + reverse("campaign:report_track"))
    page.get_by_label("查询码").fill(report.tracking_code.lower())
    page.get_by_role("button", name="查询").click()
    page.get_by_text("办理过程").wait_for()
    assert page.locator(".public-timeline li.done").count() == 5
    photo = page.get_by_role("img", name="整改后照片1")
    photo.wait_for()
    assert photo.evaluate("i => i.complete ? i.naturalWidth : new Promise(r => "
                          "i.addEventListener('load', () => r(i.naturalWidth)))") > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "citizen-tracking-closed-with-after-photo")
