"""Django's `flush`, which empties every table, the audit trail included:
the one sanctioned way to remove audit events (between tests, for a fresh
start). The database triggers that refuse it everywhere else (audit
migrations 0002, 0003) are lifted inside the flush's own transaction, so
they are back whether it commits or not."""

from django.core.management.commands import flush
from django.db import connections, transaction

TABLE = "audit_auditevent"


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
                super().handle(**options)
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
            elif connection.vendor == "sqlite":
                cursor.execute("SELECT name, sql FROM sqlite_master "
                               "WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
                triggers = cursor.fetchall()
                for name, _sql in triggers:
                    cursor.execute(f'DROP TRIGGER "{name}"')
                super().handle(**options)
                for _name, sql in triggers:
                    cursor.execute(sql)
            else:
                super().handle(**options)
