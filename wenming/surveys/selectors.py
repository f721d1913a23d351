"""Scoped reads of surveys. A liaison sees the visits, assignments and
responses of its own area; the office sees all."""

from django.db.models import Count, Q
from django.urls import reverse

from wenming.accounts import roles
from wenming.accounts.models import Unit
from wenming.accounts.scoping import scope
from wenming.surveys.models import (
    DISTRICT_KINDS,
    STREET_KINDS,
    Assignment,
    Questionnaire,
    Response,
    Visit,
)

# Office staff who write questionnaires, enter populations and see everything.
MANAGERS = roles.OFFICE_MANAGERS
# Who may read the statistics (liaisons: of their own area only).
READERS = (roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.INSPECTOR, roles.LIAISON,
           roles.VIEWER)


def can_assign(user):
    return roles.can_manage(user) or (user.is_authenticated and user.has_role(roles.LIAISON)
                                and user.unit_id is not None)


def locate(area):
    """(district, street) holding `area`, found along its path; either may
    be None (a district has no street)."""
    ids = [int(i) for i in area.path.strip("/").split("/") if i]
    units = Unit.objects.in_bulk(ids)
    chain = [units[i] for i in ids if i in units]
    district = next((u for u in chain if u.kind in DISTRICT_KINDS), None)
    street = next((u for u in chain if u.kind in STREET_KINDS), None)
    return district, street


def districts(user=None):
    qs = Unit.objects.filter(kind__in=DISTRICT_KINDS)
    return scope(qs, user, unit_field="") if user is not None else qs


def streets(user=None, district=None):
    qs = Unit.objects.filter(kind__in=STREET_KINDS)
    if district is not None:
        qs = qs.filter(path__startswith=district.path)
    return scope(qs, user, unit_field="") if user is not None else qs


def visit_areas(user, assignment=None):
    """Where `user` may record a visit: the assignment's area and below, or
    every area unit under a district in the user's scope."""
    qs = Unit.objects.filter(kind__in=Unit.AREA_KINDS).exclude(kind=Unit.Kind.CITY)
    if assignment is not None:
        return qs.filter(path__startswith=assignment.area.path)
    return scope(qs, user, unit_field="")


def visible_responses(user):
    return scope(Response.objects.all(), user, unit_field="area")


def visible_visits(user):
    """Visits in the user's area, and always the user's own."""
    qs = Visit.objects.select_related("area", "visitor", "questionnaire")
    if not user.is_authenticated:
        return qs.none()
    scoped = scope(Visit.objects.all(), user, unit_field="area").values("pk")
    return qs.filter(Q(pk__in=scoped) | Q(visitor=user))


def visible_assignments(user):
    qs = Assignment.objects.select_related("area", "assignee", "questionnaire").annotate(
        done=Count("visits"))
    if not user.is_authenticated:
        return qs.none()
    scoped = scope(Assignment.objects.all(), user, unit_field="area").values("pk")
    return qs.filter(Q(pk__in=scoped) | Q(assignee=user))


def active_questionnaires():
    return Questionnaire.objects.filter(status=Questionnaire.Status.ACTIVE).prefetch_related(
        "variants")


def todos(user):
    """Visits assigned to the user and not yet done: the list on the
    surveys home page."""
    open_ = visible_assignments(user).filter(assignee=user, status=Assignment.Status.OPEN)
    return [("待完成的入户走访任务", open_.count(), reverse("surveys:home"))]
