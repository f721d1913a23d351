"""An installation upgraded from the time the index lived in core keeps its
documents: search 0001 copies them, core 0002 drops the old table."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from wenming import search
from wenming.search.backends import tags_for
from wenming.search.segment import index_tokens

KIND = "test.note"


def _migrate(targets):
    MigrationExecutor(connection).migrate(targets)


def _tables():
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


@pytest.mark.django_db(transaction=True)
def test_documents_indexed_in_core_are_found_after_the_upgrade():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    _migrate([("search", None), ("core", "0001_initial")])
    old = MigrationExecutor(connection).loader.project_state(
        [("core", "0001_initial")]).apps.get_model("core", "SearchDocument")
    assert "search_searchdocument" not in _tables()
    title, body = "川汇区志愿服务队走进社区", "开展文明实践活动。"
    old.objects.create(
        id=50, kind=KIND, object_id=7, published=True, date=date(2024, 3, 1), year=2024,
        filters={"series": "1"}, url="/notes/7", title=title, body=body,
        title_tokens=index_tokens(title), body_tokens=index_tokens(body),
        tags=tags_for(KIND, True, 2024, {"series": "1"}))

    _migrate(leaves)

    tables = _tables()
    assert "search_searchdocument" in tables
    assert not any(t.startswith("core_searchdocument") for t in tables)
    results = search.search("志愿服务", kind=KIND, filters={"series": "1"})
    assert [(h.object_id, h.url) for h in results.hits] == [(7, "/notes/7")]
    assert search.search("文明实践", kind=KIND).total == 1
    # New documents get ids after the copied ones.
    doc = search.index_document(KIND, 8, "志愿服务新闻", published=True)
    assert doc.pk > 50 and search.search("志愿服务", kind=KIND).total == 2
