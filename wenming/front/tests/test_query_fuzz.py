"""Whatever lands in the address bar, no list, filter or API page answers 500.

Hypothesis types values into every GET parameter of every page without
required path arguments (and a few with ids of seeded objects), as the
office, a unit liaison and the public. GET_PARAMS names each page's
parameters; test_every_get_parameter_is_in_the_table fails when a view
reads a parameter the table lacks, so a new filter cannot escape the fuzz.
"""

import re
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wenming.briefings.forms import DraftPeriodForm
from wenming.briefings.tests.factories import make_series, small_issue
from wenming.briefings.views_search import SearchForm
from wenming.campaign import citizen
from wenming.campaign.selectors import LedgerFilter
from wenming.campaign.tests.factories import make_campaign, make_problem, make_site
from wenming.core.public_forms import form_token
from wenming.front.audit_log import FilterForm
from wenming.surveys.forms import StatsForm

LEDGER = list(LedgerFilter.FIELDS) + ["after"]
PERIOD = ["kind", "day"]

# URL name → the GET parameters its view reads.
GET_PARAMS = {
    "home": [],
    "accounts:login": ["next"],
    "accounts:password_change": [],
    "accounts:unit_list": [],
    "accounts:user_list": [],
    "accounts:user_create": [],
    "audit:event_list": [*FilterForm.base_fields, "page"],
    "briefings:issue_list": ["status"],
    "briefings:adoption_stats": ["start", "end", "series"],
    "briefings:adoption_stats_xlsx": ["start", "end", "series"],
    "briefings:submission_list": ["status"],
    "briefings:archive": [],
    "briefings:search": [*SearchForm.base_fields, "page", "everything"],
    "briefings:import_upload": [],
    "briefings:import_confirm": [],
    "briefings:issue_drafts": [*DraftPeriodForm.base_fields],
    "briefings:place_source": [*DraftPeriodForm.base_fields, "object"],
    "credit:public_index": [],
    "credit:lookup": ["q"],
    "credit:verify": ["number", "code"],
    "credit:public_restoration": ["listing"],
    "credit:track": ["code"],
    "credit:manage": ["status", "objections"],
    "credit:restoration_list": ["status"],
    "credit:entity_list": ["q"],
    "credit:screen": [],
    "surveys:home": [],
    "surveys:visit_list": ["issues", "page"],
    "surveys:visit_start": ["assignment"],
    "surveys:assignment_list": ["status"],
    "surveys:questionnaire_list": [],
    "surveys:populations": [],
    "surveys:stats": [*StatsForm.base_fields],
    "surveys:stats_xlsx": [*StatsForm.base_fields],
    "activities:title_list": ["status", "category", "level", "days"],
    "activities:titles_xlsx": ["status", "category", "level", "days"],
    "activities:title_new": [],
    "activities:themed_campaign_list": ["page"],
    "activities:themed_campaign_new": [],
    "honors:roll_list": ["objections"],
    "honors:stats": ["year"],
    "honors:stats_xlsx": ["year"],
    "honors:public_index": [],
    "honors:public_objection_track": ["code"],
    "campaign:problem_list": LEDGER,
    "campaign:problem_counts": LEDGER,
    "campaign:problem_export": LEDGER,
    "campaign:unit_queue": ["tab"],
    "campaign:notice_list": ["level"],
    "campaign:field_sites": ["q", "district", "category", "plan"],
    "campaign:plan_list": [],
    "campaign:index_list": [],
    "campaign:site_list": ["q", "district", "category", "page"],
    "campaign:site_new": [],
    "campaign:site_import": [],
    "campaign:ledger_import": [],
    "campaign:ledger_template": [],
    "campaign:site_template": [],
    "campaign:campaign_settings": [],
    "campaign:report_form": [],
    "campaign:report_track": ["code"],
    "campaign:report_list": ["status"],
    "campaign:report_nearby": ["lat", "lng", "address", "token"],
    "campaign:problem_map": [],
    "campaign:open311_requests": ["service_request_id", "start_date", "end_date",
                                  "service_code", "status", "api_key"],
    "scoring:rankings": PERIOD,
    "scoring:rules": [],
    "scoring:bulletin_list": ["status"],
    "scoring:dashboard": [*PERIOD, "screen"],
    "scoring:dashboard_xlsx": PERIOD,
    "scoring:kiosk": [],
    "scoring:kiosk_list": [],
    "api:search_archive": ["q", "series", "year_from", "year_to", "column", "source_unit",
                           "order", "page", "per_page"],
    "api:rankings": PERIOD,
    "api:list_problems": [*LEDGER, "cursor"],
    "api:published_rolls": [],
    "api:stats": ["year"],
    "api:units": [],
    "apikeys:key_list": [],
    "apikeys:key_new": [],
    "tasks:list": ["page"],
    "system:backup_list": [],
    "todo_badge": [],
    "inbox:message_list": ["page"],
    "inbox:badge": [],
    "inbox:preferences": [],
    "inbox:mark_all_read": [],
}

