"""Articles in the body of a briefing: found by their table-of-contents
entries when there is a table of contents, by their layout when there is
none; then the imprint split off what follows the last article.

A TOC entry is found again in the body, in order, by a normalised
comparison (no spaces, no punctuation, width-folded), allowing a title to
be wrapped over several lines on either side and, for short news, to be the
first sentence of its paragraph. What lies between two titles is the first
article's text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from wenming.briefings.importer.masthead import column_name, footer_kind, note_label
from wenming.briefings.importer.paragraphs import (
    SUBHEAD_RE,
    credit_at_end,
    is_caption,
    paragraphs,
    take_credit,
)
from wenming.briefings.importer.text import (
    ImportRefused,
    Line,
    clean,
    ends_sentence,
    glue,
    key,
    key_positions,
)

if TYPE_CHECKING:
    from wenming.briefings.importer.parse import ParseResult

FUZZY_MIN = 85  # rapidfuzz ratio for a title that differs from its TOC entry
_CLOSERS = "”’」』）)》〉】"
_LEAD_SEPARATORS = "。．.：:，,— "
MAIN_FOOTER = {"report_to", "copy_to", "issue_to", "print_run", "issued"}
_SUBTITLE_RE = re.compile(r"^[—－-]{1,2}")


@dataclass
class _Hit:
    start: int  # first body line of the title
    end: int  # first body line after the title
    title: str
    rest: str = ""  # a short-news title: the rest of its paragraph
    lead_in: bool = False
    fuzzy: bool = False


class _Body:
    """The body's lines with what every search asks of them, computed once.
    A line naming a TOC column is its header, brackets or not."""

    def __init__(self, lines: list[Line], column_keys=()):
        self.lines = lines
        self.keys = [line.key for line in lines]
        self.headers = [column_name(line.text) is not None
                        or (line.key in column_keys and len(line.text) <= 12) for line in lines]
        # Titles are looked for above the imprint only.
        self.end = next((j for j, line in enumerate(lines)
                         if footer_kind(line.text) in MAIN_FOOTER), len(lines))

    def joined(self, j, n):
        text = ""
        for line in self.lines[j:j + n]:
            text = glue(text, line.text)
        return text


def anchor(lines: list[Line], toc: list[dict], result: ParseResult, note: list[Line]):
    """The columns and articles the TOC `toc` announces, found in `lines`;
    an editor's note above the first title is added to `note`."""
    body = _Body(lines, {key(column["name"]) for column in toc if column["name"]})
    for j, line in enumerate(lines):
        if body.headers[j] and column_name(line.text) is None:
            lines[j] = line.replaced(f"【{line.text}】")
    entries = [(c, line) for c, column in enumerate(toc) for line in column["entries"]]
    # A table of contents without column headers leaves the columns to the body.
    flat = len(toc) == 1 and not toc[0]["name"]
    columns = [{"name": column["name"], "articles": []} for column in toc]
    pos = t = 0
    previous = None  # (column, hit) of the article being collected
    while t < len(entries):
        c, first = entries[t]
        hit, merged = _find(body, entries, t, pos)
        if hit is None:
            following, _ = _find(body, entries, t + 1, pos) if t + 1 < len(entries) else (None, 0)
            limit = following.start if following else body.end
            hit, merged = _find(body, entries, t, pos, limit=limit)
            if hit is None:
                after = lines[pos].where if pos < len(lines) else "正文末尾"
                raise ImportRefused(
                    f"目录与正文不一致：目录{first.where}的标题“{first.text}”在正文中（从{after}起）"
                    "找不到。", line=first.no)
            result.warn(f"目录{first.where}的标题“{first.text}”与正文"
                        f"{lines[hit.start].where}“{hit.title}”不完全一致，已按正文导入。",
                        lines[hit.start].no)
        if flat:
            column = _body_columns(lines, pos, hit.start, columns, result)
        else:
            column = _check_columns(lines, pos, hit.start, toc, c, columns, result)
        if previous is not None:
            _add_article(lines, previous, lines[pos:hit.start], result)
        elif pos < hit.start:
            _before_first_article(lines[pos:hit.start], note)
            for line in lines[pos:hit.start]:
                result.roles.setdefault(line.no, "note")
        if not hit.lead_in and hit.end < body.end and _SUBTITLE_RE.match(lines[hit.end].text) \
                and len(lines[hit.end].text) <= 40 and not ends_sentence(lines[hit.end].text):
            hit.title += lines[hit.end].text  # "——记…": a subtitle belongs to the title
            hit.end += 1
        for line in lines[hit.start:hit.end]:
            result.roles[line.no] = "title"
        previous = (column, hit)
        pos, t = hit.end, t + merged
    return [column for column in columns if column["articles"] or column["name"]], \
        (lines, previous, lines[pos:])


