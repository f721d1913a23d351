"""Structure recovery: from the lines of an extracted briefing to its
masthead, editor's note, table of contents, columns, articles and imprint.

The table of contents is the skeleton: the body begins where it repeats,
and body.py finds every entry again there. Without a table of contents,
titles are recognised by their layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from wenming.briefings.importer import cleanup
from wenming.briefings.importer.body import anchor, segment, take_footer, title_like
from wenming.briefings.importer.masthead import (
    column_name,
    correction_label,
    is_toc_heading,
    note_label,
    parse_footer,
    parse_masthead,
)
from wenming.briefings.importer.paragraphs import paragraphs
from wenming.briefings.importer.text import (
    Extraction,
    ImportRefused,
    Line,
    Warning,
    clean,
    ends_sentence,
    is_page_number,
    key,
)

FRONT_MAX_LINES = 300  # the table of contents ends within this many lines
TITLE_MAX = 200
COLUMN_MAX = 30


@dataclass
class ParseResult:
    structure: dict
    extraction: Extraction
    warnings: list[str] = field(default_factory=list)  # Warning: text and line
    roles: dict[int, str] = field(default_factory=dict)  # line no → masthead/toc/column/title/note/footer
    confidence: dict = field(default_factory=dict)  # field → 0..1, how sure the parse is

    @property
    def article_count(self):
        return sum(len(c["articles"]) for c in self.structure["columns"])

    def warn(self, message: str, line: int | None = None) -> None:
        self.warnings.append(Warning(message, line))

    def as_json(self) -> dict:
        """The structure with its warnings and confidence, as `briefing parse` prints it."""
        return {**self.structure,
                "warnings": [w.as_json() if isinstance(w, Warning) else {"line": None, "message": w}
                             for w in self.warnings],
                "confidence": self.confidence}


def parse_extraction(extraction: Extraction) -> ParseResult:
    """The best structure the text allows. Nothing the parse cannot read
    refuses the file: what is missing or was assumed becomes a warning
    naming the line and the cause, and lowers the field's confidence."""
    result = ParseResult({}, extraction, warnings=[Warning(w) for w in extraction.warnings])
    lines = _drop_page_numbers(extraction.lines)
    lines = cleanup.unflatten(lines, result)
    lines = cleanup.drop_web_residue(lines, result)
    if not lines:
        raise ImportRefused("文件中没有文字。")
    restore = cleanup.simplify(lines, result)
    masthead, pos = parse_masthead(lines, result.warn)
    for line in lines[:pos]:
        result.roles[line.no] = "masthead"
    lines = lines[:pos] + _drop_running_heads(lines[pos:], masthead.series, result)
    body_start = _body_start(lines, pos)
    front, body = lines[pos:body_start], lines[body_start:]
    toc, note_lines, correction_lines = _front(front, body, result)
    columns_from = "toc" if toc else "layout"
    if toc:
        try:
            columns, tail = anchor(list(body), toc, result, note_lines)
        except ImportRefused as e:
            result.warn(f"{e.message}已改为按版式识别稿件，请在预览中核对。", e.line)
            for line in body:
                result.roles.pop(line.no, None)
            columns, tail = segment(body, result)
            columns_from = "fallback"
    else:
        columns, tail = segment(body, result)
    footer_lines = take_footer(tail, columns, result)
    footer = parse_footer(footer_lines, masthead.issuer)
    for line in footer_lines:
        result.roles[line.no] = "footer"

    date = masthead.date or footer["date"]
    issuer = masthead.issuer or footer["issuer"]
    where = (f"报头（{masthead.first.where}至{masthead.last.where}）" if masthead.first
             else "报头")
    if date is None:
        result.warn(f"{where}和版记中都没有印发日期（如“2024年1月10日”），请在预览中填写。",
                    masthead.first.no if masthead.first else None)
    if not issuer:
        result.warn(f"{where}和版记中都没有编发单位（如“××市文明办”），请在预览中填写。",
                    masthead.first.no if masthead.first else None)
    result.structure = {
        "series": masthead.series,
        "kind": masthead.kind,
        "year": masthead.year or (date.year if date else None),
        "number": masthead.number,
        "serial": masthead.serial,
        "is_supplement": masthead.is_supplement,
        "issuer": issuer,
        "date": date.isoformat() if date else "",
        "marking": masthead.marking,
        "note": "\n".join(paragraphs(note_lines)),
        "columns": columns,
        "footer": {k: footer[k] for k in ("report_to", "copy_to", "issue_to", "print_run")},
    }
    if correction_lines:
        result.structure["correction_note"] = "\n".join(paragraphs(correction_lines))
    extras = masthead.extras + footer["extras"]
    if extras:
        result.structure["extras"] = extras
        result.warn("以下内容没有对应的字段，未导入：" + "；".join(extras),
                    footer_lines[0].no if footer_lines else None)
    _check_lengths(result.structure, masthead, result)
    result.confidence = _confidence(result.structure, masthead, footer, columns_from)
    restore(result.structure)
    return result


