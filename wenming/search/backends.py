"""The vendor-specific half of the search: queries over the full-text
structures that the search migration 0001 creates beside search_searchdocument.

SQLite: two FTS5 tables with external content, kept in step by triggers:
one over title, body and tags, one over title and tags. Tags are tokens for
kind, visibility, year and filter values, so that filtering happens inside
the full-text index instead of row by row. PostgreSQL: generated tsvector
columns over the same segmented words ('simple' configuration; title weight
A, body B) and over the title alone, each with a GIN index.

Ranking, in groups: articles whose title holds every word (and phrase) of
the query, then those whose title holds some of them, then the rest; each
group by bm25 / ts_rank. The title groups are small, so the first pages
come from them without ranking every article that mentions a common word
in its body; a group is ranked only as far as the page reaches. A query
with a phrase reads each candidate's text once and its (few) matches are
ordered in Python.

On SQLite, bm25 first counts the documents holding each word of the
expression (a pass over each word's whole list), so a ranked statement
keeps to the query's own words and narrows by rowid sets from the title
index instead of adding title-column words to the expression.
"""

import contextlib
import hashlib
import json
import re

from django.db import transaction

TABLE = "search_searchdocument"
FTS = "search_searchdocument_fts"
TITLE_FTS = "search_searchdocument_title"
# bm25 column weights (title, body, tags): one title hit outweighs a body
# full of hits; tags only filter.
BM25 = f"-bm25({FTS}, 10.0, 1.0, 0.0)"
# ts_rank weights {D, C, B, A}: ts_rank counts the best-weighted hit of a
# word in full and further hits at a falling rate, so a title hit (A)
# outranks any number of body hits (B).
TS_RANK = "ts_rank('{0.1, 0.1, 0.1, 1.0}', d.search_vector, q)"
UNPUBLISHED = "unpublished"
TITLE_BONUS = 1000.0
# The first pages of the title group are ranked from its top rather than
# counted first: one statement instead of two.
RANK_AHEAD = 200
# Beyond these, a filter is checked on the rows instead of in the index.
MAX_TAG_VALUES = 100
MAX_YEAR_SPAN = 60

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
# Tag words start with a Latin letter (k…, f…, y2024, unpublished). A query
# word of hanzi and digits can never be one, so it needs no column filter,
# which would make FTS5 read the position list of every candidate.
_NOT_A_TAG = re.compile(r"[\d\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _digest(text):
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def kind_tag(kind):
    return f"k{_digest(kind)}"


def filter_tag(key, value):
    return f"f{_digest(f'{key}={value}')}"


def year_tag(year):
    return f"y{int(year)}"


def tags_for(kind, published, year, filters):
    """The tag words a document carries in the index's tags column."""
    tags = [kind_tag(kind)]
    if not published:
        tags.append(UNPUBLISHED)
    if year:
        tags.append(year_tag(year))
    for key, value in filters.items():
        for v in value if isinstance(value, list) else [value]:
            tags.append(filter_tag(key, v))
    return " ".join(tags)


def _quoted(words):
    # Every word is an FTS5 string: user input never reaches the MATCH
    # grammar, so AND, NEAR, *, ( or a stray quote are just text.
    return ['"' + w.replace('"', '""') + '"' for w in words]


def _any_of(tags):
    return "tags : (" + " OR ".join(_quoted(tags)) + ")"


def _values(value):
    values = value if isinstance(value, list | tuple | set) else [value]
    # NUL cannot be sent to PostgreSQL and is in no stored value anyway.
    return [str(v).replace("\x00", "") for v in values]


class _Plan:
    """One query taken apart: what the full-text index answers and what is
    checked on the rows (`clauses`, on the document table `d`)."""

    def __init__(self, vendor, terms, phrases, kinds, public_only, year_from, year_to, filters):
        self.vendor = vendor
        self.terms = list(terms)
        self.phrases = [text for text, _ in phrases]
        self.anchors = [list(words) for _, words in phrases]
        # Every word the index must hold, for PostgreSQL's tsquery.
        self.words = list(dict.fromkeys(self.terms + [w for a in self.anchors for w in a]))
        self.any_column = all(_NOT_A_TAG.fullmatch(w) for w in self.words)
        self.tags, self.clauses, self.params = [], [], []
        self.title_clauses, self.title_params = [], []
        sqlite = vendor == "sqlite"
        if kinds:
            if sqlite:
                self.tags.append(_any_of([kind_tag(k) for k in kinds]))
            else:
                self._row(f"d.kind IN ({_marks(kinds)})", list(kinds))
        self.public_only = public_only
        if public_only and not sqlite:
            self._row("d.published = %s", [True])
        years = (int(year_to) - int(year_from) + 1) if year_from and year_to else None
        if sqlite and years is not None and 0 < years <= MAX_YEAR_SPAN:
            self.tags.append(_any_of([year_tag(y) for y in range(int(year_from),
                                                                 int(year_to) + 1)]))
        else:
            if year_from:
                self._row("d.year >= %s", [int(year_from)])
            if year_to:
                self._row("d.year <= %s", [int(year_to)])
        for key, value in (filters or {}).items():
            if not _KEY.match(key):
                raise ValueError(f"bad filter name {key!r}")
            values = _values(value)
            if not values:
                self._row("1 = 0", [])
            elif sqlite and len(values) <= MAX_TAG_VALUES:
                self.tags.append(_any_of([filter_tag(key, v) for v in values]))
            elif sqlite:
                self._row(f"json_extract(d.filters, %s) IN ({_marks(values)})",
                          [f'$."{key}"', *values])
            else:
                # Containment of {key: value} (the same rows as
                # filters ->> key = value, values being strings) is what
                # the filters' GIN index answers.
                self._row("d.filters @> ANY (%s::jsonb[])",
                          [[json.dumps({key: v}) for v in values]])
        find = "instr" if sqlite else "strpos"
        for phrase in self.phrases:
            self._row(f"({find}(lower(d.title), %s) > 0 OR {find}(lower(d.body), %s) > 0)",
                      [phrase, phrase])
            self.title_clauses.append(f"{find}(lower(d.title), %s) > 0")
            self.title_params.append(phrase)

    def _row(self, sql, params):
        self.clauses.append(sql)
        self.params += params

    def words_in(self, columns, any_term=False):
        """The query's words (all of them, or any term) in `columns`, the
        text columns of an index: the column filter only keeps words out
        of the tags, so it is left out when no word can be a tag. A
        phrase's words must lie near each other; the rows then check the
        phrase itself."""
        parts = _quoted(self.terms)
        words = (" OR " if any_term else " AND ").join(parts)
        if self.anchors and not any_term:
            near = [_near(a, text) for a, text in zip(self.anchors, self.phrases, strict=True)]
            words = " AND ".join(([words] if words else []) + near)
        return f"({words})" if self.any_column else f"{columns} : ({words})"

    def match(self, columns, any_term=False):
        """The FTS5 expression: the words in `columns` (the text columns of
        the index), the tags, and not unpublished when only the public's
        documents count."""
        expr = " AND ".join([self.words_in(columns, any_term), *self.tags])
        if self.public_only:
            expr = f"({expr}) NOT tags : {UNPUBLISHED}"
        return expr


def _near(anchors, text):
    if len(anchors) == 1:
        return _quoted(anchors)[0]
    # A phrase's words sit within a few index words of each other: those
    # in between are the shorter words indexed inside longer ones.
    return f"NEAR({' '.join(_quoted(anchors))}, {10 + 3 * len(text)})"


def _marks(values):
    return ", ".join(["%s"] * len(values))


def _where(parts):
    return " AND ".join(p for p in parts if p)


class _SQLite:
    def __init__(self, plan):
        self.plan = plan
        self.full = plan.match("{title_tokens body_tokens}")
        self.title_all = plan.match("title_tokens")
        # The title index narrows the other groups by rowid; the match on
        # the full index checks the tags already.
        self.in_title_all = plan.words_in("title_tokens")
        self.in_title_any = plan.words_in("title_tokens", any_term=True)
        # CROSS JOIN fixes the order: walk the full-text matches, then look
        # each document up by id (never the other way round).
        self.join = f" CROSS JOIN {TABLE} d ON d.id = {{fts}}.rowid" if plan.clauses else ""

    def _from(self, fts, expr, extra=(), extra_params=()):
        p = self.plan
        where = _where([f"{fts} MATCH %s", *p.clauses, *extra])
        return (f"FROM {fts}{self.join.format(fts=fts)} WHERE {where}",
                [expr, *p.params, *extra_params])

    def _fetch(self, cursor, select, sql, params, order="", limit=None, offset=0):
        tail = f" ORDER BY {order} LIMIT %s OFFSET %s" if order else ""
        cursor.execute(f"SELECT {select} {sql}{tail}",
                       [*params, limit, offset] if order else params)
        return cursor.fetchall()

    def count(self, cursor, cap):
        sql, params = self._from(FTS, self.full)
        return _capped_count(cursor, f"SELECT 1 {sql}", params, cap)

    def groups(self):
        """The relevance order as groups, best first: all words in the title
        (ranked on the small title index), some words in the title, the
        rest; each of the latter two ranked by bm25 over title and body.
        Their expression stays the query's words alone (bm25 counts the
        documents of every word in it) and one rowid set from the title
        index picks the group. "+" keeps SQLite from driving the index by
        rowid, which would restart the full-text query once per title hit."""
        in_title = f"+{FTS}.rowid IN (SELECT rowid FROM {TITLE_FTS} WHERE {TITLE_FTS} MATCH %s)"
        yield ("title", self._from(TITLE_FTS, self.title_all))
        if len(self.plan.terms) > 1:
            some = f"({self.in_title_any}) NOT ({self.in_title_all})"
            yield ("full", self._from(FTS, self.full, [in_title], [some]))
            yield ("full", self._from(FTS, self.full, [f"NOT ({in_title})"],
                                      [self.in_title_any]))
        else:
            yield ("full", self._from(FTS, self.full, [f"NOT ({in_title})"],
                                      [self.in_title_all]))

    def group_count(self, cursor, group):
        _, (sql, params) = group
        return self._fetch(cursor, "count(*)", sql, params)[0][0]

    def group_ranked(self, cursor, group, limit, offset):
        fts, (sql, params) = group
        table, score = ((TITLE_FTS, f"-bm25({TITLE_FTS}, 10.0, 0.0)") if fts == "title"
                        else (FTS, BM25))
        return self._fetch(cursor, f"{table}.rowid, {score} AS score", sql, params,
                           f"score DESC, {table}.rowid DESC", limit, offset)

    def newest(self, cursor, limit, offset, total):
        """Two ways to the newest matches: look each one up and sort them
        (cheap while they are few), or walk the documents newest first
        (index on date) and keep those in the match set, which stops after
        the page: about (offset + limit) × documents / matches steps, each
        far cheaper than a lookup. The walk wins once matches² exceed that
        product / 20; the documents are counted by the highest id (one seek)."""
        p = self.plan
        cursor.execute(f"SELECT max(id) FROM {TABLE}")
        documents = cursor.fetchone()[0] or 0
        walk = "+" if total * total * 20 > (offset + limit) * documents else ""
        cursor.execute(
            f"SELECT d.id FROM {TABLE} d WHERE {walk}d.id IN (SELECT rowid FROM {FTS} "
            f"WHERE {FTS} MATCH %s){''.join(' AND ' + c for c in p.clauses)} "
            f"ORDER BY d.date DESC, d.id DESC LIMIT %s OFFSET %s",
            [self.full, *p.params, limit, offset])
        ids = [r[0] for r in cursor.fetchall()]
        if not ids:
            return []
        cursor.execute(f"SELECT rowid, {BM25} FROM {FTS} WHERE {FTS} MATCH %s "
                       f"AND +rowid IN ({_marks(ids)})", [self.full, *ids])
        scores = dict(cursor.fetchall())
        return [(pk, scores.get(pk, 0.0)) for pk in ids]

    def phrase_rows(self, cursor):
        """Every match of a query with phrases, in one pass: (id, score,
        date, phrase in title). The phrase check reads each candidate's
        text, so it is done once; the matches are few and sorted by the
        caller."""
        p = self.plan
        sql, params = self._from(FTS, self.full)
        cursor.execute(f"SELECT {FTS}.rowid, {BM25}, d.date, {' AND '.join(p.title_clauses)} "
                       f"{sql}", [*p.title_params, *params])
        return cursor.fetchall()


class _PostgreSQL:
    """Rows are found through the GIN indexes (bitmaps of the words, the
    title's words, the filters), never by testing a row's search_vector:
    that is a TOASTed tsvector of about 4 KB per article, and reading it
    costs far more than the planner's estimate of the @@ operator (hence
    enable_seqscan off in `run_query`). A row's vector is read only by
    ts_rank, for the rows a group must rank."""

    def __init__(self, plan):
        self.plan = plan
        self.query = " ".join(plan.words)

    def _from(self, extra=(), extra_params=(), words=True):
        p = self.plan
        where = _where(["d.search_vector @@ q" if words else "", *p.clauses, *extra])
        return (f"FROM {TABLE} d CROSS JOIN plainto_tsquery('simple', %s) AS q "
                f"CROSS JOIN LATERAL (SELECT replace(q::text, ' & ', ' | ')::tsquery AS q_any) "
                f"AS any_word WHERE {where}", [self.query, *p.params, *extra_params])

    def count(self, cursor, cap):
        sql, params = self._from()
        return _capped_count(cursor, f"SELECT 1 {sql}", params, cap)

    def groups(self):
        p = self.plan
        in_all = _where(["d.title_vector @@ q", *p.title_clauses])
        # Every word in the title is in search_vector too (same lexemes,
        # weight A): the small title index alone finds the first group.
        yield self._from([in_all], p.title_params, words=False)
        if len(p.terms) > 1:
            in_any = "d.title_vector @@ any_word.q_any"
            yield self._from([in_any, f"NOT ({in_all})"], p.title_params)
            yield self._from([f"NOT ({in_any})"])
        else:
            yield self._from([f"NOT ({in_all})"], p.title_params)

    def group_count(self, cursor, group):
        sql, params = group
        cursor.execute(f"SELECT count(*) {sql}", params)
        return cursor.fetchone()[0]

    def group_ranked(self, cursor, group, limit, offset):
        sql, params = group
        cursor.execute(f"SELECT d.id, {TS_RANK} AS score {sql} ORDER BY score DESC, "
                       f"d.date DESC NULLS LAST, d.id DESC LIMIT %s OFFSET %s",
                       [*params, limit, offset])
        return cursor.fetchall()

    def phrase_rows(self, cursor):
        p = self.plan
        sql, params = self._from()
        cursor.execute(f"SELECT d.id, {TS_RANK}, d.date, {' AND '.join(p.title_clauses)} "
                       f"{sql}", [*p.title_params, *params])
        return cursor.fetchall()

    def newest(self, cursor, limit, offset, total):
        # The page is chosen by date alone (the newest-first index), and
        # only its rows are ranked: ts_rank in the same SELECT would read
        # the vector of every match before the sort.
        sql, params = self._from()
        cursor.execute(f"SELECT page.id, {TS_RANK} FROM (SELECT d.id, d.date {sql} "
                       f"ORDER BY d.date DESC NULLS LAST, d.id DESC LIMIT %s OFFSET %s) AS page "
                       f"JOIN {TABLE} d ON d.id = page.id "
                       f"CROSS JOIN plainto_tsquery('simple', %s) AS q "
                       f"ORDER BY page.date DESC NULLS LAST, page.id DESC",
                       [*params, limit, offset, self.query])
        return cursor.fetchall()


def _capped_count(cursor, select, params, cap):
    # The inner LIMIT stops the walk over the matches once past the cap:
    # counting every article that holds a common word would read its whole
    # list in the index, on every page of the results.
    cursor.execute(f"SELECT count(*) FROM ({select} LIMIT %s) AS m", [*params, cap + 1])
    return cursor.fetchone()[0]


def run_query(connection, terms, *, phrases=(), kinds=None, public_only=True, year_from=None,
              year_to=None, filters=None, order="relevance", limit=20, offset=0,
              count_cap=None):
    """(total, exact, [(document id, score), …]) for one page of matches; a
    higher score is a better match. `phrases` are (text, words) pairs. With
    `count_cap`, counting stops past that many matches: then `exact` is
    False, `total` is the cap and pages end there."""
    engines = {"sqlite": _SQLite, "postgresql": _PostgreSQL}
    if connection.vendor not in engines:
        raise NotImplementedError(f"全文检索不支持 {connection.vendor} 数据库。")
    with _statements(connection, kinds) as (cursor, only_kinds):
        if only_kinds:
            # A kind filter that every document passes is left out: on
            # SQLite its tag is on every row, and merging it costs as much
            # as the words; on PostgreSQL it is one test fewer per row.
            kinds = None
        plan = _Plan(connection.vendor, terms, phrases, kinds, public_only, year_from, year_to,
                     filters)
        engine = engines[connection.vendor](plan)
        if plan.phrases:
            # The phrase check reads each candidate's text: done once, and
            # the (few) matches are ordered here.
            total, rows = _sorted_page(engine.phrase_rows(cursor), order, limit, offset)
            return total, True, rows
        cap = count_cap if count_cap else 2 ** 62
        total = engine.count(cursor, cap)
        exact = total <= cap
        total = min(total, cap)
        if not total or offset >= total:
            return total, exact, []
        limit = min(limit, total - offset)  # pages end at the cap
        if order == "date":
            rows = engine.newest(cursor, limit, offset, total)
        else:
            rows = _grouped_page(engine, cursor, total, limit, offset)
    return total, exact, [(pk, float(score)) for pk, score in rows]


@contextlib.contextmanager
def _statements(connection, kinds):
    """A cursor for the search's statements, and whether every document is
    of one of `kinds`; on PostgreSQL inside a transaction whose settings
    keep the planner on the indexes (see _PostgreSQL): with a LIMIT, or
    many matches, it would otherwise scan the table and read every row's
    TOASTed vector to test it. The settings and the kinds are asked in one
    statement: each costs a round trip."""
    check, params = _other_kinds(kinds) if kinds else ("false", [])
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            if kinds:
                cursor.execute(f"SELECT {check}", params)
            yield cursor, bool(kinds) and not cursor.fetchone()[0]
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # With sequential scans priced out, a plan that still needed one
        # would cost over jit_above_cost and compile (tens of ms): no JIT.
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true), "
                       f"set_config('jit', 'off', true), {check}", params)
        yield cursor, bool(kinds) and not cursor.fetchone()[2]