def _find(body, entries, t, pos, limit=None):
    """The earliest place from `pos` where entry t (or entries t.. merged,
    when the TOC wrapped a long title) appears as a title."""
    best = None
    for merged in (3, 2, 1):
        group = entries[t:t + merged]
        if len(group) < merged or len({c for c, _ in group}) > 1:
            continue
        entry = "".join(line.key for _, line in group)
        if len(entry) < 2:
            continue
        hit = _search(body, entry, pos, limit)
        if hit and (best is None or hit.start < best[0].start):
            if not hit.fuzzy:
                # The TOC's wording: the body's may carry a stray space
                # where the title was wrapped.
                hit.title = ""
                for _, line in group:
                    hit.title = glue(hit.title, line.text)
            best = (hit, merged)
    return best if best else (None, 0)


def _search(body, entry, pos, limit):
    """Exact search down to the imprint, or (with a limit) the best fuzzy
    match before `limit`."""
    fuzzy = limit is not None
    best, best_score = None, 0
    for j in range(pos, limit if fuzzy else body.end):
        if body.headers[j]:
            continue
        for hit, score in (_fuzzy_title_at if fuzzy else _title_at)(body, j, entry):
            if not fuzzy:
                return hit
            if score > best_score:
                best, best_score = hit, score
    return best


def _spans(body, j):
    """(n, key) of the spans of 1 to 3 lines starting at j, within one block."""
    span = ""
    for n in range(1, 4):
        if j + n > len(body.lines) or body.headers[j + n - 1]:
            return
        span += body.keys[j + n - 1]
        yield n, span


def _title_at(body, j, entry):
    for n, span in _spans(body, j):
        if span == entry:
            joined = body.joined(j, n)
            lead = _lead_in(body.lines, j, n, joined, entry)
            yield (lead or _Hit(j, j + n, joined)), 100
            return
        if span.startswith(entry):
            lead = _lead_in(body.lines, j, n, body.joined(j, n), entry)
            if lead:
                yield lead, 100
            return
        if not entry.startswith(span):
            return


