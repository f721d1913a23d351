from django.db import migrations

# PostgreSQL only (see wenming/search/backends.py, _PostgreSQL): the search
# statements find their rows through indexes and never by reading rows'
# search_vector, a TOASTed tsvector of about 4 KB per article.
TABLE = "search_searchdocument"
POSTGRESQL = [
    # Filters (series, column, source unit …) as containment, combined with
    # the word bitmap before any row is read.
    f"CREATE INDEX IF NOT EXISTS search_document_filters ON {TABLE} "
    "USING gin (filters jsonb_path_ops)",
    # Newest first: walked in this order until the page is full.
    f"CREATE INDEX IF NOT EXISTS search_document_newest ON {TABLE} "
    "(date DESC NULLS LAST, id DESC)",
]
POSTGRESQL_DROP = [f"DROP INDEX IF EXISTS {name}" for name in (
    "search_document_filters", "search_document_newest")]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRESQL:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRESQL_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0002_index_state"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
