"""Text helpers of the importer: what counts as extraction noise, how lines
join, and the normalised key titles are compared by."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

from wenming.core.errors import DomainError

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_NOT_WORD = re.compile(r"[\W_]+")

# A paragraph may end after one of these (closing quotes and brackets may
# follow). ：and ；end a lead sentence or a list item, which offices set as
# paragraphs of their own.
_FINAL = set("。！？!?…；;：:")
_CLOSERS = set("”’\"'）)」』】〉》］]")

_PAGE_NUMBER = re.compile(
    r"[-—–―－~～·•・一]*\d{1,3}[-—–―－~～·•・一]*"
    r"|第\d{1,3}页(共\d{1,3}页)?"
    r"|\d{1,3}/\d{1,3}"
)


@dataclass
class Line:
    """One line of extracted text with what the layout said about it.

    `indent` and `full` are None when the source format cannot tell."""

    no: int  # 1-based line of the extracted text shown to the user
    text: str  # cleaned: extraction spaces dropped
    raw: str = ""  # as extracted
    page: int | None = None
    indent: bool | None = None  # starts further right than the body text
    centered: bool = False
    gap_before: bool = False  # a blank line or vertical space above
    page_break: bool = False  # first line after a page break
    full: bool | None = None  # runs to the right margin, i.e. was wrapped
    hard_break: bool = False  # the source marks a new paragraph here (DOCX)
    opens: bool = False  # as long as a paragraph's first line (wrapped text without indents)
    title: bool = False  # split off the text it was run into: a title whatever the layout

    @cached_property
    def key(self) -> str:
        return key(self.text)

    def replaced(self, text: str, **changes) -> Line:
        return dataclasses.replace(self, text=text, **changes)

    @property
    def where(self) -> str:
        return f"第{self.no}行" + (f"（第{self.page}页）" if self.page else "")


FORMAT_LABELS = {"txt": "文本（TXT）", "pdf": "PDF", "docx": "Word（DOCX）",
                 "image": "图片（OCR）"}


@dataclass
class Extraction:
    """The text of a file: `source` is what the user sees, one entry per
    line (Line.no indexes it); `lines` are its non-blank lines."""

    format: str  # txt, pdf, docx
    source: list[str]
    lines: list[Line]
    encoding: str = ""
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def format_label(self):
        return FORMAT_LABELS[self.format]


def _ascii_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _hanzi(ch: str) -> bool:
    return unicodedata.category(ch) == "Lo" and unicodedata.east_asian_width(ch) in "WF"


def glue(left: str, right: str) -> str:
    """Join two pieces of one paragraph; only Latin words keep a space."""
    if left and right and _ascii_word(left[-1]) and _ascii_word(right[0]):
        return f"{left} {right}"
    return left + right


def clean(text: str) -> str:
    """Drop the spaces extraction puts next to digits and punctuation
    (12 月 28 日, “红黑榜” 新闻) and between letter-spaced hanzi (简 报), and
    invisible and control characters. A space between two words of hanzi
    (引领 文明新风) and between Latin words is the author's and stays."""
    text = _CONTROL.sub(" ", _INVISIBLE.sub("", text)).strip()
    parts = _SPACES.split(text)
    if len(parts) == 1:
        return text
    separators = _SPACES.findall(text)
    spaced = sum(1 for part in parts if len(part) == 1) >= 0.6 * len(parts)
    out = parts[0]
    for separator, part in zip(separators, parts[1:], strict=True):
        if out and part and _hanzi(out[-1]) and _hanzi(part[0]) and not spaced:
            out += "\u3000" if "\u3000" in separator else " "
            out += part
        else:
            out = glue(out, part)
    return out


def key(text: str) -> str:
    """The comparison key: width-folded, no spaces, no punctuation or symbols,
    so that “红黑榜” 新闻发布会 and "红黑榜"新闻发布会 compare equal."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


def key_positions(text: str) -> list[int]:
    """For each character of key(text), the index in `text` it comes from."""
    positions = []
    for i, ch in enumerate(text):
        if "\u4e00" <= ch <= "\u9fff":
            positions.append(i)
        else:
            positions.extend([i] * len(key(ch)))
    return positions


def ends_sentence(text: str) -> bool:
    t = text.rstrip()
    while t and t[-1] in _CLOSERS:
        t = t[:-1]
    if not t:
        return False
    return t[-1] in _FINAL or (t[-1] == "." and not t[-2:-1].isdigit())


def is_page_number(text: str) -> bool:
    """"— 2 —", "-2-", "第2页", "2/5" and the like."""
    return bool(_PAGE_NUMBER.fullmatch(unicodedata.normalize("NFKC", text).replace(" ", "")))


def width(text: str) -> float:
    """Display width in hanzi: ASCII letters and digits count half."""
    return len(text) - 0.5 * len(text.encode("ascii", "ignore"))


class ImportRefused(DomainError):
    """The file cannot be imported: the message says why and, when it can,
    on which line of the extracted text (`line`)."""

    def __init__(self, message, line=None):
        super().__init__(message, field="file")
        self.line = line


class Warning(str):  # noqa: A001 - a parse warning is text with the line it is about
    """A warning of the parse: its text names the cause; `line` (1-based line
    of the extracted text, or None) lets the preview show it beside the text."""

    line: int | None

    def __new__(cls, message: str, line: int | None = None):
        self = super().__new__(cls, message)
        self.line = line
        return self

    def as_json(self) -> dict:
        return {"line": self.line, "message": str(self)}


# --- traditional characters ------------------------------------------------------------

TRADITIONAL_MIN = 3  # converted characters before a text counts as traditional


def simplified_table(texts) -> dict[int, str]:
    """A one-to-one table from each traditional character of `texts` to its
    simplified form (OpenCC t2s, character by character), so converting
    keeps every position: parsed strings map back to the original text.
    Empty when OpenCC is not installed."""
    try:
        import opencc
    except ImportError:
        return {}
    converter = opencc.OpenCC("t2s")
    chars = {ch for text in texts for ch in text if ord(ch) > 0x2e80}
    table = {}
    for ch in chars:
        simple = converter.convert(ch)
        if len(simple) == 1 and simple != ch:
            table[ord(ch)] = simple
    return table