def _fuzzy_title_at(body, j, entry):
    for n, span in _spans(body, j):
        if abs(len(span) - len(entry)) <= max(2, len(entry) // 5):
            score = fuzz.ratio(span, entry)
            if score >= FUZZY_MIN:
                yield _Hit(j, j + n, body.joined(j, n), fuzzy=True), score
        head = span[: len(entry)]
        score = fuzz.ratio(head, entry)
        if score >= FUZZY_MIN:
            lead = _lead_in(body.lines, j, n, body.joined(j, n), head)
            if lead:
                lead.fuzzy = True
                yield lead, score


def _lead_in(body, j, n, joined, matched) -> _Hit | None:
    """A short-news title: the paragraph's first sentence, ended by 。or：."""
    if not _starts_paragraph(body, j):
        return None
    positions = key_positions(joined)
    if len(positions) < len(matched) or not matched:
        return None
    cut = positions[len(matched) - 1] + 1
    while cut < len(joined) and joined[cut] in _CLOSERS + "？！?!":
        cut += 1
    title, rest = joined[:cut], joined[cut:]
    if not rest or rest[0] not in _LEAD_SEPARATORS:
        return None
    rest = rest.lstrip(_LEAD_SEPARATORS)
    return _Hit(j, j + n, title, rest=rest, lead_in=True)


def _starts_paragraph(body, j) -> bool:
    if j == 0:
        return True
    line, previous = body[j], body[j - 1]
    return bool(line.indent or line.hard_break or ends_sentence(previous.text)
                or column_name(previous.text) is not None or previous.centered)


def _check_columns(body, start, end, toc, c, columns, result):
    """Column headers in the body must be the ones the TOC announces here."""
    for line in body[start:end]:
        name = column_name(line.text)
        if name is None:
            continue
        result.roles[line.no] = "column"
        if fuzz.ratio(key(name), key(toc[c]["name"])) < 90:
            raise ImportRefused(
                f"目录与正文不一致：正文{line.where}是栏目“{name}”，按目录这里应是"
                f"“{toc[c]['name'] or '（无栏目）'}”栏目。", line=line.no)
    return columns[c]


def _body_columns(body, start, end, columns, result):
    for line in body[start:end]:
        name = column_name(line.text)
        if name is not None:
            result.roles[line.no] = "column"
            if key(name) != key(columns[-1]["name"]):
                columns.append({"name": name, "articles": []})
    return columns[-1]


def _before_first_article(lines, note=None):
    """Text above the first title: an editor's note (编者按：…) when it says
    so and there is a note to add it to, otherwise an error."""
    text = [line for line in lines if column_name(line.text) is None]
    if not text:
        return
    label = note_label(text[0].text)
    if label is None or note is None:
        raise ImportRefused(f"正文{text[0].where}“{text[0].text[:20]}”出现在第一篇稿件的标题之前，"
                            "无法归入任何稿件。", line=text[0].no)
    rest = text[0].text[label.end():].strip()
    note.extend(([text[0].replaced(rest, hard_break=True)] if rest else []) + text[1:])


def _add_article(body, previous, lines, result):
    column, hit = previous
    lines = [line for line in lines if column_name(line.text) is None]
    if hit.lead_in and hit.rest:
        # The rest of the title's line opens the first paragraph.
        last = body[hit.end - 1]
        lines = [last.replaced(hit.rest, hard_break=True, indent=None), *lines]
    title = hit.title.strip()
    if hit.lead_in:
        title = title.rstrip("。.：:，,")
    article = {"title": title, "paragraphs": paragraphs(lines), "lead_in": hit.lead_in,
               "_confidence": 0.85 if hit.fuzzy else 1.0}
    take_credit(article)
    if not article["paragraphs"]:
        result.warn(f"稿件“{title}”（{body[hit.start].where}）没有正文，请在预览中检查。",
                    body[hit.start].no)
        article["_confidence"] = 0.3
    column["articles"].append(article)


def take_footer(tail, columns, result):
    """Split what follows the last title: the last article, then the imprint."""
    body, previous, lines = tail
    start = footer_start(lines)
    if previous is not None:
        _add_article(body, previous, lines[:start], result)
    else:
        left = [line for line in lines[:start] if column_name(line.text) is None]
        if left:
            result.warn(f"{left[0].where}起的文字无法归入任何稿件，已作为一篇无标题稿件导入，"
                        "请在预览中补上标题或并入上一篇。", left[0].no)
            if not columns:
                columns.append({"name": "", "articles": []})
            columns[-1]["articles"].append(_untitled(left))
    return lines[start:]


def footer_start(lines) -> int:
    """Where the imprint begins: the first 报/送/发/印数 line, or a run of
    imprint extras (准印号, 投稿邮箱, 责任编辑 …) that lasts to the end."""
    start = len(lines)
    for i, line in enumerate(lines):
        if footer_kind(line.text) in MAIN_FOOTER:
            start = i
            break
    while start > 0 and footer_kind(lines[start - 1].text) == "extra":
        start -= 1
    return start


def _untitled(lines) -> dict:
    text = paragraphs(lines)
    return {"title": _first_clause(text[0]) if text else "（无标题）", "paragraphs": text,
            "lead_in": False, "_confidence": 0.3}


def _first_clause(text: str) -> str:
    match = re.match(r"(.{2,30}?)[，。；：,;:！？]", text)
    return match.group(1) if match else text[:20]


# --- body without a table of contents ------------------------------------------------------


def segment(body: list[Line], result: ParseResult):
    """Columns by their headers, articles by title-like lines."""
    end = footer_start(body)
    groups: list[tuple[str, list[Line]]] = []
    centred = any(line.centered for line in body[:end])
    for i, line in enumerate(body[:end]):
        name = column_name(line.text)
        if name is None and _heading_column(body, i, end, centred):
            name = line.text
            result.warn(f"{line.where}“{line.text}”单独成行且很短，后面接着标题，已当作栏目名称。",
                        line.no)
        if name is not None:
            groups.append((name, []))
            result.roles[line.no] = "column"
        elif groups:
            groups[-1][1].append(line)
        else:
            groups.append(("", [line]))
    if not groups:
        result.warn("报头之后没有正文，请在预览中补充稿件。", body[0].no if body else None)
    columns = []
    for name, lines in groups:
        articles = _split_articles(lines, result)
        if not articles:
            where = lines[0].where if lines else "正文"
            result.warn(f"栏目“{name}”（{where}）下面没有稿件。", lines[0].no if lines else None)
        columns.append({"name": name, "articles": articles})
    return columns, (body, None, body[end:])


_ITEM_RE = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.．]\s*|^[（(]\d{1,2}[)）]\s*")


