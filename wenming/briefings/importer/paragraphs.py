"""Rejoining extracted lines into paragraphs, and the credit line that may
end an article."""

from __future__ import annotations

import re

from wenming.briefings.importer.text import Line, ends_sentence, glue

_NO_LINE_START = "，。、；：！？,.;:!?）)》〉」』】”’"
SUBHEAD_RE = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+(?:[、．]|\.(?!\d)))")
_CREDIT_RE = re.compile(r"[（(]((?:供稿|供稿单位|来源|稿件来源|作者|撰稿|通讯员)[：:][^（）()]{1,60})[)）]$")
# A bare attribution after the last full stop: （厦门市文明办）, (区创建办综合).
_BARE_CREDIT_RE = re.compile(
    r"(?:(?<=[。！？!?”」])|^)\s*[（(]([\u4e00-\u9fff·、 ]{2,24}?"
    r"(?:办|办公室|局|委|委员会|部|中心|站|所|院|会|队|社|馆|处|街道|镇|乡|村|社区|公司|学校|集团|厅))"
    r"\s*(?:综合|供稿|提供|报送|整理|供|稿)?[)）]$")
CAPTION_RE = re.compile(r"^(?:▲|△|■图|图为|图片[：:]|图[：:]|[（(]图为|摄影[：:]|[（(]?摄影[：:])")


def paragraphs(lines: list[Line]) -> list[str]:
    """Rejoin lines into paragraphs. A paragraph ends only after a sentence
    (。！？ …) unless the layout clearly starts a new one; page breaks and
    wrapped lines never end one, so nothing is cut mid-word (标准 / 化)."""
    paragraphs: list[str] = []
    last: Line | None = None
    for line in lines:
        if last is None or _new_paragraph(paragraphs[-1], last, line):
            paragraphs.append(line.text)
        else:
            paragraphs[-1] = glue(paragraphs[-1], line.text)
        last = line
    return [p for p in paragraphs if p]


def _subheading(text: str) -> bool:
    """"一、高位推动，压实责任": a numbered heading inside an article."""
    return bool(SUBHEAD_RE.match(text)) and len(text) <= 30 and not ends_sentence(text)


def credit_at_end(text: str) -> bool:
    return bool(_BARE_CREDIT_RE.search(text) or _CREDIT_RE.search(text))


def is_caption(text: str) -> bool:
    return bool(CAPTION_RE.match(text)) and len(text) <= 120


def _new_paragraph(text: str, last: Line, line: Line) -> bool:
    if line.hard_break or _subheading(text) or is_caption(line.text) or is_caption(text):
        return True
    if ends_sentence(text):
        # Unless the sentence happened to end at the right margin and the
        # next line carries on without indent or space.
        return not (last.full and not line.indent and not line.opens and not line.gap_before
                    and not _subheading(line.text))
    # No sentence end: only an indented line after a short one is a new
    # paragraph (a list item, a line ending in a quotation mark), and never
    # one that opens with a comma or a closing mark.
    return bool(line.indent and last.full is False and not line.page_break
                and not line.centered and line.text[0] not in _NO_LINE_START)


def take_captions(article):
    """Photo captions (图为…, ▲…) are kept apart from the text."""
    captions = [p for p in article["paragraphs"] if is_caption(p)]
    if captions:
        article["captions"] = captions
        article["paragraphs"] = [p for p in article["paragraphs"] if not is_caption(p)]


def take_credit(article):
    take_captions(article)
    if not article["paragraphs"]:
        return
    last = article["paragraphs"][-1]
    bare = _BARE_CREDIT_RE.search(last)
    if bare and "source_unit" not in article:
        article["source_unit"] = bare.group(1).strip()
        rest = last[: bare.start()].rstrip()
        if rest:
            article["paragraphs"][-1] = rest
        else:
            article["paragraphs"].pop()
        return
    match = _CREDIT_RE.search(last)
    if not match or len(match.group(0)) > 70:
        return
    for part in re.split(r"[\s　]+|(?=作者[：:])", match.group(1)):
        label, _, value = part.partition("：") if "：" in part else part.partition(":")
        if label in ("供稿", "供稿单位", "来源", "稿件来源") and value:
            article["source_unit"] = value.strip()
        elif value:
            article["author"] = value.strip()
    rest = last[: match.start()].rstrip()
    if rest:
        article["paragraphs"][-1] = rest
    else:
        article["paragraphs"].pop()
