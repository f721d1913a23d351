"""The masthead (报头) and the imprint (版记) of a briefing: how offices write
issue numbers, dates, issuers, markings and distribution lines."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from wenming.briefings.importer.text import ImportRefused, Line, glue, key

_NUM = "[0-9０-９〇零○一二三四五六七八九十百两]+"
_YEAR = "[0-9０-９]{4}|[〇零○一二三四五六七八九]{4}"
_SMALL = "[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}"

SERIAL_RE = re.compile(rf"[（(]?总第?({_NUM})期[)）]?")
NUMBER_RE = re.compile(
    rf"(?:[〔［\[（(]?({_YEAR})[〕］\]）)]?年?度?)?(增刊)?(?<!总)第({_NUM})期")
SUPPLEMENT_RE = re.compile(rf"增刊(?:第?({_NUM})期?)?")
DATE_RE = re.compile(rf"({_YEAR})年({_SMALL})月({_SMALL})日")
DATE_NUMERIC_RE = re.compile(r"([0-9０-９]{4})[.．/\-－]([0-9０-９]{1,2})[.．/\-－]([0-9０-９]{1,2})")
MARKING_RE = re.compile(
    r"(?:内部资料|内部刊物|内部参阅|内部文件|注意保存|妥善保管|阅后收回|秘密|机密|绝密|更正版"
    rf"|[★☆]|(?:{_NUM}|长期)年?|[，、,;；\s])+")
# A masthead line naming what the publication is, below its title.
KIND_RE = re.compile(r"[\u4e00-\u9fff]{0,4}(?:简报|专报|快报|要报|通报|周报|月报|旬报|信息|动态|通讯"
                     r"|专刊|特刊|内参|参阅|简讯|情况|要情)")
KIND_SUFFIX_RE = re.compile(r"(简报|专报|快报|要报|通报|周报|月报|旬报|信息|动态|通讯|简讯|内参)$")
_ISSUER_LABEL_RE = re.compile(r"^(?:编发单位|编发|主办单位|主办|编印单位|编印|编辑单位|编)[：:]")
_ISSUER_SUFFIX_RE = re.compile(r"(?<=[办室会委部局厅心组处院所站队社馆])(?:编印|编发|主办|印发|编)$")
# What an office's name ends with, for an issuer line after the date.
_ORG_RE = re.compile(r"(?:办|办公室|委员会|委|部|局|厅|中心|小组|处|院|所|站|队|社|馆)$")
_MARKING_WORD_RE = re.compile(r"内部|保存|保管|收回|秘密|机密|绝密|更正版")
_SIGNER_RE = re.compile(r"^(?:签发人?|审核|审签|责任编辑|主编|编辑|核稿)[：:]")
_SEPARATORS = " \u3000|｜/·•—–-_"
_EMPTY_BRACKETS_RE = re.compile(r"[（(〔\[［]\s*[)）〕\]］]")
_DATE_LABEL_RE = re.compile(r"(?:印发|发布|编印|出版)?(?:日期|时间)[：:]")

MASTHEAD_MAX_LINES = 14


def numeral(text: str) -> int:
    """12, １２, 十二, 一百零五, 二〇二四 → int."""
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    digits = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
    for ch in text:
        if ch.isdigit():
            digits[ch] = int(ch)
    if all(ch in digits for ch in text):
        return int("".join(str(digits[ch]) for ch in text))
    total = current = 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        else:
            total += (current or 1) * {"十": 10, "百": 100}[ch]
            current = 0
    return total + current


def find_date(text: str):
    """(date, match) of the first date in `text`, or (None, None)."""
    for pattern in (DATE_RE, DATE_NUMERIC_RE):
        match = pattern.search(text)
        if match:
            try:
                return datetime.date(*(numeral(g) for g in match.groups())), match
            except ValueError:
                continue
    return None, None


def column_name(text: str) -> str | None:
    """【工作动态】, 〖工作动态〗, ［工作动态］, 〔工作动态〕, 「工作动态」, ■工作动态■ → 工作动态."""
    match = re.fullmatch(r"[【〖［\[〔「『〈]\s*([^【】〔〕\[\]]{1,30}?)\s*[】〗］\]〕」』〉]", text) or re.fullmatch(
        r"[★☆■□◆◇●▲△◎※]+\s*([\u4e00-\u9fff·]{2,15})\s*[★☆■□◆◇●▲△◎※]*", text)
    if match and text[0] in "▲△" and text[-1] not in "★☆■□◆◇●▲△◎※":
        return None  # ▲ before a line of text is a photo caption
    return match.group(1) if match else None


def is_toc_heading(text: str) -> bool:
    return bool(re.fullmatch(r"(?:本期)?(?:目录|要目|导读|内容提要|提要)[：:]?", text))


NOTE_RE = re.compile(r"^[【\[［(（]?(编者按|编者的话|按语|编者)[】\]］)）]?[：:]?")


def note_label(text: str) -> re.Match | None:
    """"编者按：…", "【编者按】…", "按语：…" — but not a sentence starting with 按语 words."""
    match = NOTE_RE.match(text)
    if not match:
        return None
    labelled = match.group(0) != match.group(1) or text == match.group(1)
    return match if labelled or match.group(1) in ("编者按", "编者的话") else None


def correction_label(text: str) -> re.Match | None:
    return re.match(r"^更正(?:说明|启事)[：:]", text)


def is_front_marker(text: str) -> bool:
    return bool(column_name(text) or is_toc_heading(text) or note_label(text)
                or correction_label(text))


@dataclass
class Masthead:
    series: str = ""
    kind: str = ""
    year: int | None = None
    number: int | None = None
    serial: int | None = None
    is_supplement: bool = False
    issuer: str = ""
    date: datetime.date | None = None
    marking: str = ""
    extras: list[str] = field(default_factory=list)
    first: Line | None = None
    last: Line | None = None
    number_line: Line | None = None
    date_line: Line | None = None
    issuer_line: Line | None = None
    kind_line: Line | None = None


def parse_masthead(lines: list[Line], warn=None) -> tuple[Masthead, int]:
    """The masthead at the top of `lines`, and the index of the first line
    after it. Date and issuer may be missing here and come from the imprint.
    With `warn` (a callable taking message and line), what is missing is
    reported and left empty instead of refusing the file."""
    m = Masthead()
    series: list[str] = []
    end = 0
    for i, line in enumerate(lines[:MASTHEAD_MAX_LINES]):
        # Spaces in a masthead only spread it out: “2024年　第5期”, “简　报”.
        text = re.sub(r"\s+", "", line.text)
        if is_front_marker(text):
            break
        end = i + 1
        if MARKING_RE.fullmatch(text) and _MARKING_WORD_RE.search(text):
            marking = re.sub(r"\s*更正版\s*", "", line.text).strip()
            m.marking = f"{m.marking} {marking}".strip()
            continue
        rest = _take_numbers(m, line, text)
        date, match = find_date(rest)
        if date and not m.date:
            m.date, m.date_line = date, line
            rest = rest[: match.start()] + " " + rest[match.end():]
            rest = re.sub(r"^\s*印发|印发\s*$", "", rest)
        rest = _EMPTY_BRACKETS_RE.sub("", _DATE_LABEL_RE.sub("", rest)).strip(_SEPARATORS)
        if not rest:
            pass
        elif not series:
            series.append(rest)
        elif _SIGNER_RE.match(rest):
            m.extras.append(rest)
        elif not (m.kind or m.number or m.date):
            if KIND_RE.fullmatch(rest) and len(rest) <= 6:
                m.kind, m.kind_line = rest, line
            else:
                series.append(rest)  # a title set over two lines
        elif m.issuer and line is m.date_line and i and m.issuer_line is lines[i - 1]:
            name = _ISSUER_SUFFIX_RE.sub("", rest).strip()
            if len(name) <= 3 or not _ORG_RE.search(name) or not _ORG_RE.search(m.issuer):
                m.issuer = glue(m.issuer, name)  # a name wrapped onto the date line
            else:
                m.issuer = f"{m.issuer} {name}"  # joint issuers, the second with the date
        elif not m.issuer and (_ISSUER_LABEL_RE.match(rest) or not m.date or line is m.date_line
                               or _ORG_RE.search(_ISSUER_SUFFIX_RE.sub("", rest))):
            m.issuer = _ISSUER_SUFFIX_RE.sub("", _ISSUER_LABEL_RE.sub("", rest)).strip()
            m.issuer_line = line
        else:
            end = i  # a line the masthead has no place for: the body has begun
            break
        if m.number is not None and m.date and m.issuer:
            break
    first = lines[0] if lines else None
    if not series:
        message = (f"没有找到报头：{first.where if first else '第1行'}应为简报名称（如“××简报”），"
                   f"却是“{first.text[:20] if first else ''}”。")
        if warn is None:
            raise ImportRefused(message, line=first.no if first else 1)
        warn(message + "简报名称留空，请在预览中填写。", first.no if first else None)
    m.first, m.last = first, lines[max(end - 1, 0)] if lines else None
    m.series = "".join(series)
    if not m.kind:
        suffix = KIND_SUFFIX_RE.search(m.series)
        m.kind = suffix.group(1) if suffix else "简报"
    if m.number is None and series:
        message = (f"报头（{m.first.where}至{m.last.where}）中没有期号（如“第1期”“2024年第3期”"
                   "或“增刊第1期”）。")
        if warn is None:
            raise ImportRefused(message, line=m.first.no)
        warn(message + "期号留空，请在预览中填写。", m.first.no)
    return m, end


def _take_numbers(m: Masthead, line: Line, text: str) -> str:
    """Record the serial, the number and the supplement mark found in `text`;
    return what is left of it."""
    match = SERIAL_RE.search(text)
    if match and m.serial is None:
        m.serial = numeral(match.group(1))
        text = text[: match.start()] + " " + text[match.end():]
    match = NUMBER_RE.search(text)
    if match and m.number is None:
        year, supplement, number = match.groups()
        m.number, m.number_line = numeral(number), line
        if year:
            m.year = numeral(year)
        m.is_supplement = m.is_supplement or bool(supplement)
        text = text[: match.start()] + " " + text[match.end():]
    match = SUPPLEMENT_RE.search(text)
    if match:
        m.is_supplement = True
        if match.group(1) and m.number is None:
            m.number, m.number_line = numeral(match.group(1)), line
        text = text[: match.start()] + " " + text[match.end():]
    return text


# --- imprint (版记) ----------------------------------------------------------------------

_FOOTER_LABELS = [
    (re.compile(r"^(?:抄?报送?|呈报|报)[：:]"), "report_to"),
    (re.compile(r"^(?:抄送|分送|送)[：:]"), "copy_to"),
    (re.compile(r"^(?:发送|印送|发)[：:]"), "issue_to"),
]
PRINT_RUN_RE = re.compile(r"[（(]?共印\s*([0-9０-９]+)\s*份[)）]?")
ISSUED_RE = re.compile(r"印发[)）]?$|印发[（(]")
EXTRA_RE = re.compile(r"^[（(]?(?:(?:责任编辑|本期责编|责编|编辑|主编|审核|审稿|校对|签发人?|联系人|"
                      r"联系电话|电话|传真|投稿邮箱|投稿信箱|电子邮箱|邮箱|地址|网址|印刷单位|印数)[：:]"
                      r"|(?:内部资料性出版物)?准印证?号|出版许可证|内部资料准印)")


def footer_kind(text: str) -> str | None:
    """What a line of the imprint is: report_to, copy_to, issue_to, print_run, issued (the
    "××办 2024年1月10日印发" line), extra (editor, phone …) or None."""
    for pattern, kind in _FOOTER_LABELS:
        if pattern.match(text):
            return kind
    if PRINT_RUN_RE.search(text):
        return "print_run"
    if ISSUED_RE.search(text) and find_date(text)[0]:
        return "issued"
    if EXTRA_RE.match(text):
        return "extra"
    return None


def parse_footer(lines: list[Line], issuer: str = "") -> dict:
    """The imprint lines → {"report_to", "copy_to", "issue_to", "print_run", "issuer", "date", "extras"}.
    `issuer` (from the masthead) on a line of its own belongs to the
    "印发" line, not to the distribution list above it."""
    footer = {"report_to": "", "copy_to": "", "issue_to": "", "print_run": None, "issuer": "", "date": None,
              "extras": []}
    current = None
    for line in lines:
        text = line.text
        kind = footer_kind(text)
        if kind in ("report_to", "copy_to", "issue_to"):
            current = kind
            footer[kind] = re.sub(r"^[^：:]*[：:]", "", text, count=1).strip()
            continue
        if kind in ("print_run", "issued"):
            current = None
            match = PRINT_RUN_RE.search(text)
            if match:
                footer["print_run"] = numeral(match.group(1))
                text = (text[: match.start()] + text[match.end():]).strip()
            date, match = find_date(text)
            if date:
                footer["date"] = date
                footer["issuer"] = text[: match.start()].strip(_SEPARATORS)
            continue
        if issuer and key(text) == key(issuer):
            current = None
            continue
        if kind == "extra" or current is None:
            footer["extras"].append(text)
            continue
        footer[current] = glue(footer[current], text)  # a wrapped recipient list
    return footer
