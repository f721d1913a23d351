"""What a superuser changes in the Django admin leaves the same audit trail
as a change through the services: role groups (their permissions) are
edited there; users only through the platform's own pages."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from wenming.accounts import roles
from wenming.audit.models import AuditEvent


@pytest.fixture
def superuser(people):
    user = people["admin"]
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def _permission(codename):
    return Permission.objects.get(codename=codename)


def test_new_role_group_is_audited_with_its_permissions(admin_client, superuser):
    response = admin_client.post(reverse("admin:auth_group_add"), {
        "name": "临时督查", "permissions": [_permission("view_unit").pk]})
    assert response.status_code == 302
    group = Group.objects.get(name="临时督查")
    event = AuditEvent.objects.get(verb="group.create")
    assert event.actor == superuser and event.object_id == str(group.pk)
    assert event.before is None
    assert event.after["name"] == "临时督查" and len(event.after["permissions"]) == 1


def test_changed_role_group_is_audited_before_and_after(admin_client, people):
    group = Group.objects.get(name=roles.LIAISON)
    response = admin_client.post(reverse("admin:auth_group_change", args=[group.pk]), {
        "name": roles.LIAISON,
        "permissions": [_permission("view_unit").pk, _permission("change_unit").pk]})
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="group.update")
    assert event.before["permissions"] == []
    assert len(event.after["permissions"]) == 2
    assert group.permissions.count() == 2


def test_deleted_role_group_is_audited(admin_client):
    group = Group.objects.create(name="临时组")
    response = admin_client.post(reverse("admin:auth_group_delete", args=[group.pk]),
                                 {"post": "yes"})
    assert response.status_code == 302
    assert not Group.objects.filter(pk=group.pk).exists()
    event = AuditEvent.objects.get(verb="group.delete")
    assert event.object_id == str(group.pk) and event.before["name"] == "临时组"


def test_bulk_deleted_role_groups_are_audited_one_by_one(admin_client):
    groups = [Group.objects.create(name=f"临时组{i}") for i in range(2)]
    response = admin_client.post(reverse("admin:auth_group_changelist"), {
        "action": "delete_selected", "_selected_action": [g.pk for g in groups],
        "post": "yes"})
    assert response.status_code == 302
    assert not Group.objects.filter(pk__in=[g.pk for g in groups]).exists()
    deleted = set(AuditEvent.objects.filter(verb="group.delete").values_list("object_id",
                                                                             flat=True))
    assert deleted == {str(g.pk) for g in groups}


def test_user_cannot_be_changed_in_the_admin(admin_client, people):
    liaison = people["liaison"]
    response = admin_client.post(reverse("admin:accounts_user_change", args=[liaison.pk]), {
        "username": "renamed", "is_superuser": "on"})
    assert response.status_code == 403
    liaison.refresh_from_db()
    assert liaison.username == "bob" and not liaison.is_superuser