# Pages behind a path argument that are not fuzzed: each parameter only
# compared with a fixed string ("1", "txt") or passed as a form's initial value.
UNFUZZED_PARAMS = {
    "surveys:public_survey": ["done", "v"],
    "credit:public_track_status": ["new"],
    "honors:public_objection_status": ["new"],
    "honors:public_objection": ["n"],
    "activities:themed_campaign_article": ["format"],
}

# Not pages one lists or filters: signing out, a POST-only endpoint (the
# schemathesis run covers it), the API's own documents, the liveness probe.
SKIPPED = {"accounts:logout", "api:screen", "api:push_report", "api:file_problem",
           "healthz", "api:openapi-json",
           "api:openapi-view", "api:api-root"}

# Values people, scripts and scanners put in query strings: each is tried in
# every parameter; hypothesis adds random text, numbers and dates around them.
ODD = ["", "-1", "99999999999999999999", "9" * 40, "1.5", "²", "0001-01-01", "9999-12-31",
       "2024-02-30", "20240615", "2024-01-01T00:00:00+99:00", "2024Q5", "0000", "1,,2",
       "a" * 300, "\u200b文明", "a\x00b"]
VALUES = st.one_of(
    st.sampled_from(ODD),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(date.isoformat),
    st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]), max_size=20),
)
# Values that make a page do its work, so the others are not refused first.
BASE = {"api:search_archive": {"q": "文明"}, "briefings:search": {"q": "文明"},
        "campaign:report_nearby": {"token": form_token(citizen.FORM_PURPOSE)}}
USERS = ["office", "liaison", "anonymous"]
EXAMPLES_PER_PARAMETER = 4


