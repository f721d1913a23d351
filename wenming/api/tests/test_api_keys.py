"""Staff create API keys for an integrator (shown once, stored hashed),
revoke them; a key works only within its scopes, its unit and its time,
every use is written down, and the hourly limit is per key."""

from datetime import timedelta

from django.utils import timezone

from wenming.api.models import ApiKey, ApiKeyUse
from wenming.api.tests.factories import bearer, make_key
from wenming.audit.models import AuditEvent
from wenming.campaign.models import CitizenReport
from wenming.campaign.tests.factories import dispatched, make_campaign, make_site

OPEN311 = "/campaign/open311/v2/requests.json"
REPORT = {"service_code": "env", "lat": "33.6255", "long": "114.6497",
          "description": "广场东侧垃圾堆积"}


def test_admin_creates_key_and_sees_it_once(client, people, world):
    client.force_login(people["admin"])
    response = client.post("/api/keys/new/", {
        "name": "市12345热线平台", "owner_unit": world["chuanhui"].pk,
        "scopes": ["open311:write", "ledger:read"], "hourly_limit": 1000,
        "webhook_url": "https://hotline.example.cn/callback"})
    assert response.status_code == 200
    token = response.context["token"]
    key = ApiKey.objects.get()
    assert token.startswith(key.prefix + ".") and token in response.content.decode()
    assert response.context["webhook_secret"] == key.webhook_secret
    # Stored as a digest only, and never shown again.
    assert token.split(".", 1)[1] not in key.secret_hash
    detail = client.get(f"/api/keys/{key.pk}/").content.decode()
    assert key.prefix in detail and token not in detail
    assert AuditEvent.objects.filter(verb="apikey.create", object_id=str(key.pk)).exists()


def test_liaison_cannot_manage_keys(client, people, world):
    client.force_login(people["liaison"])
    assert client.get("/api/keys/").status_code == 403
    assert client.post("/api/keys/new/", {"name": "x"}).status_code == 403


def test_revoked_or_expired_key_is_refused(client, people, world):
    key, token, _ = make_key(people, world)
    assert client.get("/api/ledger/problems", **bearer(token)).status_code == 200
    client.force_login(people["admin"])
    client.post(f"/api/keys/{key.pk}/revoke/")
    client.logout()
    key.refresh_from_db()
    assert key.revoked_at and AuditEvent.objects.filter(verb="apikey.revoke").exists()
    response = client.get("/api/ledger/problems", **bearer(token))
    assert response.status_code == 401 and "已停用" in response.json()["detail"]

    key, token, _ = make_key(people, world, expires_at=timezone.now() + timedelta(days=1))
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/ledger/problems", **bearer(token)).status_code == 401


def test_wrong_secret_or_scope_is_refused(client, people, world):
    key, token, _ = make_key(people, world, scopes=["open311:write"])
    assert client.get("/api/ledger/problems", **bearer(token)).status_code == 401
    secret = token.split(".", 1)[1]
    # Change the secret's first character (a random one may already be "x").
    forged = key.prefix + "." + ("y" if secret[0] == "x" else "x") + secret[1:]
    assert client.get("/api/ledger/problems", **bearer(forged)).status_code == 401
    response = client.post(OPEN311, {**REPORT, "api_key": forged})
    assert response.status_code == 403 and response.json()[0]["code"] == 403


def test_every_use_is_logged_and_limited_per_key(client, people, world):
    make_campaign(people["admin"])
    problem = dispatched(people, make_site(people["admin"], world))
    key, token, _ = make_key(people, world, hourly_limit=3)
    other, other_token, _ = make_key(people, world)
    # Every GET the key authenticates counts, whichever endpoint it asks.
    for url in ["/api/ledger/problems", f"/api/ledger/problems/{problem.pk}",
                f"/api/ledger/problems/{problem.pk}/timeline"]:
        assert client.get(url, **bearer(token)).status_code == 200
    response = client.get("/api/ledger/problems", **bearer(token))
    assert response.status_code == 429 and response["Content-Type"].startswith(
        "application/json")
    assert "每小时最多调用 3 次" in response.json()["detail"]
    assert 3500 < int(response["Retry-After"]) <= 3600
    assert client.get(f"/api/ledger/problems/{problem.pk}", **bearer(token)).status_code == 429
    # Another key has its own budget, and writes have theirs.
    assert client.get("/api/ledger/problems", **bearer(other_token)).status_code == 200
    pushed = client.post("/api/ledger/reports", {**REPORT, "address": "人民路"},
                         content_type="application/json", **bearer(token))
    assert pushed.status_code == 201
    assert ApiKeyUse.objects.filter(key=key).count() == 4
    assert ApiKeyUse.objects.filter(key=key, path="/api/ledger/problems").exists()
    key.refresh_from_db()
    assert key.last_used_at is not None
    # An hour after the oldest use the key may go on; Retry-After said when.
    ApiKeyUse.objects.filter(key=key).update(at=timezone.now() - timedelta(hours=1, seconds=1))
    assert client.get("/api/ledger/problems", **bearer(token)).status_code == 200


def test_spent_write_budget_answers_open311_429_with_retry_after(client, people, world):
    _, token, _ = make_key(people, world, hourly_limit=1)
    assert client.post(OPEN311, REPORT, **bearer(token)).status_code == 201
    response = client.post(OPEN311, REPORT, **bearer(token))
    assert response.status_code == 429 and response.json()[0]["code"] == 429
    assert "每小时最多调用 1 次" in response.json()[0]["description"]
    assert int(response["Retry-After"]) > 0


def test_integrator_is_not_held_to_the_public_limit(client, people, world, settings):
    settings.WENMING_CITIZEN_REPORTS_PER_HOUR = 1
    key, token, _ = make_key(people, world)
    for n in range(3):
        response = client.post(OPEN311, {**REPORT, "description": f"第{n}处"}, **bearer(token))
        assert response.status_code == 201
    # api_key as the spec has it, in the body and in the query string
    assert client.post(OPEN311, {**REPORT, "api_key": token}).status_code == 201
    assert client.post(f"{OPEN311}?api_key={token}", REPORT).status_code == 201
    assert key.reports.count() == 5
    # The anonymous public keeps its limit per address.
    assert client.post(OPEN311, REPORT).status_code == 201
    assert client.post(OPEN311, REPORT).status_code == 429
    assert CitizenReport.objects.count() == 6


def test_credit_screen_with_a_key(people, world):
    from django.test import Client

    _, token, _ = make_key(people, world, scopes=["credit:screen"])
    _, other, _ = make_key(people, world, scopes=["ledger:read"])
    # A key is no session: no CSRF token is asked of it.
    api = Client(enforce_csrf_checks=True)
    body = '{"rows": [{"name": "河南省鑫源食品有限责任公司"}]}'
    response = api.post("/api/credit/screen", body, content_type="application/json",
                        **bearer(token))
    assert response.status_code == 200 and response.json()["rows"][0]["matches"] == []
    assert api.post("/api/credit/screen", body, content_type="application/json",
                    **bearer(other)).status_code == 401
