import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from wenming.audit.models import AppendOnlyError, AuditEvent
from wenming.audit.services import record


@pytest.fixture
def event(people, world):
    return record(people["admin"], "unit.update", world["chuanhui"],
                  before={"name": "川汇"}, after={"name": "川汇区"}, ip="10.1.2.3")


def test_record_keeps_actor_object_and_change(event, people, world):
    event.refresh_from_db()
    assert event.actor == people["admin"] and event.actor_name == "王管理"
    assert event.object_type == "accounts.unit" and event.object_id == str(world["chuanhui"].pk)
    assert event.before == {"name": "川汇"} and event.after == {"name": "川汇区"}
    assert event.ip == "10.1.2.3" and event.created_at is not None


def test_saving_an_existing_event_is_refused(event):
    event.verb = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).verb == "unit.update"


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["verb"])
    assert AuditEvent.objects.get(pk=event.pk).verb == "unit.update"


def test_admin_site_offers_no_change_or_delete(client, event, people):
    client.force_login(people["admin"])
    url = reverse("admin:audit_auditevent_change", args=[event.pk])
    response = client.post(url, {"verb": "tampered"})
    assert response.status_code in (302, 403)
    delete = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})
    assert delete.status_code in (302, 403)
    assert AuditEvent.objects.get(pk=event.pk).verb == "unit.update"


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the database trigger exists on PostgreSQL, the production engine")
def test_postgresql_refuses_raw_sql_update_and_delete(event):
    for sql in ["UPDATE audit_auditevent SET verb = 'x'", "DELETE FROM audit_auditevent"]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).verb == "unit.update"
