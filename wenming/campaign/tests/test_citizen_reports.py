"""随手拍: a public page without login, held off spam with a signed
time-based token, a honeypot and a per-IP limit; the reporter follows a
tracking code; the office turns a report into a problem or rejects it."""

import re
import time

import pytest
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.campaign import citizen
from wenming.campaign.models import CitizenReport, Problem
from wenming.campaign.tests.factories import jpeg, make_campaign, make_site, upload
from wenming.core.public_forms import form_token


def _aged_token(seconds=60):
    """A form token as if the page had been opened `seconds` ago."""
    return form_token(citizen.FORM_PURPOSE, issued_at=time.time() - seconds)


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
    assert "提交过快" in _post(client, form_token(citizen.FORM_PURPOSE)).content.decode()
    assert "表单校验失败" in _post(client, "forged:token").content.decode()
    assert "表单校验失败" in _post(client, form_token("nominate:1", issued_at=0)).content.decode()
    honeypot = _post(client, website="http://spam.example")
    assert honeypot.status_code == 400 and "提交失败，请刷新页面后重试" in honeypot.content.decode()
    stale = _post(client, _aged_token(3 * 3600))
    assert stale.status_code == 400 and "表单已失效" in stale.content.decode()
    assert not CitizenReport.objects.exists()


def test_rate_limit_per_ip(client, db, settings):
    settings.WENMING_CITIZEN_REPORTS_PER_HOUR = 2
    assert _post(client).status_code == 302
    assert _post(client).status_code == 302
    response = _post(client)
    assert response.status_code == 400 and "12345热线" in response.content.decode()
    assert CitizenReport.objects.count() == 2
    other = client.post(reverse("campaign:report_form"), {
        "service_code": "env", "description": "垃圾", "address": "某地",
        "token": _aged_token(), "website": ""}, REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 302


def test_a_retried_form_does_not_count_against_the_limit(client, db, settings):
    settings.WENMING_CITIZEN_REPORTS_PER_HOUR = 1
    token = _aged_token()
    assert _post(client, token).status_code == 302
    assert _post(client, token).status_code == 302  # the same report again
    assert _post(client).status_code == 400


def test_behind_a_proxy_the_forwarded_address_is_limited_and_audited(client, db, settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.WENMING_CITIZEN_REPORTS_PER_HOUR = 1

    def post(forwarded):
        return client.post(reverse("campaign:report_form"), {
            "service_code": "env", "description": "垃圾", "address": "某地",
            "token": _aged_token(), "website": ""},
            REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert post("1.1.1.1, 203.0.113.5").status_code == 302
    report = CitizenReport.objects.get()
    assert report.submitter_ip == "203.0.113.5"
    assert AuditEvent.objects.get(verb="report.create").ip == "203.0.113.5"
    # What the client claims left of the proxy's entry does not make it someone else.
    assert post("9.9.9.9, 203.0.113.5").status_code == 400
    assert post("203.0.113.6").status_code == 302  # another address behind the proxy


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
