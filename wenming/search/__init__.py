"""Chinese full-text search over any app's records.

An app indexes a record with `index_document(kind, object_id, …)` from the
service that changes it (inside the same transaction), drops it with
`remove_document`, and registers a function that lists all its documents
(`register(kind, documents)`, in its own `search.py` module) so that
`wenming search reindex` can rebuild everything. `search()` answers queries
with ranked, highlighted, paginated hits.
"""

import functools
import hashlib
import json
import math
import time
from dataclasses import dataclass, field
from datetime import date as Date

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.utils.module_loading import autodiscover_modules

from wenming.search.backends import FTS, TITLE_FTS, run_query, tags_for
from wenming.search.segment import index_tokens, parse_query, segment_pairs
from wenming.search.snippets import highlight, matcher, snippet

ORDERS = ("relevance", "date")
MAX_PER_PAGE = 100
BATCH = 500

# kind → function returning an iterable of Document; filled when the apps'
# search modules are imported (code, not data: the same in every process).
_registry = {}


@dataclass
class Document:
    object_id: int
    title: str
    body: str = ""
    filters: dict = field(default_factory=dict)
    published: bool = False
    date: Date | None = None
    year: int | None = None
    url: str = ""


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    title_html: str
    snippet: str
    score: float
    date: Date | None
    year: int | None
    url: str
    filters: dict


@dataclass
class Results:
    query: str
    total: int = 0
    page: int = 1
    per_page: int = 20
    hits: list = field(default_factory=list)
    searchable: bool = True  # False when the query holds no word to look for
    exact: bool = True  # False when counting stopped at the cap: `total` is a floor

    @property
    def num_pages(self):
        return max(1, math.ceil(self.total / self.per_page))


def register(kind, documents):
    _registry[kind] = documents


def registered_kinds():
    autodiscover_modules("search")
    return dict(_registry)


def _row(kind, doc, tokens=None):
    from wenming.search.models import SearchDocument

    title, body = _clean(doc.title)[:500], _clean(doc.body)
    title_tokens, body_tokens = tokens or (index_tokens(title), index_tokens(body))
    year = doc.year or (doc.date.year if doc.date else None)
    filters = {k: _filter_value(v) for k, v in (doc.filters or {}).items()}
    return SearchDocument(
        kind=kind, object_id=doc.object_id, title=title, body=body, title_tokens=title_tokens,
        body_tokens=body_tokens, tags=tags_for(kind, doc.published, year, filters),
        published=bool(doc.published), date=doc.date, year=year, url=doc.url or "",
        filters=filters)


def _clean(text):
    # NUL cannot be stored in PostgreSQL text; the services refuse control
    # characters already, other callers may not.
    return (text or "").replace("\x00", "")


def _filter_value(value):
    if isinstance(value, list | tuple | set):
        return [_clean(str(v)) for v in value]
    return "" if value is None else _clean(str(value))


def index_document(kind, object_id, title, body="", *, filters=None, published=False, date=None,
                   year=None, url=""):
    """Add or replace one record's document. Call it inside the transaction
    that changes the record."""
    from wenming.search.models import SearchDocument

    row = _row(kind, Document(object_id, title, body, filters or {}, published, date, year, url))
    values = {f.attname: getattr(row, f.attname) for f in SearchDocument._meta.concrete_fields
              if f.attname not in ("id", "kind", "object_id", "indexed_at")}
    doc, _ = SearchDocument.objects.update_or_create(kind=kind, object_id=object_id,
                                                     defaults=values)
    return doc


def version():
    """The index's version (see models.IndexVersion): a token that the
    database replaces on every write to the documents, in the writing
    transaction, so a cache key for whatever is derived from them; "" when
    there is none (then nothing is cached)."""
    from wenming.search.models import IndexVersion

    # Read on every search: a plain statement rather than a queryset, whose
    # compilation costs more than the lookup.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {IndexVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else ""


def remove_document(kind, object_id):
    return remove_documents(kind, object_ids=[object_id])


def remove_documents(kind, *, object_ids=None, filters=None):
    """Drop documents of `kind`: those with the given ids, or those whose
    filter values equal `filters` (e.g. every article of one issue)."""
    from wenming.search.models import SearchDocument

    docs = SearchDocument.objects.filter(kind=kind)
    if object_ids is not None:
        docs = docs.filter(object_id__in=list(object_ids))
    for key, value in (filters or {}).items():
        docs = docs.filter(**{f"filters__{key}": _filter_value(value)})
    if object_ids is None and not filters:
        raise ValueError("remove_documents needs object_ids or filters")
    deleted, _ = docs.delete()
    return deleted


