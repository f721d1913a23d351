"""Issue → the plain data dict every renderer (PDF, DOCX, HTML, TXT) reads.

User text travels only as data: the Typst template reads it from JSON, so
nothing a user types can become markup."""

from pathlib import Path

from wenming.core.text import chinese_date

_STATIC = Path(__file__).resolve().parents[1] / "static" / "briefings"


def issue_data(issue):
    columns = []
    articles = list(issue.articles.select_related("source_unit").order_by("order", "id"))
    for column in issue.columns.all():
        columns.append({
            "name": column.name,
            "articles": [
                {
                    "title": a.title,
                    "paragraphs": a.paragraphs,
                    "captions": a.caption_list,
                    "lead_in": column.lead_in,
                    "source_unit": a.source_unit.name if a.source_unit else "",
                    "author": a.author,
                    "anchor": f"a{a.pk}",
                }
                for a in articles if a.column_id == column.pk
            ],
        })
    series = issue.series
    return {
        "series_title": series.title,
        "kind": series.kind,
        "year": issue.year,
        "number": issue.number,
        "serial": issue.serial,
        "is_supplement": issue.is_supplement,
        "number_text": issue.number_text,
        "issuer": series.issuer,
        "date": issue.date.isoformat(),
        "date_text": chinese_date(issue.date),
        "marking": issue.marking,
        "note": issue.note,
        "is_correction": issue.correction_of_id is not None,
        "correction_note": issue.correction_note,
        "columns": columns,
        "footer": {
            "report_to": issue.report_to,
            "copy_to": issue.copy_to,
            "issue_to": issue.issue_to,
            "print_run": issue.print_run,
        },
    }


def render_issue(issue, fmt):
    """Bytes of `issue` in `fmt` (pdf, docx, html, txt)."""
    data = issue_data(issue)
    if fmt == "pdf":
        from wenming.briefings.render.pdf import render_issue_pdf

        return render_issue_pdf(data)
    if fmt == "docx":
        from wenming.briefings.render.docx import render_issue_docx

        return render_issue_docx(data)
    if fmt == "txt":
        from wenming.briefings.render.txt import render_issue_txt

        return render_issue_txt(data).encode("utf-8")
    if fmt == "html":
        from django.template.loader import render_to_string

        css = (_STATIC / "edition.css").read_text(encoding="utf-8")
        return render_to_string("briefings/web_edition_file.html",
                                {"d": data, "css": css}).encode("utf-8")
    raise ValueError(f"未知格式：{fmt}")
