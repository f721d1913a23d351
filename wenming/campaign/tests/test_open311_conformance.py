"""Open311 GeoReport v2 as real clients drive it: the `georeport` client
library from the package index (not our code) against the live server, and
raw requests checked against the spec's field lists and error rules
(http://wiki.open311.org/GeoReport_v2)."""

import json
from xml.etree import ElementTree

import pytest
import requests
from georeport import GeoReport

from wenming.api.tests.factories import make_key
from wenming.campaign import citizen, open311
from wenming.campaign.models import CitizenReport
from wenming.campaign.tests.factories import make_campaign, upload

BASE = "/campaign/open311/v2"
# The spec's fields, in its order.
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords",
                  "group"]
REQUEST_FIELDS = ["service_request_id", "status", "status_notes", "service_name",
                  "service_code", "description", "agency_responsible", "service_notice",
                  "requested_datetime", "updated_datetime", "expected_datetime", "address",
                  "address_id", "zipcode", "lat", "long", "media_url"]
POSTED_FIELDS = {"service_request_id", "service_notice", "account_id"}
PLACE = {"lat": "33.6255", "long": "114.6497"}


def _post(client, fmt="json", **fields):
    return client.post(f"{BASE}/requests.{fmt}", {
        "service_code": "env", "description": "广场东侧垃圾堆积", **PLACE, **fields})


def _is_error_list(response, code):
    body = response.json()
    assert response.status_code == code and response["Content-Type"].startswith(
        "application/json")
    assert isinstance(body, list) and set(body[0]) == {"code", "description"}
    assert body[0]["code"] == code
    assert "Traceback" not in body[0]["description"] and "Error" not in body[0]["description"]
    return body[0]["description"]


def test_georeport_client_reads_services_and_requests(live_server, transactional_db):
    root = f"{live_server.url}{BASE}"
    posted = requests.post(f"{root}/requests.json", data={
        "service_code": "stall", "description": "人行道占道经营", **PLACE}, timeout=10)
    assert posted.status_code == 201
    code = posted.json()[0]["service_request_id"]
    for fmt in ("json", "xml"):
        client = GeoReport(root, output_format=fmt)
        services = client.get_service_list()
        assert [s["service_code"] for s in services] == [c for c, _, _ in citizen.SERVICES]
        assert list(services[0]) == SERVICE_FIELDS
        assert client.get_service_definition("stall")["service_code"] == "stall"
        one = client.get_service_request(code)
        assert one["service_request_id"] == code and one["status"] == "open"
        listed = client.get_service_requests(service_code="stall", status="open")
        listed = listed if isinstance(listed, list) else [listed]  # xmltodict: one is a dict
        assert [r["service_request_id"] for r in listed] == [code]
        assert list(listed[0]) == REQUEST_FIELDS
    with pytest.raises(requests.HTTPError) as e:
        GeoReport(root).get_service_request("SPNOTHERE")
    assert e.value.response.status_code == 404
    assert e.value.response.json()[0]["code"] == 404


def test_fields_and_content_types(client, db):
    services = client.get(f"{BASE}/services.json")
    assert services["Content-Type"] == "application/json; charset=utf-8"
    assert all(list(s) == SERVICE_FIELDS for s in services.json())
    posted = _post(client)
    assert posted.status_code == 201 and set(posted.json()[0]) == POSTED_FIELDS
    listed = client.get(f"{BASE}/requests.json").json()
    assert [list(r) for r in listed] == [REQUEST_FIELDS]
    xml = ElementTree.fromstring(client.get(f"{BASE}/requests.xml").content)
    assert [c.tag for c in xml.find("request")] == REQUEST_FIELDS


def test_discovery(client, db):
    data = client.get(f"{BASE}/discovery.json").json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(data)
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == f"http://testserver{BASE}"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    root = ElementTree.fromstring(client.get(f"{BASE}/discovery.xml").content)
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml", "application/json"]


def test_errors_in_the_spec_format(client, db):
    assert "not found" in _is_error_list(client.get(f"{BASE}/services/nope.json"), 404)
    assert _is_error_list(_post(client, service_code="nope"), 404) == \
        "service_code nope not found"
    assert _is_error_list(client.get(f"{BASE}/services.html"), 400)
    assert _is_error_list(client.get(f"{BASE}/requests/SPNOPE.json"), 404)
    assert _is_error_list(client.get(f"{BASE}/tokens/NOPE.json"), 404)
    # A wrong method is a 405 in the error format, not Django's CSRF page.
    response = client.delete(f"{BASE}/requests.json")
    assert _is_error_list(response, 405) and response["Allow"] == "GET, POST"
    assert _is_error_list(client.post(f"{BASE}/services.json"), 405)
    xml = client.delete(f"{BASE}/requests/SPX.xml")
    root = ElementTree.fromstring(xml.content)
    assert xml.status_code == 405 and root.tag == "errors"
    assert root.find("error/code").text == "405"
    # No Python exception text reaches a client.
    for params in ({"start_date": "2024-02-30T00:00:00Z"}, {"start_date": "yesterday"},
                   {"status": "pending"}):
        _is_error_list(client.get(f"{BASE}/requests.json", params), 400)
    assert "decimal degrees" in _is_error_list(_post(client, lat="north", long="x"), 400)


