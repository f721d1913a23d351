"""What real archives do to a briefing's text before the parse can read it:
a whole issue flattened onto one line, the residue of the web page it was
copied from, traditional characters. Each repair is reported as a warning."""

from __future__ import annotations

import re

from wenming.briefings.importer.masthead import is_front_marker
from wenming.briefings.importer.text import (
    TRADITIONAL_MIN,
    Line,
    clean,
    ends_sentence,
    simplified_table,
)

FLAT_MIN = 200  # a line this long with few others: the issue was flattened
FLAT_MAX_LINES = 8

# Pieces of a flattened line that belong to their neighbour: the parts of
# “2024 年 1 月 10 日”, “第 1 期” and lone characters spread out for show.
_FRAGMENT_RE = re.compile(r"[\d０-９年月日第期号总（）()\-.．/]+|.")
_BRACKET_SPLIT_RE = re.compile(r"(?=[【〔〖])|(?<=[】〕〗])")


def unflatten(lines: list[Line], result) -> list[Line]:
    """Recover lines from an issue flattened onto one (or a few) lines: the
    spaces that were line breaks, and column brackets, separate them."""
    if len(lines) > FLAT_MAX_LINES or not any(len(line.text) >= FLAT_MIN for line in lines):
        return lines
    out: list[Line] = []
    for line in lines:
        if len(line.text) < FLAT_MIN:
            out.append(line)
            continue
        result.warn(f"{line.where}共{len(line.text)}字，整期文字连成了一行；"
                    "已按空格、句末标点和栏目括号重新分行分段，请在预览中核对。", line.no)
        pieces: list[str] = []
        for chunk in _BRACKET_SPLIT_RE.split(line.raw or line.text):
            for piece in re.split(r"[\s\u3000]+", chunk):
                if not piece:
                    continue
                if pieces and (_FRAGMENT_RE.fullmatch(piece) or _FRAGMENT_RE.fullmatch(pieces[-1])
                               and not ends_sentence(pieces[-1])
                               and not pieces[-1].endswith(("】", "〕", "〗"))) \
                        and not piece.startswith(("【", "〔", "〖")):
                    pieces[-1] += piece
                else:
                    pieces.append(piece)
        for piece in pieces:
            out.append(line.replaced(clean(piece), raw=piece, gap_before=True, full=None,
                                     indent=None, centered=False))
    return out


_URL_RE = re.compile(r"(?:https?://|www\.)[^\s，。；）)】\]]+", re.I)
_TIME_RE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*\d{1,2}:\d{2}(?::\d{2})?|\b\d{1,2}:\d{2}(?::\d{2})?\b")
_LABELLED_RE = re.compile(
    r"(?:信息来源|文章来源|来源|发布时间|发布日期|更新时间|浏览次数|阅读次数|点击数|访问次数|作者|编辑|"
    r"责任编辑)[:：]\s*[^\s]*"
)
_CHROME_RE = re.compile(
    r"[【\[(（]?\s*(?:字体|字号)[:：]?\s*[大中小\s]*[】\])）]?|[【\[(（]?\s*(?:打印本页|打印|关闭窗口|关闭|"
    r"收藏|分享到|返回顶部|上一篇|下一篇)\s*[】\])）]?"
)
_NAV_RE = re.compile(r"^(?:当前位置[:：]?)?\s*[^>»›]{1,12}(?:\s*[>»›]\s*[^>»›]{1,16}){1,6}$")
_EMPTY_BRACKETS_RE = re.compile(r"[【\[(（〔]\s*[】\])）〕]")
WEB_ZONE = 16  # masthead lines cleaned of page residue


def strip_residue(text: str) -> str:
    text = _URL_RE.sub(" ", text)
    text = _TIME_RE.sub(" ", text)
    text = _LABELLED_RE.sub(" ", text)
    text = _CHROME_RE.sub(" ", text)
    text = _EMPTY_BRACKETS_RE.sub(" ", text)
    text = text.strip(" \u3000|｜/·•—–-_")
    # A bracket left without its partner at either end.
    if text[:1] in "（(" and not re.search(r"[)）]", text):
        text = text[1:]
    if text[-1:] in ")）" and not re.search(r"[（(]", text):
        text = text[:-1]
    return re.sub(r"\s{2,}", " ", text).strip()


def drop_web_residue(lines: list[Line], result) -> list[Line]:
    """URLs, timestamps, “来源：…”, page chrome and stray brackets copied
    with a web page are taken out of the masthead lines; lines that were
    nothing else are dropped."""
    out: list[Line] = []
    for i, line in enumerate(lines):
        if i >= WEB_ZONE or ends_sentence(line.text) or (
                is_front_marker(line.text) and strip_residue(line.text) == line.text):
            out.extend(lines[i:])  # the masthead is over
            break
        if _NAV_RE.match(line.text) and len(line.text) <= 60:
            result.warn(f"{line.where}“{line.text[:30]}”是网页导航，已去掉。", line.no)
            continue
        text = strip_residue(line.text)
        if text == line.text:
            out.append(line)
            continue
        if not text:
            result.warn(f"{line.where}“{line.text[:30]}”是网页残留（网址、时间、来源等），已去掉。",
                        line.no)
            continue
        result.warn(f"{line.where}“{line.text[:30]}”含网页残留，已只保留“{text}”。", line.no)
        out.append(line.replaced(text))
    return out


def simplify(lines: list[Line], result):
    """Traditional characters (總第十六期, 編印, 簡報) are converted to
    simplified for the parse, character by character (OpenCC), in place;
    returns the function that puts the original characters back into the
    parsed structure."""
    table = simplified_table(line.text for line in lines)
    converted = sum(1 for line in lines for ch in line.text if ord(ch) in table)
    if not table or converted < TRADITIONAL_MIN:
        return lambda structure: structure
    first = next(line for line in lines if any(ord(ch) in table for ch in line.text))
    result.warn(f"{first.where}的“{first.text[:16]}”是繁体字：已转为简体识别，导入时保留原文"
                f"（全文共{converted}个繁体字）。", first.no)
    # Each simplified character back to the one traditional character it
    # stood for in this document; characters that stood for two are left.
    inverse: dict[str, set[str]] = {}
    for i, line in enumerate(lines):
        simple = line.text.translate(table)
        for s, o in zip(simple, line.text, strict=True):
            inverse.setdefault(s, set()).add(o)
        lines[i] = line.replaced(simple)
    back = {ord(s): next(iter(o)) for s, o in inverse.items() if len(o) == 1 and s != next(iter(o))}

    def restore(value):
        if isinstance(value, str):
            return value.translate(back)
        if isinstance(value, list):
            return [restore(v) for v in value]
        if isinstance(value, dict):
            return {k: restore(v) for k, v in value.items()}
        return value

    def apply(structure):
        for k, v in list(structure.items()):
            structure[k] = restore(v)
        return structure

    return apply
