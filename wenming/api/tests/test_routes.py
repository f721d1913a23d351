"""Every documented API path answers at its URL (no router left unmounted),
every operation is documented in Chinese, and the docs page is served from
our own static files."""

import re

import pytest

from wenming.api.tests.factories import bearer, make_key

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def schema(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_documented_path_answers(client, people, world, schema):
    _, token, _ = make_key(people, world, scopes=["ledger:read", "ledger:write",
                                                  "credit:screen"])
    paths = schema["paths"]
    assert "/api/honors/rolls" in paths and "/api/ledger/problems" in paths
    for path, operations in paths.items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method in operations:
            if method == "get":
                response = client.get(url, {"q": "文明"}, **bearer(token))
            else:
                response = client.generic(method.upper(), url, "{}",
                                          content_type="application/json", **bearer(token))
            # Mounted: the API answers in JSON, whatever the verdict on "1".
            assert response["Content-Type"].startswith("application/json"), (method, path)
            assert response.status_code in (200, 201, 400, 401, 404, 422), (method, path)


def test_honor_rolls_by_url(client, db):
    response = client.get("/api/honors/rolls")
    assert response.status_code == 200 and response.json() == []


def test_operations_are_documented_in_chinese(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert CJK.search(operation.get("summary", "")), (method, path)
    ledger = schema["paths"]["/api/ledger/problems/{problem_id}"]["get"]
    assert {"200", "401", "404"} <= set(ledger["responses"])
    assert CJK.search(schema["info"]["description"])
    push = schema["paths"]["/api/ledger/reports"]["post"]
    assert push["requestBody"]["content"]["application/json"]["example"]["external_id"]
    assert "BearerAuth" in str(schema["components"]["securitySchemes"]) or \
        "KeyAuth" in str(schema["components"]["securitySchemes"])


def test_docs_page_is_served_locally(client, db):
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200 and "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
