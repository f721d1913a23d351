"""The API keeps the promises of /api/openapi.json: schemathesis sends each
operation data that fits its schema and data that does not, in-process
through the WSGI app, as a signed-in office user, and checks every answer
against the document (status codes, bodies, content types, no 500)."""

import pytest
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, openapi

from wenming.campaign.tests.factories import make_campaign, make_problem, make_site

EXAMPLES = 25
# A fixed CSRF secret sent as cookie and header, as a browser page's script would.
CSRF = "h11" * 10 + "ab"


@pytest.fixture
def schema(people, world):
    make_campaign(people["admin"])
    make_problem(people["inspector"], make_site(people["admin"], world))
    client = Client()
    client.force_login(people["admin"])
    # As Django's test client does: a request through the WSGI handler must
    # not close the connection that holds the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        loaded = openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
        yield loaded, {
            django_settings.SESSION_COOKIE_NAME:
                client.cookies[django_settings.SESSION_COOKIE_NAME].value,
            django_settings.CSRF_COOKIE_NAME: CSRF}
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_schema_names_are_unique_and_errors_documented(client, db):
    document = client.get("/api/openapi.json").json()
    names = document["components"]["schemas"]
    assert {"ScreenRowOut", "RankingRowOut"} <= set(names) and "RowOut" not in names
    screen = document["paths"]["/api/credit/screen"]["post"]["responses"]
    assert {"200", "400", "401", "403", "422"} <= set(screen)
    rows = names["ScreenOut"]["properties"]["rows"]["items"]["$ref"]
    assert rows.endswith("/ScreenRowOut")
    rankings = document["paths"]["/api/scoring/rankings"]["get"]["responses"]
    assert {"200", "400", "401", "403", "404", "422"} <= set(rankings)


def test_day_zero_is_not_a_date(client, people):
    make_campaign(people["admin"])
    client.force_login(people["admin"])
    assert client.get("/api/scoring/rankings", {"day": "0"}).status_code == 422
    for day in ["0001-01-01", "2024-02-30", "2100-01-01", "20240615"]:
        assert client.get("/api/scoring/rankings", {"day": day}).status_code == 422, day
    assert client.get("/api/scoring/rankings", {"day": "2024-02-29"}).status_code == 200
    assert client.get("/api/scoring/rankings", {"day": "2024-06-15"}).status_code == 200


def test_huge_year_is_refused_not_a_server_error(client, db):
    response = client.get("/api/search", {"q": "文明", "year_from": "9" * 20})
    assert response.status_code == 422


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_conforms(schema, mode):
    loaded, cookies = schema
    operations = [result.ok() for result in loaded.get_all_operations()]
    assert len(operations) >= 3
    for operation in operations:

        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        # Fixed, so that schemathesis varies the data, not the session; its
        # auth check still drops the session cookie and expects 401.
        @given(case=operation.as_strategy(generation_mode=mode, cookies=cookies,
                                          headers={"X-CSRFToken": CSRF}))
        def check(case):
            case.call_and_validate()

        try:
            check()
        except Unsatisfiable:
            # An operation with no parameters and no body has nothing to
            # send wrong; every other one must be tried.
            if mode is not GenerationMode.NEGATIVE or operation.path_parameters or \
                    operation.query or operation.body:
                raise