def _confidence(structure, masthead, footer, columns_from) -> dict:
    """How sure the parse is of each field: 1 read where it belongs, less
    when taken from elsewhere or assumed, 0 when missing."""
    def found(value, here, elsewhere=0.8):
        return 0.0 if not value else (1.0 if here else elsewhere)

    articles = [a.pop("_confidence", 0.8) for c in structure["columns"] for a in c["articles"]]
    return {
        "series": found(structure["series"], True, 1.0) * (1.0 if masthead.number else 0.7),
        "kind": 1.0 if masthead.kind_line else (0.8 if structure["series"].endswith(
            structure["kind"]) else 0.5),
        "year": found(structure["year"], masthead.year is not None, 0.7),
        "number": found(structure["number"], True),
        "serial": 1.0 if masthead.serial else 0.6,
        "is_supplement": 1.0,
        "issuer": found(structure["issuer"], bool(masthead.issuer)),
        "date": found(structure["date"], bool(masthead.date)),
        "marking": 1.0,
        "note": 1.0,
        "columns": {"toc": 1.0, "layout": 0.8, "fallback": 0.5}[columns_from]
        if structure["columns"] else 0.0,
        "articles": round(sum(articles) / len(articles), 2) if articles else 0.0,
        "footer": 1.0 if any(footer[k] for k in ("report_to", "copy_to", "issue_to")) else 0.6,
    }


def _drop_page_numbers(lines: list[Line]) -> list[Line]:
    kept, page_break = [], False
    for line in lines:
        if is_page_number(line.text):
            page_break = True
            continue
        if page_break:
            line.page_break, line.gap_before = True, False
            page_break = False
        kept.append(line)
    return kept


def _drop_running_heads(lines: list[Line], series: str, result: ParseResult) -> list[Line]:
    """A line at the top or foot of a page repeating the briefing's name
    (“××文明创建信息　2024年第6期”) is a running head, not text."""
    name = key(series)
    kept = []
    for i, line in enumerate(lines):
        at_edge = line.page_break or (i + 1 < len(lines) and lines[i + 1].page_break)
        if at_edge and name and name in line.key and len(line.text) <= 60 \
                and not ends_sentence(line.text):
            result.roles[line.no] = "masthead"
            if i + 1 < len(lines) and line.page_break:
                lines[i + 1].page_break = True
            continue
        kept.append(line)
    return kept


# --- where the body begins ---------------------------------------------------------------


def _body_start(lines: list[Line], start: int) -> int:
    """The body begins where the table of contents repeats: a column header
    seen before, or a line (or a few) starting with an earlier entry. No
    repeat means no table of contents."""
    seen_columns: set[str] = set()
    entries: list[str] = []
    end = min(len(lines), start + FRONT_MAX_LINES)
    for i in range(start, end):
        text = lines[i].text
        name = column_name(text)
        if name is not None:
            if key(name) in seen_columns:
                return i
            seen_columns.add(key(name))
            continue
        if is_toc_heading(text) or note_label(text) or correction_label(text):
            continue
        joined = "".join(line.key for line in lines[i:i + 3])
        for entry in entries:
            if joined.startswith(entry):
                while i - 1 > start and (column_name(lines[i - 1].text) is not None
                                         or lines[i - 1].key in seen_columns):
                    i -= 1  # the column header above the first title, brackets or not
                return i
        entry = _toc_entry(lines[i]).key
        if len(entry) >= 4 and not ends_sentence(text) and len(text) <= 60:
            entries.append(entry)
    # No table of contents: the body follows the masthead and the notes.
    i = start
    if i < len(lines) and (note_label(lines[i].text) or correction_label(lines[i].text)):
        centred = any(line.centered for line in lines[start:])
        i += 1
        while i < len(lines) and not title_like(lines, i, centred) \
                and column_name(lines[i].text) is None:
            i += 1
    return i


