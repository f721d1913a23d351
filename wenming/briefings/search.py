"""The briefing archive in the search index: one document per article of a
published issue (every published version, corrections included).

The services keep it in step, inside their transactions:
- `index_issue(issue)` after an issue (or a correction) is saved as published;
- `unindex_issue(issue)` before an issue is deleted or withdrawn;
- `index_series(series)` after a series' public flag or title changes.
"""

from dataclasses import dataclass
from datetime import date as Date

from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from wenming import search
from wenming.accounts import roles
from wenming.accounts.models import Unit
from wenming.briefings.models import Article, Column, Issue, Series
from wenming.briefings.numbering import number_text
from wenming.core.text import chinese_date
from wenming.search import Document

KIND = "briefings.article"
STAFF_ROLES = (roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.VIEWER)


def _document(article, issue):
    # Issues of a series kept out of the public archive are found by office
    # staff only, and open in the editor's view rather than the public page.
    public = issue.status == Issue.Status.PUBLISHED and issue.series.is_public
    page = "briefings:web_edition" if public else "briefings:issue_detail"
    return Document(
        object_id=article.pk, title=article.title, body=article.body,
        filters={"series": issue.series_id, "issue": issue.pk, "column": article.column.name,
                 "source_unit": article.source_unit_id or ""},
        published=public, date=issue.date, year=issue.year,
        url=f"{reverse(page, args=[issue.pk])}#a{article.pk}")


def index_issue(issue):
    """Put the articles of a published issue into the index (replacing what
    was there); an issue that is not published is taken out. Returns the
    number of documents indexed."""
    if issue.status != Issue.Status.PUBLISHED:
        unindex_issue(issue)
        return 0
    articles = list(issue.articles.select_related("column"))
    search.remove_documents(KIND, filters={"issue": issue.pk})
    for article in articles:
        doc = _document(article, issue)
        search.index_document(KIND, doc.object_id, doc.title, doc.body, filters=doc.filters,
                              published=doc.published, date=doc.date, year=doc.year, url=doc.url)
    return len(articles)


def unindex_issue(issue):
    return search.remove_documents(KIND, filters={"issue": issue.pk})


def index_series(series):
    return sum(index_issue(issue) for issue in
               series.issues.filter(status=Issue.Status.PUBLISHED).select_related("series"))


def documents():
    articles = (Article.objects.filter(issue__status=Issue.Status.PUBLISHED)
                .select_related("issue__series", "column").order_by("pk"))
    for article in articles.iterator(chunk_size=500):
        yield _document(article, article.issue)


search.register(KIND, documents)


def sees_everything(user):
    """Office staff also find issues of series kept out of the public
    archive; everyone else sees what the public archive shows."""
    return user.is_authenticated and user.has_role(*STAFF_ROLES)


@dataclass
class Choices:
    """What the search form offers, found in the archive as the public (or
    the office) sees it: (id, name) of the series, column names, (id, name)
    of the source units."""
    series: list
    columns: list
    units: list


# Titles and unit names may change without the index changing: read again
# after this many seconds. What the archive holds is read once per state.
NAMES_TTL = 60


def filter_choices(everything):
    """The search form's choices. Which series, columns and units appear
    comes from every column or article of the archive, so it is computed
    once per state of the index (which changes with every issue published,
    corrected or withdrawn) and not on every search; their titles and names
    are read again every minute."""
    state = search.version()
    key = f"briefings.search.archive:{int(everything)}:{state}"
    found = cache.get(key)
    if found is None:
        issues = Issue.objects.filter(status=Issue.Status.PUBLISHED)
        if not everything:
            issues = issues.filter(series__is_public=True)
        found = (
            list(issues.values_list("series", flat=True).order_by().distinct()),
            list(Column.objects.filter(issue__in=issues).values_list("name", flat=True)
                 .distinct().order_by("name")),
            list(Article.objects.filter(issue__in=issues, source_unit__isnull=False)
                 .values_list("source_unit", flat=True).order_by().distinct()))
        # No version (a flushed index not yet written to): only a while.
        cache.set(key, found, None if state else NAMES_TTL)
    names_key = f"briefings.search.names:{int(everything)}:{state}"
    choices = cache.get(names_key)
    if choices is None:
        series, columns, units = found
        shown = Series.objects.filter(pk__in=series).order_by("pk")
        if not everything:
            shown = shown.filter(is_public=True)
        choices = Choices([(s.pk, str(s)) for s in shown], columns,
                          list(Unit.objects.filter(pk__in=units).values_list("pk", "name")))
        cache.set(names_key, choices, NAMES_TTL)
    return choices


