"""Highlighted excerpts: the text is HTML-escaped piece by piece and only
our own <mark> tags are added, so nothing in a document becomes markup."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

SNIPPET_CHARS = 120
_BEFORE = 30


def matcher(needles):
    needles = [n for n in needles if n]
    if not needles:
        return None
    return re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)


def _marked(text, pattern):
    if pattern is None:
        return escape(text)
    out, pos = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[pos:m.start()]))
        out.append(f"<mark>{escape(m.group())}</mark>")
        pos = m.end()
    out.append(escape(text[pos:]))
    # Words that follow each other read as one highlighted stretch.
    return "".join(out).replace("</mark><mark>", "")


def highlight(text, pattern):
    """The whole text, escaped, with matches in <mark>."""
    return mark_safe(_marked(text or "", pattern))


def snippet(text, pattern, chars=SNIPPET_CHARS):
    """About `chars` characters of `text` around its first match (or its
    opening when nothing matches), escaped, with matches in <mark>."""
    text = " ".join((text or "").split())
    m = pattern.search(text) if pattern else None
    start = max(0, m.start() - _BEFORE) if m else 0
    end = min(len(text), start + chars)
    start = max(0, min(start, end - chars))
    piece = _marked(text[start:end], pattern)
    return mark_safe(("…" if start else "") + piece + ("…" if end < len(text) else ""))