def _split_articles(lines: list[Line], result: ParseResult) -> list[dict]:
    if not lines:
        return []
    lines = _split_run_in_titles(lines, result)
    centred = any(line.centered for line in lines)
    gapless = not any(line.gap_before or line.indent or line.centered or line.hard_break
                      for line in lines[1:])
    starts = [i for i in range(len(lines)) if title_like(lines, i, centred, gapless)]
    articles = []
    if not starts:
        return _short_items(lines, result)
    if starts[0] > 0:
        before = lines[: starts[0]]
        if before:
            result.warn(f"{before[0].where}“{before[0].text[:20]}”出现在第一篇稿件的标题之前，"
                        "已作为一篇无标题稿件导入，请在预览中补上标题或并入其他稿件。",
                        before[0].no)
            articles.append(_untitled(before))
    i = 0
    while i < len(starts):
        j = i
        while j + 1 < len(starts) and starts[j + 1] == starts[j] + 1:
            j += 1  # a title set over several lines
        begin, end = starts[i], starts[j] + 1
        stop = starts[j + 1] if j + 1 < len(starts) else len(lines)
        title = ""
        for line in lines[begin:end]:
            title = glue(title, line.text)
            result.roles[line.no] = "title"
        article = {"title": title, "paragraphs": paragraphs(lines[end:stop]), "lead_in": False,
                   "_confidence": 0.8 if not gapless else 0.7}
        take_credit(article)
        if not article["paragraphs"]:
            result.warn(f"稿件“{title}”（{lines[begin].where}）没有正文，请在预览中检查。",
                        lines[begin].no)
            article["_confidence"] = 0.3
        articles.append(article)
        i = j + 1
    return articles


def _short_items(lines, result) -> list[dict]:
    """No titles: short news (every paragraph led by its first sentence) or
    numbered items (1、… 2、…) of any length."""
    articles = []
    for paragraph in paragraphs(lines):
        numbered = _ITEM_RE.match(paragraph)
        text = paragraph[numbered.end():] if numbered else paragraph
        match = re.match(r"(.{2,50}?)[。：:！？]", text)
        if match and text[match.end():]:
            articles.append({"title": match.group(1), "paragraphs": [text[match.end():]],
                             "lead_in": True, "_confidence": 0.7})
            continue
        title = _first_clause(text)
        line = next((line for line in lines if paragraph.startswith(line.text[:12])), lines[0])
        what = "编号短讯" if numbered else "这段文字"
        result.warn(f"{line.where}的{what}“{text[:20]}…”没有标题，已取首句“{title}”作标题，"
                    "请在预览中确认。", line.no)
        articles.append({"title": title, "paragraphs": [text], "lead_in": False,
                         "_confidence": 0.4})
    return articles


_RUN_IN_RE = re.compile(r"^([^，。、；：！？,.;:!?（）()“”\s]{6,35})(?:\u3000|\s{2,})\s*(\S.{19,})$")


