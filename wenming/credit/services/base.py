"""Credit lists: the list state machine, who may act for a department, and creating a list."""

from django.db import transaction

from wenming.accounts import roles
from wenming.accounts.models import Unit
from wenming.accounts.scoping import can_see_unit
from wenming.audit.services import record, snapshot
from wenming.core import states
from wenming.core.errors import DomainError, require
from wenming.core.text import check_text
from wenming.credit.models import (
    CreditList,
)

# The list state machine: status → statuses it may move to.
TRANSITIONS = {
    CreditList.Status.COLLECTING: {CreditList.Status.IN_REVIEW},
    CreditList.Status.IN_REVIEW: {CreditList.Status.COLLECTING, CreditList.Status.NOTICE},
    CreditList.Status.NOTICE: {CreditList.Status.IN_REVIEW, CreditList.Status.PUBLISHED},
    # Only the publication of its correction moves a published list on.
    CreditList.Status.PUBLISHED: {CreditList.Status.SUPERSEDED},
    CreditList.Status.SUPERSEDED: set(),
}
MANAGERS = roles.OFFICE_EDITORS
PUBLISHERS = (roles.ADMIN, roles.APPROVER)
MAX_NOTICE_DAYS = 60
LISTING_FIELDS = ["credit_list", "entity", "basis", "department", "document_number",
                  "decided_on", "valid_until", "status"]


def _check_manager(user):
    require(roles.is_office_editor(user), "只有文明办管理员或编辑可以管理红黑榜。")


def can_act_for(user, department):
    """Office managers act for any department; a liaison for its own."""
    return roles.is_office_editor(user) or (user.has_role(roles.LIAISON) and department is not None
                                and can_see_unit(user, department))


def _move(credit_list, to_status):
    return states.move(credit_list, TRANSITIONS, to_status, f"《{credit_list.title}》")


def _locked(credit_list):
    return CreditList.objects.select_for_update().get(pk=credit_list.pk)


def default_title(year, color, subject):
    city = Unit.objects.filter(kind=Unit.Kind.CITY, parent__isnull=True).order_by("pk").first()
    kind = f"{CreditList.Subject(subject).label}{CreditList.Color(color).label}"
    return f"{city.name if city else ''}{year}年度诚信建设{kind}"


@transaction.atomic
def create_list(actor, *, year, color, subject=CreditList.Subject.LEGAL, title=""):
    _check_manager(actor)
    if not 2000 <= int(year) <= 2100:
        raise DomainError("年度应为2000至2100之间的年份。", field="year")
    if color not in CreditList.Color.values or subject not in CreditList.Subject.values:
        raise DomainError("名单类别不正确。")
    title = check_text(title, "名称", max_length=100).strip() or default_title(year, color, subject)
    existing = CreditList.objects.filter(year=year, color=color, subject=subject).first()
    if existing:
        raise DomainError(f"{year}年度{existing.kind_label}已存在：《{existing.title}》。",
                          field="color")
    credit_list = CreditList.objects.create(year=year, color=color, subject=subject, title=title,
                                            created_by=actor)
    record(actor, "credit_list.create", credit_list,
           after=snapshot(credit_list, ["year", "color", "subject", "title"]))
    return credit_list


