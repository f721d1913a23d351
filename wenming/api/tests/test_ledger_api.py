"""The ledger for integrators: problems within the key's unit (404
outside), the ledger page's filters, keyset pages, a problem's timeline,
and reports pushed in once per external id."""

from datetime import timedelta

from django.utils import timezone

from wenming.api.tests.factories import bearer, make_key
from wenming.audit.models import AuditEvent
from wenming.campaign import citizen, services
from wenming.campaign.models import CitizenReport, Problem
from wenming.campaign.tests.factories import dispatched, make_campaign, make_site

REPORT = {"external_id": "12345-0001", "service_code": "env",
          "description": "人民路菜市场门口垃圾堆积", "lat": 33.6255, "long": 114.6497}


def _setup(people, world):
    make_campaign(people["admin"])
    mine = dispatched(people, make_site(people["admin"], world))
    theirs = dispatched(people, make_site(people["admin"], world, name="柳湖广场",
                                          district="huaiyang", unit="huaiyang"))
    return mine, theirs


def test_key_sees_only_its_units_problems(client, people, world):
    mine, theirs = _setup(people, world)
    _, token, _ = make_key(people, world, scopes=["ledger:read"])
    page = client.get("/api/ledger/problems", **bearer(token)).json()
    assert [p["id"] for p in page["items"]] == [mine.pk]
    assert page["items"][0]["responsible_unit"] == "川汇区"
    assert page["items"][0]["status"] == "dispatched"
    assert client.get(f"/api/ledger/problems/{mine.pk}", **bearer(token)).status_code == 200
    response = client.get(f"/api/ledger/problems/{theirs.pk}", **bearer(token))
    assert response.status_code == 404 and response.json()["detail"].startswith("未找到")
    assert client.get(f"/api/ledger/problems/{theirs.pk}/timeline",
                      **bearer(token)).status_code == 404
    timeline = client.get(f"/api/ledger/problems/{mine.pk}/timeline", **bearer(token)).json()
    assert [e["action"] for e in timeline] == ["create", "dispatch"]


def test_filters_and_keyset_pages(client, people, world):
    make_campaign(people["admin"])
    site = make_site(people["admin"], world)
    problems = [dispatched(people, site, description=f"第{n}处占道经营") for n in range(32)]
    Problem.objects.filter(pk=problems[0].pk).update(deadline=timezone.now() - timedelta(hours=1))
    _, token, _ = make_key(people, world, unit="city", scopes=["ledger:read"])
    first = client.get("/api/ledger/problems", **bearer(token)).json()
    assert len(first["items"]) == 30 and first["next_cursor"]
    second = client.get("/api/ledger/problems", {"cursor": first["next_cursor"]},
                        **bearer(token)).json()
    assert len(second["items"]) == 2 and second["next_cursor"] == ""
    seen = [p["id"] for p in first["items"] + second["items"]]
    assert sorted(seen) == sorted(p.pk for p in problems)
    overdue = client.get("/api/ledger/problems", {"overdue": "1"}, **bearer(token)).json()
    assert [p["id"] for p in overdue["items"]] == [problems[0].pk]
    found = client.get("/api/ledger/problems", {"q": "第7处"}, **bearer(token)).json()
    assert [p["id"] for p in found["items"]] == [problems[7].pk]


def test_staff_session_reads_the_ledger_too(client, people, world):
    mine, theirs = _setup(people, world)
    client.force_login(people["other_liaison"])
    items = client.get("/api/ledger/problems").json()["items"]
    assert [p["id"] for p in items] == [theirs.pk]
    client.logout()
    assert client.get("/api/ledger/problems").status_code == 401


def test_pushed_report_is_filed_once_per_external_id(client, people, world):
    key, token, _ = make_key(people, world)
    first = client.post("/api/ledger/reports", REPORT, content_type="application/json",
                        **bearer(token))
    assert first.status_code == 201
    again = client.post("/api/ledger/reports", REPORT, content_type="application/json",
                        **bearer(token))
    assert again.status_code == 201
    assert again.json()["service_request_id"] == first.json()["service_request_id"]
    assert CitizenReport.objects.count() == 1 and key.reports.get().external_id == "12345-0001"
    state = client.get("/api/ledger/reports/12345-0001", **bearer(token)).json()
    assert state["status"] == "received" and state["problem_id"] is None

    # Accepted by the office, its problem is the key's to read, wherever it went.
    make_campaign(people["admin"])
    report = CitizenReport.objects.get()
    citizen.accept_report(people["inspector"], report, responsible_unit=world["huaiyang"])
    state = client.get("/api/ledger/reports/12345-0001", **bearer(token)).json()
    assert state["status"] == "accepted" and state["problem_id"]
    problem = client.get(f"/api/ledger/problems/{state['problem_id']}", **bearer(token)).json()
    assert problem["external_id"] == "12345-0001"
    assert problem["service_request_id"] == state["service_request_id"]


