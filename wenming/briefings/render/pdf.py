"""PDF typesetting of briefing issues through Typst (briefing.typ).

The data dict of an issue (built from the models by the caller):

    {"series_title", "kind", "year", "number", "serial", "is_supplement",
     "issuer", "date" ("2024-01-10"), "date_text" ("2024年1月10日"),
     "marking", "note", "is_correction", "correction_note",
     "columns": [{"name", "articles": [{"title", "paragraphs": [...],
                  "lead_in", "source_unit", "author", "captions": [...]}]}],
     "footer": {"report_to", "copy_to", "issue_to", "print_run"}}

Missing keys and None values are filled in before rendering, so the
template only ever sees strings, lists, booleans and integers.
"""

from pathlib import Path

from wenming.briefings.render.txt import date_text, number_text
from wenming.core.fonts import cjk_fonts
from wenming.core.typst import render

TEMPLATE = Path(__file__).resolve().parent / "briefing.typ"

_TEXT_FIELDS = (
    "series_title",
    "kind",
    "issuer",
    "date",
    "date_text",
    "marking",
    "note",
    "correction_note",
)


def render_issue_pdf(data: dict) -> bytes:
    """The PDF of one issue, with its red masthead and 版记."""
    return render(str(TEMPLATE), issue_render_data(data))


def render_compilation_pdf(series_title: str, year: int, issues: list[dict]) -> bytes:
    """The yearly 合订本: cover, combined contents with page numbers, then
    every issue in order, each starting on a new odd page."""
    issues = [issue_render_data(issue) for issue in issues]
    first = issues[0] if issues else {}
    data = {
        "compilation": {
            "series_title": _text(series_title),
            "kind": first.get("kind", "简报"),
            "year": int(year),
            "issuer": first.get("issuer", ""),
        },
        "issues": issues,
    }
    return render(str(TEMPLATE), data)


def font_families() -> dict[str, list[str]]:
    """The font families each role is set in on this machine, best first
    (title, body, kai, hei, song), e.g. for a diagnostics page."""
    return {role: list(families) for role, families in cjk_fonts().roles.items()}


def issue_render_data(data: dict) -> dict:
    """`data` completed with defaults and normalised for the template."""
    issue = {name: _text(data.get(name)) for name in _TEXT_FIELDS}
    issue["kind"] = issue["kind"] if data.get("kind") is not None else "简报"
    issue["year"] = _int(data.get("year"))
    issue["number"] = _int(data.get("number"))
    issue["serial"] = _int(data.get("serial"))
    issue["is_supplement"] = bool(data.get("is_supplement"))
    issue["is_correction"] = bool(data.get("is_correction"))
    issue["number_text"] = number_text(issue)
    if not issue["date_text"] and issue["date"]:
        issue["date_text"] = date_text(issue)
    if issue["year"] is None and issue["date"][:4].isdigit():
        issue["year"] = int(issue["date"][:4])
    issue["columns"] = [
        {
            "name": _text(column.get("name")),
            "articles": [_article(a) for a in column.get("articles") or ()],
        }
        for column in data.get("columns") or ()
    ]
    footer = data.get("footer") or {}
    issue["footer"] = {
        "report_to": _text(footer.get("report_to")),
        "copy_to": _text(footer.get("copy_to")),
        "issue_to": _text(footer.get("issue_to")),
        "print_run": _int(footer.get("print_run")) or None,
    }
    return issue


def _article(article: dict) -> dict:
    paragraphs = [_text(p).strip() for p in article.get("paragraphs") or ()]
    return {
        "title": _text(article.get("title")).strip(),
        "paragraphs": [p for p in paragraphs if p],
        "lead_in": bool(article.get("lead_in")),
        "source_unit": _text(article.get("source_unit")).strip(),
        "author": _text(article.get("author")).strip(),
        "captions": [c for c in (_text(c).strip() for c in article.get("captions") or ()) if c],
    }


def _text(value) -> str:
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _int(value):
    if value in (None, ""):
        return None
    return int(value)