def search(query, *, kind=None, filters=None, year_from=None, year_to=None, public_only=True,
           order="relevance", page=1, per_page=20, count_cap=-1):
    """Ranked hits for a user's query. Words are ANDed; "quoted phrases"
    must appear as written; `filters` maps a filter name to a value or a
    list of values; `public_only` keeps to published documents. Matches
    are counted up to `count_cap` (by default WENMING_SEARCH_COUNT_CAP,
    None: all of them): past it `exact` is False and pages stop there.

    Results are cached under the index's version and every argument, so a
    page asked for again is read from the cache (the "search" cache) until
    any document is written; WENMING_SEARCH_CACHE_SECONDS = 0 turns that off."""
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}")
    page = max(1, int(page or 1))
    per_page = min(MAX_PER_PAGE, max(1, int(per_page or 20)))
    results = Results(query=query or "", page=page, per_page=per_page)
    parsed = _parsed(query or "")
    if not parsed:
        results.searchable = False
        return results
    kinds = sorted({kind} if isinstance(kind, str) else set(kind or []))
    cap = settings.WENMING_SEARCH_COUNT_CAP if count_cap == -1 else count_cap
    phrases = [(p.text, p.words) for p in parsed.phrases]
    # The words as segmented today: a word added to the dictionary changes them.
    key = _cache_key(query, parsed.terms, phrases, kinds, filters, year_from, year_to,
                     public_only, order, page, per_page, cap)
    if key:
        cached = caches["search"].get(key)
        if cached is not None:
            return cached
    results.total, results.exact, ranked = run_query(
        connection, parsed.terms, phrases=phrases, kinds=kinds,
        public_only=public_only, year_from=year_from, year_to=year_to, filters=filters,
        order=order, limit=per_page, offset=(page - 1) * per_page, count_cap=cap)
    docs = _hit_rows([pk for pk, _ in ranked]) if ranked else {}
    pattern = matcher(parsed.needles)
    for pk, score in ranked:
        kind_, object_id, title, body, date, year, url, filters_ = docs[pk]
        results.hits.append(Hit(
            kind=kind_, object_id=object_id, title=title,
            title_html=highlight(title, pattern), snippet=snippet(body, pattern),
            score=score, date=date, year=year, url=url, filters=filters_))
    if key:
        caches["search"].set(key, results, settings.WENMING_SEARCH_CACHE_SECONDS)
    return results


def _cache_key(*arguments):
    """The cache key of one search, or None when nothing is to be cached.
    The version is read first: a result computed after a write has
    committed is at least as new as the version it is filed under, and a
    version that a later write replaces is never read again."""
    if not settings.WENMING_SEARCH_CACHE_SECONDS:
        return None
    current = version()
    if not current:
        return None
    try:
        described = json.dumps(arguments, sort_keys=True, default=str)
    except TypeError:  # filters of a type JSON cannot sort (mixed keys): not cached
        return None
    digest = hashlib.blake2b(described.encode(), digest_size=16).hexdigest()
    return f"search:{connection.alias}:{current}:{digest}"


@functools.lru_cache(maxsize=2048)
def _parsed(query):
    # Readers page through results and repeat popular queries: segment each
    # query once per process. The Query is only read.
    return parse_query(query)


def _hit_rows(ids):
    """{id: (kind, object_id, title, body, date, year, url, filters)}: a
    page of hits needs these columns only (the token columns after them
    fill overflow pages). A plain statement: compiling a queryset and
    building model instances cost more than reading the rows."""
    from wenming.search.models import SearchDocument

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, kind, object_id, title, body, date, year, url, filters "
            f"FROM {SearchDocument._meta.db_table} WHERE id IN ({', '.join(['%s'] * len(ids))})",
            ids)
        rows = cursor.fetchall()
    # SQLite hands dates and JSON back as text, PostgreSQL's backend JSON.
    return {pk: (kind, object_id, title, body,
                 Date.fromisoformat(date) if isinstance(date, str) else date, year, url,
                 json.loads(filters) if isinstance(filters, str) else filters)
            for pk, kind, object_id, title, body, date, year, url, filters in rows}


def _segmented(pairs, jobs):
    if jobs <= 1 or len(pairs) < 2 * BATCH:
        return segment_pairs(pairs)
    import multiprocessing

    # Segmentation is the slow part of a rebuild and is pure Python: spread
    # it over processes. fork shares the loaded dictionary with the workers.
    index_tokens("")
    chunks = [pairs[i:i + BATCH] for i in range(0, len(pairs), BATCH)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return [t for chunk in pool.map(segment_pairs, chunks) for t in chunk]


def bulk_index(kind, documents, *, jobs=1, tokens=None):
    """Insert many new documents of one kind at once (for rebuilds and
    benches); `tokens` may carry already segmented (title, body) pairs."""
    from wenming.search.models import SearchDocument

    documents = list(documents)
    if tokens is None:
        tokens = _segmented([(d.title, d.body) for d in documents], jobs)
    rows = [_row(kind, d, t) for d, t in zip(documents, tokens, strict=True)]
    with transaction.atomic():
        SearchDocument.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def optimize():
    """Merge the index's segments after a bulk load (SQLite FTS5); PostgreSQL
    keeps its GIN index itself."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in (FTS, TITLE_FTS):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")


def rebuild(kinds=None, *, progress=None, jobs=1):
    """Drop and rebuild the documents of every registered kind (or the given
    ones) in one transaction; searches keep seeing the old index until it
    commits. Returns {kind: (count, seconds)}."""
    from wenming.search.models import SearchDocument

    registry = registered_kinds()
    unknown = set(kinds or ()) - set(registry)
    if unknown:
        raise ValueError("未注册的检索类别：" + "、".join(sorted(unknown)))
    summary = {}
    with transaction.atomic():
        for kind in kinds or sorted(registry):
            started = time.perf_counter()
            SearchDocument.objects.filter(kind=kind).delete()
            count, batch = 0, []
            for doc in registry[kind]():
                batch.append(doc)
                if len(batch) >= BATCH * max(1, jobs):
                    count += bulk_index(kind, batch, jobs=jobs)
                    batch = []
                    if progress:
                        progress(kind, count)
            count += bulk_index(kind, batch, jobs=jobs)
            if progress:
                progress(kind, count)
            summary[kind] = (count, time.perf_counter() - started)
        optimize()
    return summary


__all__ = ["Document", "Hit", "Results", "bulk_index", "index_document", "optimize", "rebuild",
           "register", "registered_kinds", "remove_document", "remove_documents", "search", "version"]