def _routes(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _routes(p.url_patterns, ns)
        elif p.name:
            yield f"{namespace}{p.name}", p


def _plain_pages():
    """URL names of the pages that take no path arguments."""
    names = set()
    for name, pattern in _routes(get_resolver().url_patterns):
        if name.startswith("admin:") or pattern.pattern.converters:
            continue
        names.add(name)
    return names


def test_every_plain_page_is_fuzzed(db):
    assert _plain_pages() - SKIPPED - set(GET_PARAMS) == set()


def test_every_get_parameter_is_in_the_table():
    """Every key a view reads by name from request.GET (or from `params`,
    the name the ledger and Open311 filters give it) appears in the table."""
    root = Path(__file__).resolve().parents[2]
    read = set()
    for path in root.rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            read |= set(re.findall(r"(?:request\.GET|(?<![\w.])params)(?:\.get\(|\[)\"([a-z_]+)\"",
                                   path.read_text(encoding="utf-8")))
    known = {p for table in (GET_PARAMS, UNFUZZED_PARAMS) for names in table.values()
             for p in names}
    assert len(read) > 20, "the pattern above no longer finds what views read"
    assert read - known == set()


@pytest.fixture
def fuzz_world(people, world):
    admin = people["admin"]
    campaign = make_campaign(admin)
    site = make_site(admin, world)
    make_problem(people["inspector"], site)
    issue = small_issue(people["editor"], make_series(people["editor"]))
    clients = {}
    for user, person in [("office", admin), ("liaison", people["liaison"])]:
        clients[user] = Client()
        clients[user].force_login(person)
    clients["anonymous"] = Client()
    return {"campaign": campaign, "issue": issue, "clients": clients}


def _url(name, fuzz):
    from wenming.briefings.sources import all_sources

    if name == "briefings:issue_drafts":
        return reverse(name, args=[fuzz["issue"].pk])
    if name == "briefings:place_source":
        return reverse(name, args=[all_sources()[0].key])
    if name == "campaign:open311_requests":
        return reverse(name, args=["json"])
    return reverse(name)


@pytest.mark.parametrize("name", sorted(GET_PARAMS))
def test_no_query_string_makes_a_server_error(name, fuzz_world):
    names = GET_PARAMS[name]
    url = _url(name, fuzz_world)
    # One parameter under test, sometimes with others beside it, so each
    # parameter meets the odd values rather than a crowd of blanks.
    queries = st.builds(lambda one, others: {**others, **dict([one])},
                        st.tuples(st.sampled_from(names), VALUES),
                        st.dictionaries(st.sampled_from(names), VALUES, max_size=2)) \
        if names else st.just({})

    def get(user, query):
        response = fuzz_world["clients"][user].get(url, {**BASE.get(name, {}), **query})
        assert response.status_code < 500, (user, query)
        if response.status_code == 400 and not name.startswith(("api:", "campaign:open")):
            assert "请求有误" in response.content.decode(), (user, query)

    for param in names:
        for value in ODD:
            get("office", {param: value})

    @settings(max_examples=EXAMPLES_PER_PARAMETER * max(len(names), 1), deadline=None,
              derandomize=True, database=None, suppress_health_check=list(HealthCheck))
    @given(query=queries, user=st.sampled_from(USERS))
    def check(query, user):
        get(user, query)

    check()


def test_out_of_range_parameters_answer_400_in_chinese(client, people, world):
    make_campaign(people["admin"])
    client.force_login(people["admin"])
    for url, words in [
        ("/campaign/?district=" + "9" * 20, "县区"),
        ("/campaign/problems/counts/?unit=²", "责任单位"),
        ("/campaign/problems/export.xlsx?date_from=0001-01-01", "2000 年至 2099 年"),
        ("/scoring/?day=0001-01-01", "2000 年至 2099 年"),
        ("/scoring/dashboard/?day=2024-02-30", "应为日期"),
    ]:
        response = client.get(url)
        text = response.content.decode()
        assert response.status_code == 400 and "请求有误" in text and words in text, url
    # A usable value still filters.
    assert client.get(f"/campaign/?district={world['chuanhui'].pk}").status_code == 200


def test_open311_refuses_an_impossible_offset(client, db):
    url = reverse("campaign:open311_requests", args=["json"])
    response = client.get(url, {"start_date": "2024-01-01T00:00:00+99:00"})
    assert response.status_code == 400 and "W3C datetime" in response.content.decode()
    assert client.get(url, {"start_date": "2024-01-01T00:00:00+08:00"}).status_code == 200


def test_audit_log_filter_says_the_date_range(client, people):
    client.force_login(people["admin"])
    response = client.get(reverse("audit:event_list"), {"date_from": "0001-01-01"})
    assert response.status_code == 200
    assert "日期应在 2000 年至 2099 年之间" in response.content.decode()


def test_nul_in_a_query_string_is_refused_on_every_page(client, people):
    client.force_login(people["admin"])
    for url in ["/campaign/?q=a%00b", "/credit/lookup/?q=%00"]:
        response = client.get(url)
        assert response.status_code == 400 and "空字符" in response.content.decode(), url
    assert "script-src 'self'" in response["Content-Security-Policy"]
    response = client.get("/api/search?q=%00")
    assert response.status_code == 400 and "空字符" in response.json()["detail"]
