from django.contrib.auth.models import Group
from django.db import transaction

from wenming.accounts import roles
from wenming.accounts.models import Unit, User
from wenming.audit.services import record, snapshot
from wenming.core.errors import DomainError, require

_UNIT_FIELDS = ["parent", "kind", "name", "short_name", "area_code", "sort_order"]
_USER_FIELDS = ["username", "full_name", "phone", "unit", "is_active"]


def _check_admin(actor):
    require(actor.has_role(roles.ADMIN), "只有管理员可以维护组织机构和用户。")


def _validate_unit(unit):
    from django.core.exceptions import ValidationError

    try:
        unit.full_clean(validate_unique=True)
    except ValidationError as e:
        field, messages = next(iter(e.message_dict.items()))
        raise DomainError("；".join(messages), field=field) from None


@transaction.atomic
def create_unit(actor, **fields):
    _check_admin(actor)
    unit = Unit(**fields)
    _validate_unit(unit)
    unit.save()
    record(actor, "unit.create", unit, after=snapshot(unit, _UNIT_FIELDS))
    return unit


@transaction.atomic
def update_unit(actor, unit, **fields):
    _check_admin(actor)
    before = snapshot(unit, _UNIT_FIELDS)
    for name, value in fields.items():
        setattr(unit, name, value)
    _validate_unit(unit)
    unit.save()
    record(actor, "unit.update", unit, before=before, after=snapshot(unit, _UNIT_FIELDS))
    return unit


def _apply_roles(user, role_names):
    unknown = set(role_names) - set(roles.ALL)
    if unknown:
        raise DomainError(f"未知角色：{'、'.join(sorted(unknown))}", field="roles")
    if roles.LIAISON in role_names and user.unit_id is None:
        raise DomainError("单位联络员必须绑定所属单位。", field="unit")
    user.groups.set(Group.objects.filter(name__in=role_names))
    user.__dict__.pop("role_names", None)


@transaction.atomic
def create_user(actor, *, username, password, role_names=(), **fields):
    _check_admin(actor)
    if User.objects.filter(username=username).exists():
        raise DomainError(f"用户名“{username}”已被使用。", field="username")
    user = User(username=username, **fields)
    user.set_password(password)
    user.save()
    _apply_roles(user, role_names)
    record(actor, "user.create", user,
           after={**snapshot(user, _USER_FIELDS), "roles": sorted(role_names)})
    return user


@transaction.atomic
def update_user(actor, user, *, role_names=None, **fields):
    _check_admin(actor)
    before = {**snapshot(user, _USER_FIELDS), "roles": sorted(user.role_names)}
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    if role_names is not None:
        _apply_roles(user, role_names)
    record(actor, "user.update", user, before=before,
           after={**snapshot(user, _USER_FIELDS), "roles": sorted(user.role_names)})
    return user


@transaction.atomic
def change_password(actor, user, new_password):
    require(actor.pk == user.pk or actor.has_role(roles.ADMIN), "不能修改他人的密码。")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record(actor, "user.change_password", user)
    return user