def test_pushed_report_errors(client, people, world):
    _, token, _ = make_key(people, world)
    _, read_only, _ = make_key(people, world, scopes=["ledger:read"])
    response = client.post("/api/ledger/reports", {**REPORT, "service_code": "x"},
                           content_type="application/json", **bearer(token))
    assert response.status_code == 400 and response.json()["detail"] == "请选择问题类型。"
    assert client.post("/api/ledger/reports", REPORT, content_type="application/json",
                       **bearer(read_only)).status_code == 401
    assert client.get("/api/ledger/reports/nope", **bearer(token)).status_code == 404


FILED = {"external_id": "12345-0002", "service_code": "stall",
         "description": "五一路口占道经营", "lat": 33.6255, "long": 114.6497}


def _file(client, token, **fields):
    return client.post("/api/ledger/problems", {**FILED, **fields},
                       content_type="application/json", **bearer(token))


def test_key_files_a_problem_once_per_external_id(client, people, world):
    make_campaign(people["admin"])
    key, token, _ = make_key(people, world)
    first = _file(client, token, responsible_unit=world["street"].pk)
    assert first.status_code == 201
    body = first.json()
    assert body["status"] == "found" and body["external_id"] == "12345-0002"
    assert body["responsible_unit"] == "陈州回族街道" and body["district"] == "川汇区"
    assert body["description"].startswith("【市12345热线平台·占道经营】")
    problem = Problem.objects.get(pk=body["id"])
    assert problem.source == "citizen" and problem.deadline is None
    # Filed through the campaign's service: its timeline and its audit event.
    event = AuditEvent.objects.get(verb="problem.create", object_id=str(problem.pk))
    assert event.actor is None and "市12345热线平台" in event.actor_name
    assert event.after["key"] == key.prefix

    again = _file(client, token, description="重复推送")
    assert again.status_code == 200 and again.json()["id"] == problem.pk
    assert Problem.objects.count() == 1
    # A new key issued for the same hotline finds it too; another integrator does not.
    _, renewed, _ = make_key(people, world)
    assert _file(client, renewed).json()["id"] == problem.pk
    _, provincial, _ = make_key(people, world, name="省政务服务平台")
    assert _file(client, provincial).status_code == 201 and Problem.objects.count() == 2

    timeline = client.get(f"/api/ledger/problems/{problem.pk}/timeline", **bearer(token)).json()
    assert [e["action"] for e in timeline] == ["create"]
    # Dispatched by the office, it gets its deadline and the key reads it.
    services.dispatch_problem(people["inspector"], problem)
    read = client.get(f"/api/ledger/problems/{problem.pk}", **bearer(token)).json()
    assert read["status"] == "dispatched" and read["deadline"]
    timeline = client.get(f"/api/ledger/problems/{problem.pk}/timeline", **bearer(token)).json()
    assert [e["action"] for e in timeline] == ["create", "dispatch"]


def test_filed_problem_stays_within_the_keys_unit(client, people, world):
    make_campaign(people["admin"])
    _, token, _ = make_key(people, world)
    response = _file(client, token, responsible_unit=world["huaiyang"].pk)
    assert response.status_code == 404 and response.json()["detail"].startswith("未找到")
    assert _file(client, token, responsible_unit=999999).status_code == 404
    assert not Problem.objects.exists()
    # The units it may file for are listed for it.
    units = client.get("/api/ledger/units", **bearer(token)).json()
    assert [u["name"] for u in units] == ["川汇区", "陈州回族街道", "德化社区"]
    assert units[1]["parent_id"] == units[0]["id"] == world["chuanhui"].pk
    # Without a unit it is the key's own unit's.
    assert _file(client, token).json()["responsible_unit"] == "川汇区"
    # Another unit's key neither sees it nor files under its id.
    _, theirs, _ = make_key(people, world, unit="huaiyang")
    problem = Problem.objects.get()
    assert client.get(f"/api/ledger/problems/{problem.pk}", **bearer(theirs)).status_code == 404


def test_filing_errors(client, people, world, settings):
    _, token, _ = make_key(people, world)
    _, read_only, _ = make_key(people, world, scopes=["ledger:read"])
    assert _file(client, read_only).status_code == 401
    response = _file(client, token)
    assert response.status_code == 400 and "活动" in response.json()["detail"]
    make_campaign(people["admin"])
    cases = [({"service_code": "x"}, "问题类型"), ({"lat": None, "long": None}, "地点"),
             ({"media_url": "javascript:alert(1)"}, "http"), ({"description": " "}, "问题描述"),
             ({"external_id": " "}, "外部编号")]
    for fields, reason in cases:
        response = _file(client, token, **fields)
        assert response.status_code == 400 and reason in response.json()["detail"], fields
    settings.WENMING_CITY_BOUNDS = "33.4,114.4,33.8,114.9"
    response = _file(client, token, lat=39.9, long=116.4)
    assert response.status_code == 400 and "本市" in response.json()["detail"]
    assert _file(client, token, severity="urgent").status_code == 422
    assert not Problem.objects.exists()
