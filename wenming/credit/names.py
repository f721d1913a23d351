"""Entity names as matching sees them.

The same company reaches us written many ways: full-width letters and
brackets, （） or (), 有限责任公司 or 有限公司, 股份有限公司 or 股份公司, spaces
from a pasted cell, with or without 河南省××市 in front. `name_key` maps
all of these to one key; `stem` also drops the legal form, for inputs that
leave it out.
"""

import re
import unicodedata
from functools import lru_cache

from wenming.core.uscc import regions

_BRACKETS = {"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "{": "(", "}": ")",
             "〈": "(", "〉": ")", "《": "", "》": ""}
# A regex, not str.translate: translating CJK text char by char through a
# dict is the slowest step of screening otherwise.
_BRACKET_CHARS = re.compile("[" + re.escape("".join(_BRACKETS)) + "]")
_NOISE = re.compile(r"[\s·•・.,，、'\"“”‘’`\-—–_/\\:：;；!！?？*＊#]+")
_FORMS = [("股份有限责任公司", "有限公司"), ("有限责任公司", "有限公司"),
          ("股份有限公司", "有限公司"), ("股份公司", "有限公司")]
# Legal and organisational forms: 有限公司 (all company forms end up as this
# in a key), 公司, 厂, 商行, 经营部 and cooperatives. Not 店 or 中心: 酒店 and
# 购物中心 are what a business does, not its form.
_LEGAL_FORM = re.compile(r"(?:有限公司|公司|农民专业合作社|专业合作社|合作社|经营部|商行|厂)$")
_PROVINCE_SUFFIX = re.compile(r"(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$")


@lru_cache(maxsize=1)
def _place_names():
    """Place names a company name may start with, by level: provinces (full
    and short), Henan's prefecture cities (full and short), and its counties
    and districts (full only: a bare 中原 may well be a trade name)."""
    provinces, cities, counties = set(), set(), set()
    for code, (name, _former) in regions().items():
        if code == "100000" or code.startswith("4190") and code.endswith("00"):
            continue
        if code.endswith("0000"):
            provinces.add(name)
            short = _PROVINCE_SUFFIX.sub("", name)
            if len(short) >= 2:
                provinces.add(short)
        elif code.endswith("00"):
            cities.add(name)
            if name.endswith("市") and len(name) > 2:
                cities.add(name[:-1])
        else:
            counties.add(name)
    return [sorted(level, key=len, reverse=True) for level in (provinces, cities, counties)]


def _alternatives(names):
    return "|".join(re.escape(n) for n in names)


@lru_cache(maxsize=1)
def _bracketed():
    everything = _alternatives(sorted(set().union(*_place_names()), key=len, reverse=True))
    return re.compile(f"\\((?:{everything})+\\)")


@lru_cache(maxsize=1)
def _levels():
    """Per level, first character → names starting with it, longest first:
    a prefix is one dict lookup and a few startswith, not a scan of 250
    alternatives (screening normalises every input row)."""
    levels = []
    for names in _place_names():
        by_first = {}
        for name in names:  # already longest first
            by_first.setdefault(name[0], []).append(name)
        levels.append(by_first)
    return levels


def _strip_places(text):
    # In order province → city → county, each at most once: 河南省郑州市中原区,
    # 郑州市, 中原区. A county followed by a city name (中原区开封兴…) keeps the
    # city name, which then belongs to the trade name.
    for by_first in _levels():
        for name in by_first.get(text[:1], ()):
            if text.startswith(name):
                text = text[len(name):]
                break
    return text


def clean(name):
    """Width, brackets and noise normalised, letters lowercased; nothing
    dropped that could tell two entities apart."""
    text = unicodedata.normalize("NFKC", str(name or ""))
    if _BRACKET_CHARS.search(text):
        text = _BRACKET_CHARS.sub(lambda m: _BRACKETS[m.group()], text)
    return _NOISE.sub("", text).casefold()


def name_key(name):
    """The matching key of a name: cleaned, legal form canonical, place-name
    prefixes removed. Two spellings of one entity get the same key."""
    text = clean(name)
    for old, new in _FORMS:
        text = text.replace(old, new)
    if "(" in text:
        text = _bracketed().sub("", text)
    stripped = _strip_places(text)
    # A name that is nothing but a place (a market called 郑州市) keeps it.
    if len(stripped) >= 2:
        text = stripped
    return text.replace("(", "").replace(")", "")


def stem(key):
    """A key without its legal or organisational form."""
    stripped = _LEGAL_FORM.sub("", key)
    return stripped if len(stripped) >= 2 else key
