import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from wenming.accounts.tests.factories import make_city, make_people
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


def _refused_by_the_database(statement):
    with pytest.raises(DatabaseError) as refusal, transaction.atomic():
        statement()
    if connection.vendor == "sqlite":
        assert "审计日志只能追加" in str(refusal.value)


def _raw(sql):
    def execute():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    return execute


def test_database_refuses_every_way_around_the_model(event):
    rows = AuditEvent._base_manager.filter(pk=event.pk)
    _refused_by_the_database(lambda: rows.update(verb="tampered"))
    _refused_by_the_database(lambda: rows._raw_delete(connection.alias))
    _refused_by_the_database(_raw("UPDATE audit_auditevent SET verb = 'tampered'"))
    _refused_by_the_database(_raw("DELETE FROM audit_auditevent"))
    assert AuditEvent.objects.get(pk=event.pk).verb == "unit.update"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_truncate(event):
    _refused_by_the_database(_raw("TRUNCATE audit_auditevent"))
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_and_the_refusal_comes_back(people, world):
    record(people["admin"], "unit.update", world["chuanhui"])
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    people = make_people(make_city())
    event = record(people["admin"], "unit.update", people["admin"])
    _refused_by_the_database(_raw("DELETE FROM audit_auditevent"))
    assert AuditEvent.objects.filter(pk=event.pk).exists()
