"""随手拍 before and after: the form shows open problems nearby so a citizen
need not report one twice, and the tracking page shows the steps with the
after-photo once the problem is closed."""

import re

from django.urls import reverse

from wenming.campaign import citizen, services
from wenming.campaign.models import CitizenReport
from wenming.campaign.tests.factories import (
    dispatched,
    jpeg,
    make_campaign,
    make_problem,
    make_site,
    upload,
)
from wenming.core.public_forms import form_token

SITE = (33.6254, 114.6496)


def _nearby(client, **query):
    query.setdefault("token", form_token(citizen.FORM_PURPOSE))
    return client.get(reverse("campaign:report_nearby"), query, REMOTE_ADDR="10.0.0.9")


def _open_problems(people, world):
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    far = make_site(people["admin"], world, name="柳湖市场", district="huaiyang",
                    unit="huaiyang", lat=33.7300, lng=114.8800)
    near = dispatched(people, site, description="陈某某（电话13800000000）门口占道")
    make_problem(people["inspector"], far)
    return site, near


def test_open_problems_within_200_metres_are_shown(client, people, world):
    _, near = _open_problems(people, world)
    # About 120 m north of the site.
    html = _nearby(client, lat=SITE[0] + 0.0011, lng=SITE[1]).content.decode()
    assert "附近已有类似问题" in html and "<strong>农贸市场</strong> · 五一路农贸市场" in html
    assert "正在整改" in html and re.search(r"约1\d\d米", html)
    assert "柳湖市场" not in html
    # No personal data: the description never reaches the public.
    assert "13800000000" not in html and "陈某某" not in html
    # 300 m away: nothing.
    assert "附近已有" not in _nearby(client, lat=SITE[0] + 0.0027, lng=SITE[1]).content.decode()
    # The citizen may follow the one found.
    follow = re.search(r'href="(/campaign/report/follow/[^"]+)"', html)[1]
    page = client.get(follow).content.decode()
    assert "问题办理进度" in page and "已交办" in page and "13800000000" not in page


def test_an_address_naming_a_site_finds_its_problems(client, people, world):
    _open_problems(people, world)
    html = _nearby(client, address="五一路农贸市场东门").content.decode()
    assert "五一路农贸市场" in html
    assert "附近已有" not in _nearby(client, address="人民路").content.decode()


def test_untriaged_reports_nearby_are_shown_without_their_text(client, db):
    citizen.submit_report(service_code="env", description="垃圾很多，联系人张三",
                          address="七一路", lat=SITE[0], lng=SITE[1])
    html = _nearby(client, lat=SITE[0], lng=SITE[1]).content.decode()
    assert "环境卫生" in html and "已收到，正在核实" in html and "张三" not in html


def test_odd_input_never_fails(client, people, world, settings):
    _open_problems(people, world)
    for query in [{"lat": "nan", "lng": "inf"}, {"lat": "91", "lng": "0"}, {"lat": "1e999"},
                  {"lat": "x"}, {"address": "%" * 300}, {"address": "_"}, {}]:
        response = _nearby(client, **query)
        assert response.status_code == 200, query
    assert "页面已过期" in _nearby(client, token="forged", lat=SITE[0], lng=SITE[1]) \
        .content.decode()
    # An address at its hourly submit limit gets no more lookups.
    settings.WENMING_CITIZEN_REPORTS_PER_HOUR = 1
    citizen.submit_report(service_code="env", description="x", address="七一路",
                          ip="10.0.0.9")
    assert "过于频繁" in _nearby(client, lat=SITE[0], lng=SITE[1]).content.decode()


def test_form_asks_for_nearby_once_a_location_is_given(client, db):
    html = client.get(reverse("campaign:report_form")).content.decode()
    assert f'hx-get="{reverse("campaign:report_nearby")}"' in html
    assert "located from:body" in html and "#id_token" in html


def test_tracking_page_shows_the_steps_and_the_after_photo_once_closed(client, people, world):
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    report = citizen.submit_report(service_code="stall", description="占道经营",
                                   address="五一路", photo=upload(jpeg("red")))
    url = reverse("campaign:report_status", args=[report.tracking_code])
    html = client.get(url).content.decode()
    assert "已收到" in html and html.count('class="pending"') == 4

    report = citizen.accept_report(people["inspector"], report, site=site,
                                   responsible_unit=world["chuanhui"])
    problem = report.problem
    services.submit_rectification(people["liaison"], problem, text="已清理",
                                  photos=[upload(jpeg("green"))])
    html = client.get(url).content.decode()
    assert html.count('class="done"') == 4 and "整改后照片" not in html  # not closed yet

    services.verify_problem(people["inspector"], problem)
    html = client.get(url).content.decode()
    assert html.count('class="done"') == 5 and "整改后照片" in html
    photo = problem.photos.get(stage="after")
    photo_url = reverse("campaign:report_after_photo", args=[report.tracking_code, photo.pk])
    assert photo_url in html
    assert client.get(photo_url)["Content-Type"] == "image/jpeg"
    # Only the fix: the reporter's own photo of the problem is not served here.
    found = problem.photos.get(stage="found")
    assert client.get(reverse("campaign:report_after_photo",
                              args=[report.tracking_code, found.pk])).status_code == 404
    # Nor another report's code.
    other = citizen.submit_report(service_code="env", description="x", address="y")
    assert client.get(reverse("campaign:report_after_photo",
                              args=[other.tracking_code, photo.pk])).status_code == 404


def test_a_refused_report_ends_with_the_refusal(client, people, db):
    report = citizen.submit_report(service_code="env", description="x", address="y")
    citizen.reject_report(people["inspector"], report, reason="不属于受理范围")
    html = client.get(reverse("campaign:report_status", args=[report.tracking_code])) \
        .content.decode()
    assert "不予受理" in html and "已交办" not in html
    assert CitizenReport.objects.get().status == "rejected"


def test_a_forged_follow_key_is_not_found(client, people, world):
    _, near = _open_problems(people, world)
    assert client.get(reverse("campaign:report_follow", args=[str(near.pk)])).status_code == 404
    assert client.get(reverse("campaign:report_follow",
                              args=[citizen.follow_key(near)])).status_code == 200
