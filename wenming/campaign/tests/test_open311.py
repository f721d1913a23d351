"""Open311 GeoReport v2: services, service definition, POST requests, GET
requests and GET one request, in JSON and XML, with agency_responsible,
status_notes and expected_datetime from our data."""

import json
from xml.etree import ElementTree

import pytest

from wenming.campaign import citizen
from wenming.campaign.models import CitizenReport
from wenming.campaign.tests.factories import make_campaign, make_site, upload

BASE = "/campaign/open311/v2"


def _post(client, fmt="json", **fields):
    data = {"service_code": "env", "lat": "33.6255", "long": "114.6497",
            "description": "广场东侧垃圾堆积", "email": "a@example.com", "first_name": "三",
            "last_name": "张", "phone": "13800000000", **fields}
    return client.post(f"{BASE}/requests.{fmt}", data)


def test_services_in_json_and_xml(client, db):
    services = client.get(f"{BASE}/services.json").json()
    assert {s["service_code"] for s in services} == {c for c, _, _ in citizen.SERVICES}
    first = services[0]
    assert first["metadata"] is False and first["type"] == "realtime" and first["service_name"]
    root = ElementTree.fromstring(client.get(f"{BASE}/services.xml").content)
    assert root.tag == "services" and root.find("service/service_code").text == "env"
    assert root.find("service/metadata").text == "false"


def test_service_definition(client, db):
    assert client.get(f"{BASE}/services/stall.json").json() == {
        "service_code": "stall", "attributes": []}
    root = ElementTree.fromstring(client.get(f"{BASE}/services/stall.xml").content)
    assert root.tag == "service_definition" and root.find("service_code").text == "stall"
    missing = client.get(f"{BASE}/services/nope.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def test_post_then_get_one_and_list(client, people, world):
    response = _post(client, media=upload())
    assert response.status_code == 201
    posted = response.json()[0]
    code = posted["service_request_id"]
    report = CitizenReport.objects.get(tracking_code=code)
    assert report.via == "open311" and report.contact_name == "张 三" and report.photo

    one = client.get(f"{BASE}/requests/{code}.json").json()[0]
    assert one["status"] == "open" and one["service_code"] == "env"
    assert one["lat"] == pytest.approx(33.6255) and one["long"] == pytest.approx(114.6497)
    assert "已收到" in one["status_notes"] and one["expected_datetime"] is None
    assert "email" not in one and "phone" not in json.dumps(one)  # contacts stay private

    # The office accepts it: agency, notes and the expected time come from the problem.
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    citizen.accept_report(people["inspector"], report, responsible_unit=world["chuanhui"],
                          site=site)
    report.refresh_from_db()
    one = client.get(f"{BASE}/requests/{code}.json").json()[0]
    assert one["agency_responsible"] == "川汇区" and one["status_notes"] == "已交川汇区整改。"
    assert one["expected_datetime"].startswith(
        report.problem.deadline.astimezone().strftime("%Y-")) and "+08:00" in \
        one["expected_datetime"]

    listing = client.get(f"{BASE}/requests.json", {"status": "open"}).json()
    assert [r["service_request_id"] for r in listing] == [code]
    assert client.get(f"{BASE}/requests.json", {"status": "closed"}).json() == []
    xml = ElementTree.fromstring(client.get(f"{BASE}/requests.xml",
                                   {"service_request_id": code}).content)
    assert xml.tag == "service_requests"
    assert xml.find("request/agency_responsible").text == "川汇区"


def test_post_errors_are_open311_errors(client, db):
    response = _post(client, service_code="")
    assert response.status_code == 400 and response.json()[0]["description"]
    response = _post(client, "xml", lat="", long="", address_string="")
    root = ElementTree.fromstring(response.content)
    assert response.status_code == 400 and root.tag == "errors"
    assert root.find("error/code").text == "400"
    # An unknown service is the spec's 404, not the web form's message.
    response = _post(client, service_code="martian")
    assert response.status_code == 404
    assert response.json() == [{"code": 404, "description": "service_code martian not found"}]


def test_key_required_when_configured(client, db, settings):
    settings.WENMING_OPEN311_REQUIRE_KEY = True
    response = _post(client)
    assert response.status_code == 403 and response.json()[0]["code"] == 403
    assert _post(client, api_key="wm_nope.nope").status_code == 403


def test_post_rate_limit(client, db, settings):
    settings.WENMING_CITIZEN_REPORTS_PER_HOUR = 1
    assert _post(client).status_code == 201
    assert _post(client).status_code == 429


def test_unknown_request_and_bad_dates(client, db):
    assert client.get(f"{BASE}/requests/SPNOPE.json").status_code == 404
    assert client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}).status_code == 400
