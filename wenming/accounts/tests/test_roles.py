import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from wenming.accounts import roles, services
from wenming.accounts.models import User
from wenming.audit.models import AuditEvent
from wenming.core.errors import DomainError


def test_roles_exist_from_migration(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL)


def test_navigation_depends_on_role(client, people):
    client.force_login(people["admin"])
    admin_page = client.get(reverse("home")).content.decode()
    assert "审计日志" in admin_page and "用户管理" in admin_page
    client.force_login(people["liaison"])
    liaison_page = client.get(reverse("home")).content.decode()
    assert "审计日志" not in liaison_page and "用户管理" not in liaison_page
    assert "组织机构" in liaison_page


def test_liaison_must_be_bound_to_a_unit(people):
    with pytest.raises(DomainError, match="必须绑定所属单位"):
        services.create_user(people["admin"], username="x", password="Long-pass-1",
                             role_names=[roles.LIAISON])
    assert not User.objects.filter(username="x").exists()


def test_only_admin_creates_users(people, world):
    with pytest.raises(PermissionDenied):
        services.create_user(people["editor"], username="x", password="Long-pass-1")


def test_admin_creates_liaison_through_the_form(client, people, world):
    client.force_login(people["admin"])
    response = client.post(reverse("accounts:user_create"), {
        "username": "dave", "full_name": "郑联络", "unit": world["huaiyang"].pk,
        "roles": [roles.LIAISON], "password": "Another-pass-9",
    })
    assert response.status_code == 302
    dave = User.objects.get(username="dave")
    assert dave.unit == world["huaiyang"] and dave.has_role(roles.LIAISON)
    event = AuditEvent.objects.get(verb="user.create", object_id=str(dave.pk))
    assert event.actor == people["admin"] and event.after["roles"] == [roles.LIAISON]


def test_user_form_refuses_duplicate_username_in_chinese(client, people, world):
    client.force_login(people["admin"])
    response = client.post(reverse("accounts:user_create"), {
        "username": "bob", "full_name": "重复", "password": "Another-pass-9",
    })
    assert response.status_code == 200
    assert "用户名“bob”已被使用" in response.content.decode()


def test_liaison_cannot_open_user_admin(client, people):
    client.force_login(people["liaison"])
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_shared_role_predicates(people):
    from django.contrib.auth.models import AnonymousUser

    def who(predicate):
        return {name for name, user in people.items() if predicate(user)}

    assert who(roles.is_office_editor) == {"admin", "editor"}
    assert who(roles.is_office_inspector) == {"admin", "inspector"}
    assert who(roles.can_manage) == {"admin", "editor", "inspector"}
    for predicate in (roles.is_office_editor, roles.is_office_inspector, roles.can_manage):
        assert not predicate(AnonymousUser()) and not predicate(None)