@dataclass
class Origin:
    """Where a hit was published, as its line under the snippet shows it."""
    issue_id: int
    issue: str  # 《…》2024年第3期
    series_id: int
    series_title: str
    correction_version: int | None  # the version of a correction, None for an original
    column: str
    source_unit_id: int | None
    source_unit_name: str
    source_unit_display: str
    date: str  # 2024年3月1日: text, which a template prints without localising numbers

    @property
    def line(self):
        """The line under a hit's snippet, made once here rather than from a
        dozen template lookups per hit: 《…》2024年第3期（更正版2） · 栏目 · 单位 · 日期."""
        issue = self.issue + (f"（更正版{self.correction_version}）" if self.correction_version
                              else "")
        return " · ".join(p for p in (issue, self.column, self.source_unit_display, self.date)
                          if p)


def _origins(article_ids):
    """{article id: Origin}, in one plain statement: compiling a queryset
    over five tables and building a model instance per table and hit cost
    more than the search itself."""
    tables = {m.__name__: m._meta.db_table for m in (Article, Issue, Series, Column, Unit)}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.id, i.id, s.id, s.title, i.year, i.number, i.serial, i.is_supplement, "
            "i.correction_of_id, i.version, i.date, c.name, u.id, u.name, u.short_name "
            f"FROM {tables['Article']} a JOIN {tables['Issue']} i ON i.id = a.issue_id "
            f"JOIN {tables['Series']} s ON s.id = i.series_id "
            f"JOIN {tables['Column']} c ON c.id = a.column_id "
            f"LEFT JOIN {tables['Unit']} u ON u.id = a.source_unit_id "
            f"WHERE a.id IN ({', '.join(['%s'] * len(article_ids))})", list(article_ids))
        rows = cursor.fetchall()
    origins = {}
    for (pk, issue, series, title, year, number, serial, supplement, correction_of, version,
         on, column, unit, unit_name, unit_short) in rows:
        origins[pk] = Origin(
            issue_id=issue, issue=f"《{title}》{year}年{number_text(number, serial, supplement)}",
            series_id=series, series_title=title,
            correction_version=version if correction_of else None, column=column,
            source_unit_id=unit, source_unit_name=unit_name or "",
            source_unit_display=unit_short or unit_name or "",
            date=chinese_date(Date.fromisoformat(on) if isinstance(on, str) else on))
    return origins


def search_articles(user, q, *, series=None, year_from=None, year_to=None, column=None,
                    source_unit=None, order="relevance", page=1, per_page=20):
    """Archive search as `user` may see it. `source_unit` takes in the units
    below it (a district finds its streets' articles). Each hit carries its
    `origin` (issue, series, column and source unit), None if the article
    is gone."""
    filters = {}
    if series:
        filters["series"] = getattr(series, "pk", series)
    if column:
        filters["column"] = column
    if source_unit:
        unit = source_unit if isinstance(source_unit, Unit) else Unit.objects.filter(
            pk=source_unit).first()
        filters["source_unit"] = list(Unit.objects.filter(path__startswith=unit.path)
                                      .values_list("pk", flat=True)) if unit else []
    results = search.search(q, kind=KIND, filters=filters, year_from=year_from, year_to=year_to,
                            public_only=not sees_everything(user), order=order, page=page,
                            per_page=per_page)
    # A hit shows its snippet from the index: the article's body and its
    # issue's whole text (search_text, every article of the issue) stay unread.
    origins = _origins([h.object_id for h in results.hits]) if results.hits else {}
    for hit in results.hits:
        hit.origin = origins.get(hit.object_id)
    return results
