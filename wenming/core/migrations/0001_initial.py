from django.db import migrations, models

# The full-text half of the search index, per database (see
# wenming/core/search/backends.py). Both are maintained by the database
# itself (triggers / generated columns), so every way rows reach
# core_searchdocument — ORM, bulk_create, loaddata, flush — keeps the index
# in step.
FTS_TABLES = {
    # name: indexed columns
    "core_searchdocument_fts": ["title_tokens", "body_tokens", "tags"],
    "core_searchdocument_title": ["title_tokens", "tags"],
}


def _sqlite():
    statements = []
    for name, columns in FTS_TABLES.items():
        cols = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        statements += [
            f"""CREATE VIRTUAL TABLE {name} USING fts5({cols}, content='core_searchdocument',
                content_rowid='id', tokenize='unicode61')""",
            f"""CREATE TRIGGER {name}_ai AFTER INSERT ON core_searchdocument BEGIN
                INSERT INTO {name}(rowid, {cols}) VALUES (new.id, {new});
            END""",
            f"""CREATE TRIGGER {name}_ad AFTER DELETE ON core_searchdocument BEGIN
                INSERT INTO {name}({name}, rowid, {cols}) VALUES ('delete', old.id, {old});
            END""",
            f"""CREATE TRIGGER {name}_au AFTER UPDATE ON core_searchdocument BEGIN
                INSERT INTO {name}({name}, rowid, {cols}) VALUES ('delete', old.id, {old});
                INSERT INTO {name}(rowid, {cols}) VALUES (new.id, {new});
            END""",
        ]
    return statements


def _sqlite_drop():
    return [f"DROP TRIGGER IF EXISTS {name}_{t}" for name in FTS_TABLES
            for t in ("ai", "ad", "au")] + [f"DROP TABLE IF EXISTS {name}" for name in FTS_TABLES]


POSTGRESQL = [
    """ALTER TABLE core_searchdocument ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, title_tokens), 'A') ||
        setweight(to_tsvector('simple'::regconfig, body_tokens), 'B')) STORED""",
    """ALTER TABLE core_searchdocument ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, title_tokens)) STORED""",
    "CREATE INDEX core_searchdocument_vector ON core_searchdocument USING gin (search_vector)",
    "CREATE INDEX core_searchdocument_title ON core_searchdocument USING gin (title_vector)",
]
POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS core_searchdocument_vector",
    "DROP INDEX IF EXISTS core_searchdocument_title",
    "ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS search_vector",
    "ALTER TABLE core_searchdocument DROP COLUMN IF EXISTS title_vector",
]


def create_fulltext(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": _sqlite(), "postgresql": POSTGRESQL}.get(vendor, []):
        schema_editor.execute(sql)


def drop_fulltext(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": _sqlite_drop(), "postgresql": POSTGRESQL_DROP}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=50)),
                ('object_id', models.BigIntegerField()),
                ('published', models.BooleanField(default=False)),
                ('date', models.DateField(blank=True, null=True)),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('filters', models.JSONField(blank=True, default=dict)),
                ('url', models.CharField(blank=True, max_length=500)),
                ('indexed_at', models.DateTimeField(auto_now=True)),
                ('title', models.CharField(max_length=500)),
                ('body', models.TextField(blank=True)),
                ('title_tokens', models.TextField(blank=True, editable=False)),
                ('body_tokens', models.TextField(blank=True, editable=False)),
                ('tags', models.TextField(blank=True, editable=False)),
            ],
            options={
                'verbose_name': '检索文档',
                'verbose_name_plural': '检索文档',
                'indexes': [models.Index(fields=['date'], name='searchdocument_date'), models.Index(fields=['kind'], name='searchdocument_kind')],
                'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='searchdocument_unique')],
            },
        ),
        migrations.RunPython(create_fulltext, drop_fulltext),
    ]
