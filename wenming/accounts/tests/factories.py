"""Small builders for the world tests need. No big fixtures."""

from django.contrib.auth.models import Group

from wenming.accounts import roles
from wenming.accounts.models import Unit, User

PASSWORD = "Test-pass-2024"


def make_unit(name, kind=Unit.Kind.OTHER, parent=None, **fields):
    unit, _ = Unit.objects.get_or_create(parent=parent, name=name, defaults={"kind": kind,
                                                                             **fields})
    return unit


def make_user(username, *role_names, unit=None, full_name=""):
    user = User.objects.create_user(username=username, password=PASSWORD, unit=unit,
                                    full_name=full_name or username)
    # get_or_create: transactional tests flush the groups the migration made.
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in role_names])
    return user


def make_city():
    """周口市 with 川汇区 (a street and a community under it), 淮阳区 (one
    street) and a city department."""
    city = make_unit("周口市", Unit.Kind.CITY, area_code="411600")
    office = make_unit("周口市文明办", Unit.Kind.DEPARTMENT, city)
    chuanhui = make_unit("川汇区", Unit.Kind.DISTRICT, city, area_code="411602")
    street = make_unit("陈州回族街道", Unit.Kind.STREET, chuanhui)
    community = make_unit("德化社区", Unit.Kind.COMMUNITY, street)
    huaiyang = make_unit("淮阳区", Unit.Kind.DISTRICT, city, area_code="411603")
    hy_street = make_unit("柳湖街道", Unit.Kind.STREET, huaiyang)
    dept = make_unit("市市场监督管理局", Unit.Kind.DEPARTMENT, city)
    return {
        "city": city, "office": office, "chuanhui": chuanhui, "street": street,
        "community": community, "huaiyang": huaiyang, "hy_street": hy_street, "dept": dept,
    }


def make_people(world):
    return {
        "admin": make_user("alice", roles.ADMIN, unit=world["office"], full_name="王管理"),
        "editor": make_user("emma", roles.EDITOR, unit=world["office"], full_name="李编辑"),
        "approver": make_user("adam", roles.APPROVER, unit=world["office"], full_name="赵签发"),
        "inspector": make_user("ivan", roles.INSPECTOR, unit=world["office"], full_name="孙督查"),
        "liaison": make_user("bob", roles.LIAISON, unit=world["chuanhui"], full_name="陈联络"),
        "other_liaison": make_user("carol", roles.LIAISON, unit=world["huaiyang"],
                                   full_name="周联络"),
        "viewer": make_user("victor", roles.VIEWER, full_name="吴领导"),
    }