def _front(front: list[Line], body: list[Line], result: ParseResult):
    """The lines between masthead and body: table of contents (columns with
    their entries), editor's note and correction note."""
    body_key = "".join(line.key for line in body)
    toc: list[dict] = []
    note: list[Line] = []
    correction: list[Line] = []
    mode = None
    for line in front:
        text = line.text
        name = column_name(text)
        if name is not None:
            toc.append({"name": name, "line": line, "entries": []})
            mode = "toc"
            result.roles[line.no] = "toc"
            continue
        if is_toc_heading(text):
            mode = "toc"
            result.roles[line.no] = "toc"
            continue
        label = note_label(text) or correction_label(text)
        if label:
            mode = "correction" if correction_label(text) else "note"
            rest = text[label.end():].strip()
            target = correction if mode == "correction" else note
            if rest:
                target.append(line.replaced(rest, hard_break=True))
            result.roles[line.no] = "note"
            continue
        entry = _toc_entry(line)
        in_body = len(entry.key) >= 2 and entry.key in body_key
        if mode in ("note", "correction") and not (in_body and not ends_sentence(text)):
            (correction if mode == "correction" else note).append(line)
            result.roles[line.no] = "note"
            continue
        if not in_body and mode == "toc" and (ends_sentence(text) or len(text) > 50):
            result.warn(f"目录{line.where}“{text[:30]}…”是导读摘要，未导入。", line.no)
            continue
        if in_body or mode == "toc":
            if not toc:
                toc.append({"name": "", "line": line, "entries": []})
            toc[-1]["entries"].append(entry)
            result.roles[line.no] = "toc"
            mode = "toc"
            continue
        result.warn(f"{line.where}“{text[:30]}”不属于报头、目录或按语，未导入。", line.no)
    for column in toc:
        if not column["entries"] and column["name"]:
            result.warn(f"目录中的栏目“{column['name']}”（{column['line'].where}）下面没有标题，"
                        "已不按目录识别该栏目。", column["line"].no)
    toc = [column for column in toc if column["entries"]]
    return toc, note, correction


_TOC_PAGE_RE = re.compile(r"(?:[\s.．·…‥⋯\-—_]{2,}|\s+)[（(]?\d{1,3}[)）]?\s*$|[.．·…‥⋯]{3,}\s*$")


def _toc_entry(line: Line) -> Line:
    """A TOC line without its dot leaders and page number."""
    raw = _TOC_PAGE_RE.sub("", line.raw or line.text)
    return line.replaced(clean(raw)) if raw != (line.raw or line.text) else line


# --- limits -----------------------------------------------------------------------------------


def _check_lengths(structure, masthead, result):
    """Fields longer than their database column are cut, with a warning:
    usually two things ran together (a title and its text)."""
    where = masthead.first.no if masthead.first else None
    for name, label, limit in (("series", "简报名称", 50), ("issuer", "编发单位", 50),
                               ("marking", "标识", 30), ("kind", "类别", 20)):
        if len(structure[name]) > limit:
            result.warn(f"报头中的{label}“{structure[name][:20]}…”共{len(structure[name])}字，"
                        f"超过{limit}字的上限，已截短，请在预览中核对。", where)
            structure[name] = structure[name][:limit]
    for column in structure["columns"]:
        if len(column["name"]) > COLUMN_MAX:
            result.warn(f"栏目名称“{column['name'][:20]}…”超过{COLUMN_MAX}字的上限，已截短。")
            column["name"] = column["name"][:COLUMN_MAX]
        for article in column["articles"]:
            if len(article["title"]) > TITLE_MAX:
                result.warn(f"标题“{article['title'][:20]}…”共{len(article['title'])}字，"
                            f"超过{TITLE_MAX}字的上限，可能是标题与正文没有分开；已把超出部分移入正文。")
                article["paragraphs"].insert(0, article["title"][TITLE_MAX:])
                article["title"] = article["title"][:TITLE_MAX]
    for name, label in (("report_to", "报"), ("copy_to", "送"), ("issue_to", "发")):
        if len(structure["footer"][name]) > 300:
            result.warn(f"版记中“{label}”一项超过300字的上限，已截短。")
            structure["footer"][name] = structure["footer"][name][:300]
