"""随手拍: a public page without login, held off spam with a signed
time-based token, a honeypot and a per-IP limit; the reporter follows a
tracking code; the office turns a report into a problem or rejects it."""

import re
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from wenming.campaign import citizen
from wenming.campaign.models import CitizenReport, Problem
from wenming.campaign.tests.factories import jpeg, make_campaign, make_site, upload


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _aged_token(seconds=60):
    """A form token as if the page had been opened `seconds` ago."""
    return signing.dumps({"n": f"nonce{time.time_ns()}", "t": int(time.time()) - seconds},
                         salt=citizen.TOKEN_SALT)


def _post(client, token=None, **fields):
    data = {"service_code": "stall", "description": "七一路口有流动摊贩占道",
            "address": "七一路与八一路交叉口", "token": token or _aged_token(), "website": "",
            **fields}
    return client.post(reverse("campaign:report_form"), data, REMOTE_ADDR="10.0.0.7")


def test_public_report_without_login_gets_a_tracking_code(client, db):
    page = client.get(reverse("campaign:report_form"))
    assert page.status_code == 200 and 'capture="environment"' in page.content.decode()
    response = _post(client, photo=upload(jpeg(gps=(33.63, 114.65))))
    report = CitizenReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign:report_status", args=[report.tracking_code])
    assert re.fullmatch(r"SP[2-9A-HJ-NP-Z]{8}", report.tracking_code)
    assert float(report.lat) == pytest.approx(33.63, abs=1e-4)  # from the photo's EXIF
    with report.photo.open("rb") as f:
        assert b"Exif" not in f.read()
    status = client.get(response["Location"]).content.decode()
    assert report.tracking_code in status and "已收到" in status


def test_retried_submit_of_the_same_form_makes_one_report(client, db):
    token = _aged_token()
    first, again = _post(client, token), _post(client, token)
    assert CitizenReport.objects.count() == 1 and first["Location"] == again["Location"]


def test_too_fast_forged_and_honeypot_submits_are_refused(client, db):
    fresh = signing.dumps({"n": "x", "t": int(time.time())}, salt=citizen.TOKEN_SALT)
    assert "提交太快了" in _post(client, fresh).content.decode()
    assert "表单无效" in _post(client, "forged:token").content.decode()
    assert _post(client, website="http://spam.example").status_code == 400
    old = signing.dumps({"n": "y", "t": 0}, salt=citizen.TOKEN_SALT)
    assert _post(client, old).status_code == 400  # stale (over two hours)
    assert not CitizenReport.objects.exists()


def test_rate_limit_per_ip(client, db, settings):
    settings.WENMING_CITIZEN_REPORTS_PER_HOUR = 2
    assert _post(client).status_code == 302
    assert _post(client).status_code == 302
    response = _post(client)
    assert response.status_code == 400 and "提交过于频繁" in response.content.decode()
    assert CitizenReport.objects.count() == 2
    other = client.post(reverse("campaign:report_form"), {
        "service_code": "env", "description": "垃圾", "address": "某地",
        "token": _aged_token(), "website": ""}, REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 302


def test_report_needs_a_place(client, db):
    response = _post(client, address="")
    assert "请填写问题地点" in response.content.decode()


def test_office_turns_report_into_a_dispatched_problem(client, people, world):
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    _post(client, lat="33.6255", lng="114.6497", photo=upload())
    report = CitizenReport.objects.get()
    client.force_login(people["inspector"])
    page = client.get(reverse("campaign:report_detail", args=[report.pk])).content.decode()
    assert "五一路农贸市场（" in page  # the nearest site is offered
    response = client.post(reverse("campaign:report_detail", args=[report.pk]), {
        "accept-responsible_unit": world["chuanhui"].pk, "accept-site": site.pk,
        "accept-severity": "normal", "accept-dispatch": "on"})
    report.refresh_from_db()
    problem = report.problem
    assert response.status_code == 302 and report.status == "accepted"
    assert problem.source == "citizen" and problem.status == "dispatched"
    assert problem.photos.count() == 1 and "流动摊贩" in problem.description
    client.logout()
    status = client.get(reverse("campaign:report_status", args=[report.tracking_code]))
    assert "已交川汇区整改" in status.content.decode()


def test_office_rejects_with_a_reason(client, people):
    _post(client)
    report = CitizenReport.objects.get()
    client.force_login(people["inspector"])
    client.post(reverse("campaign:report_reject", args=[report.pk]), {"reason": "重复反映"})
    report.refresh_from_db()
    assert report.status == "rejected" and not Problem.objects.exists()
    client.logout()
    page = client.get(reverse("campaign:report_status", args=[report.tracking_code]))
    assert "不予受理：重复反映" in page.content.decode()


def test_liaison_cannot_triage(client, people):
    _post(client)
    report = CitizenReport.objects.get()
    client.force_login(people["liaison"])
    assert client.get(reverse("campaign:report_detail", args=[report.pk])).status_code == 403


def test_tracking_lookup(client, db):
    _post(client)
    code = CitizenReport.objects.get().tracking_code
    response = client.get(reverse("campaign:report_track"), {"code": code.lower()})
    assert response["Location"] == reverse("campaign:report_status", args=[code])
    assert "没有找到" in client.get(reverse("campaign:report_track"),
                                    {"code": "SPXXXX"}).content.decode()