def test_locations(client, db, settings):
    # Outside the city: refused.
    settings.WENMING_CITY_BOUNDS = "33.4,114.4,33.8,114.9"
    assert "outside" in _is_error_list(_post(client, lat="39.9", long="116.4"), 400)
    assert _post(client).status_code == 201
    # A malformed setting is `check`'s error, never a 500 here: the
    # coordinates are held to China instead.
    for bad in ["33.4,114.4,33.8", "33.4,114.4,北,114.9", "33.8,114.4,33.4,114.9"]:
        settings.WENMING_CITY_BOUNDS = bad
        assert _post(client).status_code == 201
        assert "outside" in _is_error_list(_post(client, lat="48.85", long="2.35"), 400)
    settings.WENMING_CITY_BOUNDS = "33.4,114.4,33.8,114.9"
    # address_id is a place as well.
    response = _post(client, lat="", long="", address_id="411602-0088")
    assert response.status_code == 201
    report = CitizenReport.objects.get(tracking_code=response.json()[0]["service_request_id"])
    assert "411602-0088" in report.address and report.lat is None


def test_long_descriptions_and_media(client, people, world):
    assert _post(client, description="文" * 4000).status_code == 201
    _is_error_list(_post(client, description="文" * 4001), 400)
    # media_url is accepted from an integrator and given back.
    _, token, _ = make_key(people, world)
    posted = _post(client, media_url="https://hotline.example.cn/m/1.jpg", api_key=token)
    code = posted.json()[0]["service_request_id"]
    assert client.get(f"{BASE}/requests/{code}.json").json()[0]["media_url"] == \
        "https://hotline.example.cn/m/1.jpg"
    # A photo sent along is shown once the office took the report up.
    code = _post(client, media=upload()).json()[0]["service_request_id"]
    report = CitizenReport.objects.get(tracking_code=code)
    assert client.get(f"{BASE}/requests/{code}.json").json()[0]["media_url"] is None
    make_campaign(people["admin"])
    citizen.accept_report(people["inspector"], report, responsible_unit=world["chuanhui"])
    media_url = client.get(f"{BASE}/requests/{code}.json").json()[0]["media_url"]
    assert media_url == f"http://testserver{BASE}/requests/{code}/media.jpg"
    photo = client.get(media_url)
    assert photo.status_code == 200 and b"".join(photo.streaming_content)[:2] == b"\xff\xd8"


def test_filters(client, db, monkeypatch):
    codes = [_post(client, service_code=c).json()[0]["service_request_id"]
             for c in ("env", "env", "stall", "ads")]
    CitizenReport.objects.filter(tracking_code=codes[0]).update(
        status=CitizenReport.Status.REJECTED, reject_reason="重复")
    # service_request_id overrides the other filters.
    listed = client.get(f"{BASE}/requests.json", {
        "service_request_id": f"{codes[0]},{codes[2]}", "service_code": "ads",
        "status": "open"}).json()
    assert {r["service_request_id"] for r in listed} == {codes[0], codes[2]}
    # The status filter comes before the cap: the one closed request is
    # found although newer open ones fill the cap.
    monkeypatch.setattr(open311, "MAX_RESULTS", 2)
    closed = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
    assert [r["service_request_id"] for r in closed] == [codes[0]]
    assert len(client.get(f"{BASE}/requests.json", {"status": "open"}).json()) == 2
    both = client.get(f"{BASE}/requests.json", {"service_code": "env,stall"}).json()
    assert len(both) == 2
    token = client.get(f"{BASE}/tokens/{codes[1]}.json").json()
    assert token == [{"token": codes[1], "service_request_id": codes[1]}]
    assert json.loads(client.get(f"{BASE}/requests.json", {"status": "open,closed"})
                      .content)[0]["service_request_id"] in codes


def test_every_json_answer_declares_utf8_and_xml_errors_too(client, db):
    code = _post(client).json()[0]["service_request_id"]
    answers = [_post(client), client.get(f"{BASE}/discovery.json"),
               client.get(f"{BASE}/services.json"), client.get(f"{BASE}/services/env.json"),
               client.get(f"{BASE}/requests.json"), client.get(f"{BASE}/requests/{code}.json"),
               client.get(f"{BASE}/tokens/{code}.json"), client.get(f"{BASE}/requests/SPNO.json"),
               client.get(f"{BASE}/services.csv"), client.delete(f"{BASE}/services.json"),
               _post(client, service_code="")]
    assert {r["Content-Type"] for r in answers} == {"application/json; charset=utf-8"}
    for url in [f"{BASE}/requests/SPNO.xml", f"{BASE}/tokens/NO.xml", f"{BASE}/services/x.xml"]:
        response = client.get(url)
        root = ElementTree.fromstring(response.content)
        assert response.status_code == 404 and response["Content-Type"] == \
            "text/xml; charset=utf-8"
        assert root.tag == "errors" and root.find("error/code").text == "404"
        assert "not found" in root.find("error/description").text


def test_media_url_must_be_a_web_address(client, people, world):
    _, token, _ = make_key(people, world)
    response = _post(client, media_url="javascript:alert(1)", api_key=token)
    assert "http" in _is_error_list(response, 400)
