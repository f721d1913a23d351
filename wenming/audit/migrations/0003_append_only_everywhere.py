from django.db import migrations

# The database refuses to rewrite history on both engines, so not even
# `_base_manager.update()`, `_raw_delete()` or raw SQL can change the trail:
# SQLite gets row triggers for UPDATE and DELETE (PostgreSQL has had them
# since 0002) and PostgreSQL a statement trigger for TRUNCATE, which row
# triggers do not see. Only `flush` (tests, a fresh start) lifts them, for
# its own transaction: see audit/management/commands/flush.py.
_SQLITE_CREATE = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '审计日志只能追加'); END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '审计日志只能追加'); END""",
]
_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]
_POSTGRESQL_CREATE = [
    """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
]
_POSTGRESQL_DROP = ["DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": _SQLITE_CREATE, "postgresql": _POSTGRESQL_CREATE}.get(vendor, []):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": _SQLITE_DROP, "postgresql": _POSTGRESQL_DROP}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