def _other_kinds(kinds):
    """SQL that is true when a document is of none of `kinds`: one sorts
    before, between or after them. Each test is one seek in the kind index
    (reading the distinct kinds would walk all of it)."""
    kinds = sorted({str(k) for k in kinds})
    gaps = ["kind < %s"] + ["kind > %s AND kind < %s"] * (len(kinds) - 1) + ["kind > %s"]
    # Each kind bounds the gap before it and the gap after it.
    params = [k for k in kinds for _ in range(2)]
    return "(" + " OR ".join(f"EXISTS (SELECT 1 FROM {TABLE} WHERE {gap})"
                             for gap in gaps) + ")", params


def _sorted_page(rows, order, limit, offset):
    def relevance(r):
        return (bool(r[3]), r[1], r[0])

    def newest(r):
        return (r[2] is not None, str(r[2] or ""), r[0])

    rows = sorted(rows, key=newest if order == "date" else relevance, reverse=True)
    page = [(pk, float(score) + (TITLE_BONUS if in_title else 0.0))
            for pk, score, _, in_title in rows[offset:offset + limit]]
    return len(rows), page


def _grouped_page(engine, cursor, total, limit, offset):
    """One page across the relevance groups, each ranked only when the page
    reaches into it. The last is what remains. The others are ranked up to
    the page's end: either that fills the page, or what comes back is the
    whole group, so it needs no count of its own. Only the first group, on
    pages deep into it, is counted (on its small index) instead of ranked
    from its top. Scores are lifted per group so that they follow the order."""
    groups = list(engine.groups())
    end = offset + limit
    rows, seen = [], 0
    for i, group in enumerate(groups):
        bonus = TITLE_BONUS * (len(groups) - 1 - i)
        if i < len(groups) - 1 and (i or end <= RANK_AHEAD):
            ranked = engine.group_ranked(cursor, group, end - seen, 0)
            size = len(ranked)
            ranked = ranked[max(0, offset - seen):]
        else:
            size = total - seen if i else engine.group_count(cursor, group)
            start, stop = max(offset, seen), min(end, seen + size)
            ranked = (engine.group_ranked(cursor, group, stop - start, start - seen)
                      if start < stop else [])
        rows += [(pk, score + bonus) for pk, score in ranked]
        seen += size
        if seen >= end:
            break
    return rows
