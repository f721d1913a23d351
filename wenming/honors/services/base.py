"""Honor rolls: the nomination state machine, the office checks every step shares, and the areas whose offices verify."""

from wenming.accounts import roles
from wenming.accounts.models import Unit
from wenming.core import states
from wenming.core.errors import DomainError, require
from wenming.honors.models import (
    Nomination,
)

# The nomination state machine: status → statuses it may move to.
TRANSITIONS = {
    # verification by the area's office
    Nomination.Status.SUBMITTED: {Nomination.Status.VERIFIED, Nomination.Status.REJECTED},
    # review by the panel
    Nomination.Status.VERIFIED: {Nomination.Status.SHORTLISTED, Nomination.Status.REJECTED},
    Nomination.Status.SHORTLISTED: {Nomination.Status.ON_NOTICE},  # public notice starts
    # publication, or an objection upheld
    Nomination.Status.ON_NOTICE: {Nomination.Status.PUBLISHED, Nomination.Status.REJECTED},
    Nomination.Status.PUBLISHED: set(),
    Nomination.Status.REJECTED: set(),
}
# Where a nomination in a status is refused, for the record.
STEP = {Nomination.Status.SUBMITTED: "核实", Nomination.Status.VERIFIED: "评议", Nomination.Status.ON_NOTICE: "公示"}

ROLL_FIELDS = ["title", "issuer", "year", "period", "nominations_close_on", "review_method",
               "pass_score", "notice_starts_on", "notice_ends_on", "version"]
NOMINATION_FIELDS = ["roll", "category", "name", "gender", "workplace", "area", "unit",
                     "source", "summary", "status"]
AREA_KINDS = {Unit.Kind.DISTRICT, Unit.Kind.COUNTY, Unit.Kind.ZONE}
MIN_NOTICE_DAYS = 5


def _check_office(user, what):
    require(roles.is_office_editor(user), f"只有文明办管理员或编辑可以{what}。")


def _check_not_frozen(roll):
    if roll.is_published:
        raise DomainError(f"{roll}已发布，不能修改。如需改正，请生成更正版本。")


def _move(nomination, to_status):
    return states.move(nomination, TRANSITIONS, to_status, f"{nomination.name}的推荐")


def _reject(nomination, reason):
    step = STEP.get(nomination.status, "")
    _move(nomination, Nomination.Status.REJECTED)
    nomination.rejected_step = step
    nomination.rejection_reason = reason


# Areas: whose office verifies a nomination

def area_of(unit):
    """The county-level area a unit belongs to; the city for the city's
    own departments."""
    chain = [*unit.ancestors(), unit]
    for u in chain:
        if u.kind in AREA_KINDS:
            return u
    return chain[0]


def nomination_areas():
    """The areas the public chooses from: the city and its county-level areas."""
    return Unit.objects.filter(parent__isnull=True) | Unit.objects.filter(
        kind__in=AREA_KINDS, parent__parent__isnull=True)


def is_area_office(user, area):
    """The nominating area's office: the area's own liaison account; for the
    city itself, the city office's editors."""
    if area.parent_id is None:
        return roles.is_office_editor(user)
    return user.has_role(roles.LIAISON) and user.unit_id == area.pk