def _split_run_in_titles(lines, result) -> list[Line]:
    """“标题 正文……”: a title run into its text on one line, after a
    finished paragraph, is split off."""
    out = []
    for i, line in enumerate(lines):
        match = _RUN_IN_RE.match((line.raw or line.text).strip())
        after_end = i == 0 or finished(lines[i - 1].text) or lines[i - 1].title
        if match and after_end and not SUBHEAD_RE.match(line.text) \
                and re.search(r"[，。；！？]", match.group(2)):
            title, text = clean(match.group(1)), clean(match.group(2))
            result.warn(f"{line.where}开头的“{title}”与正文在同一行，已当作标题。", line.no)
            out.append(line.replaced(title, title=True))
            out.append(line.replaced(text, title=False, hard_break=True, gap_before=False))
            continue
        out.append(line)
    return out


def _heading_column(lines, i, end, centred) -> bool:
    """A column named only by a heading line: a short line standing alone
    (“工作动态”), after a finished paragraph, followed by a title or an item."""
    line = lines[i]
    text = line.text
    if not (2 <= len(text) <= 8) or i + 2 >= end or not re.fullmatch(r"[\u4e00-\u9fff]+", text):
        return False
    if i and not finished(lines[i - 1].text) and column_name(lines[i - 1].text) is None:
        return False
    following, after = lines[i + 1].text, lines[i + 2].text
    return (len(text) + 2 < len(following) <= 40 and not finished(following)
            and len(after) > len(following)) or bool(_ITEM_RE.match(following))


def finished(text: str) -> bool:
    """A paragraph is over: a sentence end, a credit after the last one, or
    a photo caption (a line of its own)."""
    return ends_sentence(text) or credit_at_end(text) or is_caption(text)


def _wrapped_title(lines, i, centred=False) -> bool:
    """A title wrapped in a PDF: its first line runs to the right margin
    (so it is neither centred nor indented), the second is short, has no
    sentence end and is centred when the titles are, and the text follows
    with an indent. Bold type is not in pdftotext's output; the layout is."""
    if i + 2 >= len(lines) or not lines[i].full or lines[i].indent:
        return False
    second, text = lines[i + 1], lines[i + 2]
    return (not second.full and not second.indent and not second.gap_before
            and second.centered == centred and not finished(second.text)
            and len(second.text) <= 40 and bool(text.indent))


def title_like(lines, i, centred, gapless=False, _continued=False) -> bool:
    """A title stands alone: short, no sentence end, after a finished
    paragraph (or another title line), set off by the layout."""
    line = lines[i]
    text = line.text
    if line.title:
        return True
    if (i + 1 >= len(lines) or len(text) > 40 or ends_sentence(text) or text[-1] in "，,、"
            or text[0] in "（(" or SUBHEAD_RE.match(text) or note_label(text)
            or is_caption(text)):
        return False
    previous = lines[i - 1] if i else None
    if previous is not None and not finished(previous.text) \
            and not (previous.centered and line.centered):
        # The second line of a title wrapped in the source: its first line
        # is a title, this one is as short and the text follows.
        return (not _continued and not line.gap_before and len(previous.text) <= 40
                and title_like(lines, i - 1, centred, gapless, _continued=True)
                and (lines[i + 1].gap_before or len(lines[i + 1].text) > 40
                     or bool(lines[i + 1].indent)
                     or (gapless and len(lines[i + 1].text) >= 24)))
    if centred:
        return line.centered or _wrapped_title(lines, i, centred)
    if line.indent is not None:
        return not line.indent and (bool(lines[i + 1].indent) or _wrapped_title(lines, i))
    if gapless:
        # No layout at all (one paragraph a line, no blank lines): a title is
        # a short line followed by a longer one or by the next title line.
        following = lines[i + 1].text
        return len(following) >= max(len(text) + 8, 24) or (
            len(following) <= 40 and not ends_sentence(following)
            and i + 2 < len(lines) and len(lines[i + 2].text) >= 24)
    return i == 0 or line.gap_before or line.hard_break
