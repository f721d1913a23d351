"""No export runs user text as a formula: every URL answering with an .xlsx
is fetched after the demo data's text fields were overwritten with text that
starts like a formula, and no cell of any answer may be a formula."""

import inspect
import io
import itertools
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Cast, Concat
from django.urls import URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from wenming.accounts.models import User
from wenming.core.excel import safe_value
from wenming.core.web import CONTENT_TYPES

PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-1+1", "@SUM(A1)", "\t=1"]
# The exports the office asked about by name; each must be reached.
NAMED = {"honors:roll_xlsx", "campaign:problem_export", "activities:themed_campaign_xlsx",
         "activities:titles_xlsx"}
MAX_PK = 12


def _export_patterns():
    """(name, converters) of every URL whose view can answer .xlsx."""

    def walk(patterns, prefix, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            else:
                yield f"{namespace}{p.name}", prefix + str(p.pattern), p

    for name, route, p in walk(get_resolver().url_patterns, "", ""):
        if route.startswith(("admin/", "api/")):
            continue
        try:
            source = inspect.getsource(p.callback)
        except (OSError, TypeError):
            continue
        if "xlsx" in route or '"xlsx"' in source:
            yield name, p.pattern.converters, _candidate_pks(source)


def _candidate_pks(source):
    """The first pks of the models the view looks up, so the walk reaches real
    rows on any database (PostgreSQL does not reuse ids across tests); where
    the lookup is not plain, the first pks of all."""
    names = set(re.findall(r"get_object_or_404\(\s*(\w+)", source))
    looked_up = [m for m in apps.get_models() if m.__name__ in names]
    if not looked_up:
        return range(1, MAX_PK + 1)
    return sorted({pk for m in looked_up
                   for pk in m._base_manager.order_by("pk").values_list("pk", flat=True)[:MAX_PK]})


def _poison_text_fields():
    """Every free-text field of every row of our models: one payload per row,
    each field starting at another one, suffixed by the pk so unique fields
    stay unique."""
    for model in apps.get_models():
        if not model.__module__.startswith("wenming.") or model._meta.app_label == "audit":
            continue
        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.choices
                  and not f.primary_key and f.name != "password"]
        queryset = model._base_manager.annotate(_slot=F("pk") % len(PAYLOADS))
        for i, f in enumerate(fields):
            fitting = [p for p in PAYLOADS if not f.max_length or len(p) + 8 <= f.max_length]
            for slot in range(len(PAYLOADS)):
                if not fitting:
                    break
                payload = fitting[(slot + i) % len(fitting)]
                queryset.filter(_slot=slot).update(
                    **{f.name: Concat(Value(payload), Cast("pk", models.CharField()))})


@pytest.fixture
def poisoned(db):
    call_command("demo", no_serve=True)
    _poison_text_fields()


def _xlsx_answers(client):
    """{url name: [(url, content)]} for every export URL answering .xlsx; an
    URL taking a pk is tried with the first pks."""
    answers = {}
    for name, converters, pks in _export_patterns():
        choices = []
        for key in converters:
            choices.append([(key, "xlsx")] if key == "fmt" else [(key, pk) for pk in pks])
        for combination in itertools.product(*choices):
            url = reverse(name, kwargs=dict(combination))
            response = client.get(url)
            if (response.status_code == 200
                    and response["Content-Type"] == CONTENT_TYPES["xlsx"]):
                content = (b"".join(response.streaming_content) if response.streaming
                           else response.content)
                answers.setdefault(name, []).append((url, content))
    return answers


def test_no_export_writes_user_text_as_a_formula(poisoned, client):
    client.force_login(User.objects.filter(is_superuser=True).first())
    answers = _xlsx_answers(client)
    assert NAMED <= set(answers), f"未能导出：{NAMED - set(answers)}"
    formulas, shown = [], set()
    for name, found in answers.items():
        for url, content in found:
            workbook = load_workbook(io.BytesIO(content))
            for sheet in workbook.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        value = cell.value
                        if cell.data_type == "f" or (isinstance(value, str)
                                                     and value.startswith("=")):
                            formulas.append(f"{url} {sheet.title}!{cell.coordinate}: {value!r}")
                        if isinstance(value, str) and value.startswith("'"):
                            shown.add(name)
    assert not formulas, "\n".join(formulas[:20])
    # The seeded text did reach the exports the office named, neutralised.
    assert NAMED <= shown


@pytest.mark.parametrize("text", PAYLOADS + [" =1", "\n@A1", "\r+1"])
def test_text_starting_like_a_formula_is_kept_as_text(text):
    assert safe_value(text) == "'" + text


@pytest.mark.parametrize("value", ["川汇区", "a=b", "1-2", 5, -3, None, "＝1"])
def test_other_values_are_written_unchanged(value):
    assert safe_value(value) == value

