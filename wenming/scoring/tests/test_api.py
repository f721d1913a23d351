"""GET /api/scoring/rankings: the period's ranking for office users."""

from wenming.scoring import services

URL = "/api/scoring/rankings"


def test_office_user_reads_the_january_ranking(client, people, ledger):
    campaign, _, _ = ledger
    client.force_login(people["viewer"])

    response = client.get(URL, {"kind": "month", "day": "2024-01-15"})

    assert response.status_code == 200
    data = response.json()
    assert (data["kind"], data["start"], data["end"], data["period"]) == \
        ("month", "2024-01-01", "2024-01-31", "2024年1月")
    assert data["rule_version"] is None
    units = {r["name"]: r for r in data["units"]}
    assert units["陈州回族街道"] == {
        "rank": 4, "unit": units["陈州回族街道"]["unit"], "name": "陈州回族街道", "score": 87.5,
        "movement": None, "arrow": "—", "called_in": True, "found": 2, "repeats": 1,
        "overdue_days": 3, "rejections": 0}
    assert [(r["rank"], r["score"]) for r in data["units"]] == \
        [(1, 99.0), (1, 99.0), (3, 96.0), (4, 87.5)]
    assert [(r["name"], r["score"], r["called_in"]) for r in data["districts"]] == \
        [("淮阳区", 99.0, True), ("川汇区", 91.75, True)]
    # 德化社区 is called in, so on the black list rather than the red one.
    assert data["red"] == ["柳湖街道", "市市场监督管理局"]
    assert data["black"] == ["陈州回族街道", "德化社区"]


def test_the_rule_version_in_force_is_named(client, people, ledger):
    campaign, _, _ = ledger
    services.save_rule(people["admin"], campaign, effective_from="2024-01-01")
    client.force_login(people["inspector"])
    data = client.get(URL, {"kind": "week", "day": "2024-01-31"}).json()
    assert data["rule_version"] == 1 and data["period"].startswith("2024年第5周")


def test_anonymous_gets_401_and_liaison_403(client, people, ledger):
    assert client.get(URL, {"kind": "month", "day": "2024-01-15"}).status_code == 401
    client.force_login(people["liaison"])
    response = client.get(URL, {"kind": "month", "day": "2024-01-15"})
    assert response.status_code == 403 and "文明办" in response.json()["detail"]


def test_an_unknown_period_kind_is_refused(client, people, ledger):
    client.force_login(people["viewer"])
    assert client.get(URL, {"kind": "decade"}).status_code == 422
    assert client.get(URL, {"day": "2024-13-01"}).status_code == 422
