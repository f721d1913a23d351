"""Storing an imported issue: its series found (or created), the issue built
through the briefing services, then published with its PDF and DOCX, all in
one transaction: either the whole issue is there or nothing is."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from wenming.accounts import roles
from wenming.accounts.models import Unit
from wenming.audit.services import record
from wenming.briefings import services
from wenming.briefings.importer.text import key
from wenming.briefings.models import Issue, Series
from wenming.core.errors import DomainError, require


def find_series(title: str, kind: str = "") -> Series | None:
    """The series a masthead names. "××精神文明建设简报" finds the series
    ××精神文明建设 of kind 简报, and the other way round."""
    wanted = key(title)
    candidates = list(Series.objects.all())
    for s in candidates:
        if key(s.title) == wanted and (not kind or key(s.kind) == key(kind)):
            return s
    for s in candidates:
        if wanted in (key(s.title), key(s.title + s.kind)) or key(s.title) == key(title + kind):
            return s
    return None


def check_import(actor, structure: dict, series: Series | None = None) -> dict:
    """What an import would do, without writing: the series it goes into
    (None = a new one) and the issue it becomes. Refuses what the import
    would refuse."""
    require(roles.is_office_editor(actor), "只有编辑或管理员可以导入简报。")
    data = validate_structure(structure)
    if data.get("correction_note"):
        raise DomainError("这是一期简报的更正版。请导入原版，再在系统中用“更正”生成新版本。")
    series = series or find_series(data["series"], data["kind"])
    label = (f"《{series.title if series else data['series']}》{data['year']}年"
             f"{'增刊' if data['is_supplement'] else ''}第{data['number']}期")
    if series and Issue.objects.filter(series=series, year=data["year"], number=data["number"],
                                       is_supplement=data["is_supplement"],
                                       correction_of__isnull=True).exists():
        raise DomainError(f"{label}已存在，不能重复导入。", field="number")
    return {"series": series, "label": label, "data": data}


@transaction.atomic
def import_issue(actor, structure: dict, series: Series | None = None, *, source: str = ""):
    """Store a parsed issue (see wenming.briefings.importer) as published.
    `series` overrides the series named by the masthead."""
    plan = check_import(actor, structure, series)
    data, series = plan["data"], plan["series"]
    if series is None:
        series = services.create_series(actor, title=data["series"], kind=data["kind"] or "简报",
                                        issuer=data["issuer"])
    footer = data["footer"]
    try:
        with transaction.atomic():
            issue = services.create_issue(
                actor, series, date=datetime.date.fromisoformat(data["date"]), year=data["year"],
                number=data["number"], is_supplement=data["is_supplement"],
                serial=data["serial"], note=data["note"], marking=data["marking"],
                report_to=footer["report_to"], copy_to=footer["copy_to"], issue_to=footer["issue_to"],
                print_run=footer["print_run"],
                columns=[(c["name"], all(a.get("lead_in") for a in c["articles"]))
                         for c in data["columns"]],
            )
    except IntegrityError:  # another import of the same issue won the race
        raise DomainError(f"{plan['label']}已存在，不能重复导入。", field="number") from None
    units = {}
    for column, spec in zip(issue.columns.order_by("order"), data["columns"], strict=True):
        for article in spec["articles"]:
            unit_name = article.get("source_unit", "")
            if unit_name not in units:
                units[unit_name] = Unit.objects.filter(name=unit_name).first() if unit_name else None
            author = article.get("author", "")
            if unit_name and units[unit_name] is None:
                author = "　".join(p for p in (unit_name, author) if p)  # keep the credit
            services.add_article(actor, column, title=article["title"],
                                 body="\n".join(article["paragraphs"]),
                                 captions="\n".join(article.get("captions") or []),
                                 source_unit=units[unit_name], author=author[:100])
    # A legacy issue was signed off on paper long ago; it enters the state
    # machine at "signed off" so that publishing renders and stores its files
    # exactly as for any other issue.
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SIGNED_OFF)
    issue = services.publish_issue(actor, Issue.objects.get(pk=issue.pk))
    record(actor, "issue.import", issue, after={
        "source": source[:200], "series": series.pk, "year": issue.year, "number": issue.number,
        "is_supplement": issue.is_supplement,
        "columns": len(data["columns"]),
        "articles": sum(len(c["articles"]) for c in data["columns"]),
    })
    return issue


# Text fields and the length their database column holds.
_TEXT_KEYS = {"series": 50, "kind": 20, "issuer": 50, "date": 10, "marking": 30, "note": 5000}


def validate_structure(structure) -> dict:
    """The structure with its types checked: it may come back from a form
    or from a JSON file someone edited."""
    def fail(what):
        raise DomainError(f"导入数据不完整或格式不对：{what}。")

    if not isinstance(structure, dict):
        fail("不是一期简报的结构")
    data = dict(structure)
    for name, limit in _TEXT_KEYS.items():
        data[name] = data.get(name) or ""
        if not isinstance(data[name], str):
            fail(f"“{name}”应为文字")
        if len(data[name]) > limit:
            fail(f"“{name}”超过{limit}字")
    if not data["series"].strip():
        fail("缺少简报名称")
    try:
        datetime.date.fromisoformat(data["date"])
    except ValueError:
        fail("日期应为 YYYY-MM-DD")
    for name in ("year", "number"):
        if not isinstance(data.get(name), int) or isinstance(data.get(name), bool) \
                or data[name] < 1:
            fail(f"“{name}”应为正整数")
    if data.get("serial") is not None and (not isinstance(data["serial"], int)
                                           or data["serial"] < 1):
        fail("总期号应为正整数")
    data["serial"] = data.get("serial")
    data["is_supplement"] = bool(data.get("is_supplement"))
    columns = data.get("columns")
    if not isinstance(columns, list) or not columns:
        fail("没有栏目")
    for column in columns:
        if not isinstance(column, dict) or not isinstance(column.get("name", ""), str) \
                or len(column.get("name", "")) > 30:
            fail("栏目名称应为不超过30字的文字")
        articles = column.get("articles")
        if not isinstance(articles, list) or not articles:
            fail(f"栏目“{column.get('name', '')}”没有稿件")
        for article in articles:
            if not isinstance(article, dict) or not isinstance(article.get("title"), str):
                fail("稿件缺少标题")
            paragraphs = article.get("paragraphs")
            if not isinstance(paragraphs, list) or not all(isinstance(p, str) for p in paragraphs):
                fail(f"稿件“{article['title']}”的正文格式不对")
            captions = article.get("captions") or []
            if not isinstance(captions, list) or not all(isinstance(c, str) for c in captions):
                fail(f"稿件“{article['title']}”的图片说明格式不对")
    footer = data.get("footer") or {}
    if not isinstance(footer, dict):
        fail("版记格式不对")
    data["footer"] = {name: str(footer.get(name) or "") for name in ("report_to", "copy_to", "issue_to")}
    if any(len(value) > 300 for value in data["footer"].values()):
        fail("版记的报、送、发各不超过300字")
    print_run = footer.get("print_run")
    if print_run is not None and (not isinstance(print_run, int) or print_run < 0):
        fail("印数应为整数")
    data["footer"]["print_run"] = print_run or None
    return data
