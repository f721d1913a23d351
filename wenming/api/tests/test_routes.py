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


def _missing_documentation(path, method, operation):
    """What the operation leaves out, as a list of Chinese-free reasons."""
    missing = []
    if not CJK.search(operation.get("summary", "")):
        missing.append("Chinese summary")
    if not CJK.search(operation.get("description", "")):
        missing.append("Chinese description")
    responses = operation["responses"]
    ok = next((responses[c] for c in ("200", "201") if c in responses), None)
    if ok is None or "example" not in ok.get("content", {}).get("application/json", {}):
        missing.append("example of the answer")
    if "requestBody" in operation and \
            "example" not in operation["requestBody"]["content"]["application/json"]:
        missing.append("example of the request body")
    security = {name for entry in operation.get("security", []) for name in entry}
    expected = {"400"}  # a NUL in any query parameter, whatever the operation
    if operation.get("parameters") or "requestBody" in operation:
        expected.add("422")
    if security:
        expected.add("401")
    if "KeyAuth" in security:
        expected.add("429")
    if "{" in path:
        expected.add("404")
    missing += [f"error {code}" for code in sorted(expected - set(responses))]
    for code, response in responses.items():
        if code >= "400" and not (CJK.search(response["description"]) and
                                  "example" in response["content"]["application/json"]):
            missing.append(f"Chinese description and example of {code}")
    return missing


def test_operations_are_documented_in_chinese_with_examples_and_errors(schema):
    undocumented = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            missing = _missing_documentation(path, method, operation)
            if missing:
                undocumented[f"{method.upper()} {path}"] = missing
    assert undocumented == {}
    assert len([op for ops in schema["paths"].values() for op in ops]) >= 11
    assert CJK.search(schema["info"]["description"])
    push = schema["paths"]["/api/ledger/reports"]["post"]
    assert push["requestBody"]["content"]["application/json"]["example"]["external_id"]
    filed = schema["paths"]["/api/ledger/problems"]["post"]["responses"]
    assert {"200", "201", "404", "429"} <= set(filed)
    assert "KeyAuth" in str(schema["components"]["securitySchemes"])


def test_the_walk_finds_what_is_left_out():
    bare = {"summary": "检索", "responses": {"200": {"content": {"application/json": {}}},
                                             "400": {"description": "Bad Request",
                                                     "content": {"application/json": {}}}},
            "parameters": [{"name": "q"}], "security": [{"KeyAuth": []}],
            "requestBody": {"content": {"application/json": {}}}}
    assert _missing_documentation("/api/x/{id}", "post", bare) == [
        "Chinese description", "example of the answer", "example of the request body",
        "error 401", "error 404", "error 422", "error 429",
        "Chinese description and example of 400"]


def test_docs_page_is_served_locally(client, db):
    response = client.get("/api/docs")
    html = response.content.decode()
    assert response.status_code == 200 and "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()


def test_examples_fit_their_schemas(schema):
    # schemathesis's own validator, installed with it
    from jsonschema_rs import Draft202012Validator

    checked = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            bodies = [(code, r["content"]["application/json"])
                      for code, r in operation["responses"].items()]
            if "requestBody" in operation:
                bodies.append(("body", operation["requestBody"]["content"]["application/json"]))
            for code, content in bodies:
                validator = Draft202012Validator(
                    {**content["schema"], "components": schema["components"]},
                    validate_formats=True)
                errors = [e.message for e in validator.iter_errors(content["example"])]
                assert errors == [], (method, path, code)
                checked += 1
    assert checked > 40
