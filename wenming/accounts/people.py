"""Who holds a role: the people the apps put work in front of (the inbox,
the group robot). Active users only."""

from django.db.models import Q

from wenming.accounts import roles
from wenming.accounts.models import User


def with_roles(*names):
    """Active users holding any of these roles; superusers hold them all,
    as their to-dos show."""
    return User.objects.filter(Q(groups__name__in=names) | Q(is_superuser=True),
                               is_active=True).distinct()


def liaisons_over(unit):
    """The liaisons whose scope holds `unit`: its own and those of the
    units above it (each of them finds its records in their ledger)."""
    if unit is None:
        return User.objects.none()
    ids = [int(i) for i in unit.path.strip("/").split("/") if i]
    return User.objects.filter(groups__name=roles.LIAISON, is_active=True,
                               unit_id__in=ids).distinct()


def command_actor(username):
    """Who a management command acts as: the named active user, or else the
    first superuser (imports are audited under a person)."""
    from django.core.management.base import CommandError

    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有用户“{username}”。")
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("没有超级用户，请用 --user 指定导入人。")
    return user
