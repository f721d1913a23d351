from django.db import models


class SearchDocument(models.Model):
    """One searchable record of any app, as the archive search sees it.

    The full-text part lives beside this table and is kept in step by the
    database itself, so bulk loads, restores and flushes cannot leave it
    behind: on SQLite FTS5 tables over `title_tokens`/`body_tokens`/`tags`
    maintained by triggers, on PostgreSQL generated tsvector columns with
    GIN indexes (see migrations/0001_initial.py). On SQLite, a future
    migration that makes Django rebuild this table drops the triggers with
    it and must create them again (see migrations/0001_initial.py).
    """

    # Small columns first: SQLite reads a row's leading columns without
    # touching the overflow pages that hold the long texts at its end.
    kind = models.CharField(max_length=50)
    object_id = models.BigIntegerField()
    # Readers outside the office see only documents marked published.
    published = models.BooleanField(default=False)
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Exact-match attributes the owning app filters on (series, column,
    # source unit …); values are kept as strings.
    filters = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True)
    indexed_at = models.DateTimeField(auto_now=True)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    # Segmented words separated by spaces; what the full-text index reads.
    title_tokens = models.TextField(blank=True, editable=False)
    body_tokens = models.TextField(blank=True, editable=False)
    # Kind, visibility, year and filter values as index words (SQLite).
    tags = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = "检索文档"
        verbose_name_plural = "检索文档"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique"),
        ]
        # Index names are global to the database: these differ from the ones
        # core_searchdocument (this table before it moved here) still holds
        # while migration 0001 copies its rows.
        indexes = [models.Index(fields=["date"], name="search_document_date"),
                   models.Index(fields=["kind"], name="search_document_kind")]

    def __str__(self):
        return f"{self.kind}#{self.object_id} {self.title}"


class IndexVersion(models.Model):
    """A token that the database itself replaces whenever a statement
    writes to the documents' table (triggers of migration 0004), however
    the rows arrive: services, bulk loads, deletes by queryset, loaddata,
    flush. What is derived from the documents (search results, the form's
    choices) is cached under it, and is never read for another content.
    Random rather than a counter: after a rolled-back transaction a counter
    would repeat values that caches already hold for other contents. One
    row (id 1); none until the first write after a flush."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "检索索引版本"
        verbose_name_plural = "检索索引版本"

    def __str__(self):
        return self.token
