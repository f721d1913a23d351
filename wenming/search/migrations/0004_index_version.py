import uuid

from django.db import migrations, models

# The index version (see models.IndexVersion) is replaced by the database on
# every write to the documents' table, so that no way of writing rows can
# leave a cached search result behind. SQLite has row triggers only; on
# PostgreSQL one statement-level trigger also sees TRUNCATE (flush). No
# conflict clause on SQLite: the one of the statement that fires a trigger
# (INSERT OR IGNORE …) would override it.
TABLE = "search_searchdocument"
VERSION = "search_indexversion"
SQLITE = [
    f"""CREATE TRIGGER search_version_{event.lower()} AFTER {event} ON {TABLE} BEGIN
        UPDATE {VERSION} SET token = lower(hex(randomblob(16))) WHERE id = 1;
        INSERT INTO {VERSION} (id, token) SELECT 1, lower(hex(randomblob(16)))
            WHERE NOT EXISTS (SELECT 1 FROM {VERSION} WHERE id = 1);
    END""" for event in ("INSERT", "UPDATE", "DELETE")
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS search_version_{event}"
               for event in ("insert", "update", "delete")]
POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION search_new_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO {VERSION} (id, token) VALUES (1, replace(gen_random_uuid()::text, '-', ''))
        ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER search_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION search_new_version()""",
]
POSTGRESQL_DROP = [f"DROP TRIGGER IF EXISTS search_version ON {TABLE}",
                   "DROP FUNCTION IF EXISTS search_new_version()"]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, []):
        schema_editor.execute(sql)
    # The documents already indexed get a version of their own.
    schema_editor.execute(f"INSERT INTO {VERSION} (id, token) VALUES (1, %s)", [uuid.uuid4().hex])


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0003_postgresql_search_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndexVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
            ],
            options={
                "verbose_name": "检索索引版本",
                "verbose_name_plural": "检索索引版本",
            },
        ),
        migrations.RunPython(create, drop),
        migrations.DeleteModel(name="IndexState"),
    ]
