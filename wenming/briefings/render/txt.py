"""Plain-text edition of a briefing issue.

The layout follows the text of a printed issue as extracted from its PDF: masthead lines,
the table of contents grouped by column, then the body, every block separated by a blank
line. Body paragraphs are indented with two full-width spaces, so that a future importer
can tell them apart from titles, column headers (【栏目】) and the footer lines (报：/送：/
发：/共印N份).

The small helpers below define how an issue's fields turn into text; the DOCX renderer
uses them too, so both editions always say the same thing.
"""

from __future__ import annotations

import datetime

from wenming.briefings import numbering
from wenming.core.text import chinese_date

INDENT = "\u3000\u3000"

# A lead-in title ending with one of these needs no added "。".
_SENTENCE_END = "。！？!?…；;：:"


def number_text(data: dict) -> str:
    """Return "第1期", "第1期（总第25期）" or "增刊第1期（总第30期）"."""
    return numbering.number_text(data.get("number"), data.get("serial"),
                                 data.get("is_supplement"))


def date_text(data: dict) -> str:
    """Return the Chinese date line, derived from the ISO date when not given."""
    if data.get("date_text"):
        return data["date_text"]
    raw = data.get("date")
    if not raw:
        return ""
    try:
        day = raw if isinstance(raw, datetime.date) else datetime.date.fromisoformat(str(raw)[:10])
    except ValueError:
        return str(raw)
    return chinese_date(day)


def one_line(text: str | None) -> str:
    """Join a possibly multi-line title into one line."""
    return "".join(part.strip() for part in (text or "").splitlines())


def lead_in_title(title: str | None) -> str:
    """Return a short-news title ready to start its first paragraph ("标题。")."""
    title = one_line(title)
    if title and title[-1] not in _SENTENCE_END:
        title += "。"
    return title


def article_paragraphs(article: dict) -> list[str]:
    """Return the article's non-empty paragraphs, trimmed; a line break starts a new one."""
    paragraphs = []
    for paragraph in article.get("paragraphs") or []:
        for line in (paragraph or "").splitlines():
            line = line.strip()
            if line:
                paragraphs.append(line)
    return paragraphs


def captions(article: dict) -> list[str]:
    """Return the article's photo captions (图为…, ▲…), trimmed, as written."""
    return [c.strip() for c in article.get("captions") or [] if (c or "").strip()]


def byline(article: dict) -> str:
    """Return "（供稿：单位　作者：姓名）" or "" when neither is known."""
    parts = []
    if (article.get("source_unit") or "").strip():
        parts.append(f"供稿：{article['source_unit'].strip()}")
    if (article.get("author") or "").strip():
        parts.append(f"作者：{article['author'].strip()}")
    return f"（{'　'.join(parts)}）" if parts else ""


def visible_columns(data: dict) -> list[dict]:
    """Return the columns that hold at least one article."""
    return [column for column in data.get("columns") or [] if column.get("articles")]


def column_header(column: dict) -> str:
    name = one_line(column.get("name"))
    return f"【{name}】" if name else ""


def note_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def correction_text(data: dict) -> str:
    """Return the correction notice, or "" for an ordinary issue."""
    if not data.get("is_correction"):
        return ""
    note = one_line(data.get("correction_note")) or "本期为更正版，以此为准。"
    return f"更正说明：{note}"


def footer_lines(footer: dict | None) -> list[tuple[str, str]]:
    """Return the 版记 lines as (kind, text): kind is "report_to", "copy_to", "issue_to" or "print_run"."""
    footer = footer or {}
    lines = []
    for key, label in (("report_to", "报"), ("copy_to", "送"), ("issue_to", "发")):
        value = one_line(footer.get(key))
        if value:
            lines.append((key, f"{label}：{value}"))
    if footer.get("print_run"):
        lines.append(("print_run", f"共印{footer['print_run']}份"))
    return lines


def render_issue_txt(data: dict) -> str:
    """Render a briefing issue as plain text (UTF-8 friendly, blank line between blocks)."""
    blocks: list[str] = []
    if (data.get("marking") or "").strip():
        blocks.append(data["marking"].strip())
    blocks += [
        one_line(data.get("series_title")),
        one_line(data.get("kind")),
        number_text(data),
        one_line(data.get("issuer")),
        date_text(data),
    ]
    correction = correction_text(data)
    if correction:
        blocks.append(correction)

    columns = visible_columns(data)
    for column in columns:
        blocks.append(column_header(column))
        blocks += [one_line(article.get("title")) for article in column["articles"]]

    notes = note_lines(data.get("note"))
    if notes:
        blocks.append(f"编者按：{notes[0]}")
        blocks += [INDENT + line for line in notes[1:]]

    for column in columns:
        blocks.append(column_header(column))
        for article in column["articles"]:
            blocks += _article_blocks(article)

    blocks += [text for _, text in footer_lines(data.get("footer"))]
    return "\n\n".join(block for block in blocks if block) + "\n"


def _article_blocks(article: dict) -> list[str]:
    paragraphs = article_paragraphs(article)
    credit = byline(article)
    if article.get("lead_in"):
        first = lead_in_title(article.get("title")) + (paragraphs[0] if paragraphs else "")
        blocks = [INDENT + first] + [INDENT + p for p in paragraphs[1:]]
        if credit:
            blocks[-1] += credit
        return blocks + [INDENT + c for c in captions(article)]
    blocks = [one_line(article.get("title"))]
    blocks += [INDENT + p for p in paragraphs]
    # Under the text as in the PDF; indented like a paragraph, so the
    # importer reads them back as captions, not as the next title.
    blocks += [INDENT + c for c in captions(article)]
    if credit:
        blocks.append(credit)
    return blocks
