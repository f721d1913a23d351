"""The briefing archive in the search index: one document per article of a
published issue (every published version, corrections included).

The services keep it in step, inside their transactions:
- `index_issue(issue)` after an issue (or a correction) is saved as published;
- `unindex_issue(issue)` before an issue is deleted or withdrawn;
- `index_series(series)` after a series' public flag or title changes.
"""

from django.core.cache import cache
from django.urls import reverse

from wenming import search
from wenming.accounts import roles
from wenming.accounts.models import Unit
from wenming.briefings.models import Article, Column, Issue
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


def filter_choices(everything):
    """(column names, source unit ids) found in the archive as the public
    (or, with `everything`, the office) sees it: the search form's choices.
    Both read every column or article of the archive, so they are computed
    once per state of the index (which changes with every issue published,
    corrected or withdrawn) and not on every search."""
    key = f"briefings.search.choices:{int(everything)}:{search.state(KIND)}"
    choices = cache.get(key)
    if choices is None:
        issues = Issue.objects.filter(status=Issue.Status.PUBLISHED)
        if not everything:
            issues = issues.filter(series__is_public=True)
        names = list(Column.objects.filter(issue__in=issues).values_list("name", flat=True)
                     .distinct().order_by("name"))
        units = list(Article.objects.filter(issue__in=issues, source_unit__isnull=False)
                     .values_list("source_unit", flat=True).order_by().distinct())
        choices = (names, units)
        cache.set(key, choices, None)
    return choices


def search_articles(user, q, *, series=None, year_from=None, year_to=None, column=None,
                    source_unit=None, order="relevance", page=1, per_page=20):
    """Archive search as `user` may see it. `source_unit` takes in the units
    below it (a district finds its streets' articles). Each hit carries its
    `article` (with issue, series, column and source unit)."""
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
    articles = (Article.objects.select_related("issue__series", "column", "source_unit")
                .defer("body", "issue__search_text", "issue__note").in_bulk(
                    [h.object_id for h in results.hits]))
    for hit in results.hits:
        hit.article = articles.get(hit.object_id)
    return results
