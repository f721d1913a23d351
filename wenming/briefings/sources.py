"""Draft sources: the work records a briefing can pull an article from.

An app that can offer an article registers a source in its AppConfig.ready()
with `register`: a key, the label users see, and a function that writes the
article — `(title, paragraphs)` for a date range, or None when the period has
nothing to tell. It may also offer one for a single object (a bulletin, a
themed campaign). The app imports nothing else from briefings: publications
pull from the work, work records never depend on publications; placing the
article is briefings.services.place_article, the one door.

The registry holds code, not data: it is filled the same way in every
process when the apps load, so it is safe to keep in the module."""

import calendar
from dataclasses import dataclass
from datetime import timedelta

from wenming.core.errors import DomainError
from wenming.core.text import chinese_date


@dataclass(frozen=True)
class Draft:
    title: str
    paragraphs: list


@dataclass(frozen=True)
class DraftSource:
    key: str
    label: str
    for_period: object
    for_object: object = None
    # Column names this kind of article usually goes under, best first.
    columns: tuple = ()
    # Where it stands in the editor's list; the apps load in no useful order.
    order: int = 0

    def period_draft(self, start, end):
        return _draft(self.for_period(start, end))

    def object_draft(self, pk):
        if self.for_object is None:
            return None
        return _draft(self.for_object(pk))


_SOURCES = {}


def register(key, label, for_period, *, for_object=None, columns=(), order=0):
    """Called from an AppConfig.ready(); registering a key again replaces it
    (Django may run ready() twice in tests)."""
    _SOURCES[key] = DraftSource(key, label, for_period, for_object, tuple(columns), order)


def all_sources():
    return sorted(_SOURCES.values(), key=lambda s: (s.order, s.key))


def get_source(key):
    try:
        return _SOURCES[key]
    except KeyError:
        raise DomainError(f"没有名为“{key}”的稿件来源。") from None


def label_of(key):
    source = _SOURCES.get(key)
    return source.label if source else key


def _draft(result):
    if result is None:
        return None
    title, paragraphs = result
    paragraphs = [p for p in paragraphs if p and p.strip()]
    if not title or not paragraphs:
        return None
    return Draft(title, paragraphs)


def last_month(today):
    """The default period of the editor's form: the calendar month before `today`."""
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def period_text(start, end):
    """How an article names its period: 2024年1月, 2024年1—3月 or 2024年1月5日至2月3日."""
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    if whole_months and start.year == end.year:
        if start.month == end.month:
            return f"{start.year}年{start.month}月"
        if start.month == 1 and end.month == 12:
            return f"{start.year}年"
        return f"{start.year}年{start.month}—{end.month}月"
    tail = f"{end.month}月{end.day}日" if end.year == start.year else chinese_date(end)
    return f"{chinese_date(start)}至{tail}"
