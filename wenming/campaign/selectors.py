"""Reads: what a user may see of the ledger, its filters, keyset pages and
counts; plans as units may see them."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.db.models import Count, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.scoping import scope, visible_units
from wenming.campaign.models import (
    CitizenReport,
    InspectionPlan,
    Problem,
    ProblemPhoto,
    Rectification,
)
from wenming.core.web import query_date, query_int

PAGE_SIZE = 30


def visible_problems(user):
    """Office staff see the whole ledger; a unit sees its own problems (and
    those of units below it) once they have been dispatched to it.

    The units come from the scoping rule (`visible_units`) as a short id
    list, so the ledger's (unit, status, deadline) index answers a unit's
    queue without joining the unit tree. A deadline is set by dispatch and
    never cleared, so it marks what units may see."""
    qs = Problem.objects.all()
    if user.is_authenticated and user.is_office:
        return qs
    units = list(visible_units(user).values_list("pk", flat=True))
    return qs.filter(deadline__isnull=False, responsible_unit_id__in=units)


def visible_plans(user):
    """Units never see an undercover plan before it is done."""
    qs = InspectionPlan.objects.all()
    if user.is_authenticated and user.is_office:
        return qs
    if not user.is_authenticated or user.unit_id is None:
        return qs.none()
    mine = scope(qs, user, unit_field="sites__responsible_unit").values("pk")
    return qs.filter(pk__in=mine).filter(
        Q(is_undercover=False) | Q(status=InspectionPlan.Status.DONE))


@dataclass
class LedgerFilter:
    district: int | None = None
    unit: int | None = None
    category: int | None = None
    area: int | None = None
    status: str = ""
    # Still with the unit (dispatched or returned), not yet handed in.
    open: bool = False
    # Open, not yet overdue, and due within this many days.
    due: int | None = None
    overdue: bool = False
    repeat: bool = False
    date_from: object = None
    date_to: object = None
    q: str = ""

    FIELDS = ("district", "unit", "category", "area", "status", "open", "due", "overdue", "repeat",
              "date_from", "date_to", "q")

    @classmethod
    def from_query(cls, params):
        """The filter of the ledger's query string; a number or date no
        ledger row can have raises BadQuery (400 with a Chinese message)."""
        status = params.get("status", "")
        return cls(
            district=query_int(params, "district", label="县区"),
            unit=query_int(params, "unit", label="责任单位"),
            category=query_int(params, "category", label="点位类别"),
            area=query_int(params, "area", label="测评项目"),
            status=status if status in Problem.Status.values else "",
            open=params.get("open") == "1",
            due=min(query_int(params, "due", label="到期天数") or 0, 30) or None,
            overdue=params.get("overdue") == "1", repeat=params.get("repeat") == "1",
            date_from=query_date(params, "date_from", label="发现日期起"),
            date_to=query_date(params, "date_to", label="发现日期止"),
            q=(params.get("q") or "").strip()[:50],
        )

    def apply(self, qs, with_status=True):
        if self.district:
            qs = qs.filter(district_id=self.district)
        if self.unit:
            qs = qs.filter(responsible_unit_id=self.unit)
        if self.category:
            qs = qs.filter(category_id=self.category)
        if self.area:
            qs = qs.filter(area_id=self.area)
        if self.status and with_status:
            qs = qs.filter(status=self.status)
        if self.open:
            qs = qs.filter(status__in=Problem.OPEN_FOR_UNIT)
        if self.due:
            qs = qs.filter(status__in=Problem.OPEN_FOR_UNIT, is_overdue=False,
                           deadline__lte=timezone.now() + timedelta(days=self.due))
        if self.overdue:
            qs = qs.filter(Problem.overdue_at(timezone.now()))
        if self.repeat:
            qs = qs.filter(is_repeat=True)
        if self.date_from:
            qs = qs.filter(found_at__gte=_start_of(self.date_from))
        if self.date_to:
            qs = qs.filter(found_at__lt=_start_of(self.date_to + timedelta(days=1)))
        if self.q:
            qs = qs.filter(Q(description__contains=self.q) | Q(site__name__contains=self.q))
        return qs

    def query_string(self):
        from urllib.parse import urlencode

        pairs = []
        for name in self.FIELDS:
            value = getattr(self, name)
            if value is True:
                pairs.append((name, "1"))
            elif value:
                pairs.append((name, value.isoformat() if hasattr(value, "isoformat") else value))
        return urlencode(pairs)


def _start_of(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def status_counts(qs):
    # COUNT(*), not COUNT(id): PostgreSQL then counts from the (district,
    # status) and (status) indexes alone.
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("*")))
    return [(value, label, counts.get(value, 0)) for value, label in Problem.Status.choices]


def keyset_page(qs, cursor, size=PAGE_SIZE):
    """One page of `qs` newest first, after `cursor` ("<found_at µs>-<id>" of
    the last row of the previous page). Returns (rows, next cursor or "")."""
    qs = qs.order_by("-found_at", "-id")
    after = _parse_cursor(cursor)
    if after:
        found_at, pk = after
        qs = qs.filter(Q(found_at__lt=found_at) | Q(found_at=found_at, id__lt=pk))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (make_cursor(rows[-1]) if more else "")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def make_cursor(problem):
    micros = (problem.found_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}-{problem.pk}"


def _parse_cursor(cursor):
    # Bounded digits: a hand-typed cursor past year 5000 or past a bigint id
    # is no cursor this page made, and would overflow before it could match.
    match = re.fullmatch(r"([0-9]{1,17})-([0-9]{1,18})", cursor or "")
    if not match:
        return None
    return _EPOCH + timedelta(microseconds=int(match[1])), int(match[2])


def unit_queue(user, tab="todo"):
    """A liaison's work: problems of its unit, what needs doing first."""
    qs = visible_problems(user).select_related("site", "responsible_unit")
    tabs = {
        "todo": (Q(status__in=Problem.OPEN_FOR_UNIT), ["deadline", "id"]),
        "submitted": (Q(status=Problem.Status.SUBMITTED), ["-found_at", "-id"]),
        "disputed": (Q(status=Problem.Status.DISPUTED), ["-found_at", "-id"]),
        "closed": (Q(status__in=Problem.FINISHED), ["-found_at", "-id"]),
    }
    condition, order = tabs.get(tab, tabs["todo"])
    return qs.filter(condition).order_by(*order)


def queue_counts(user):
    qs = visible_problems(user)
    counts = dict(qs.order_by().values_list("status").annotate(n=Count("*")))
    return {
        "todo": sum(counts.get(s, 0) for s in Problem.OPEN_FOR_UNIT),
        "submitted": counts.get(Problem.Status.SUBMITTED, 0),
        "disputed": counts.get(Problem.Status.DISPUTED, 0),
        "closed": sum(counts.get(s, 0) for s in Problem.FINISHED),
        "overdue": qs.filter(Problem.overdue_at(timezone.now())).count(),
    }


def filter_sites(sites, params):
    """Narrow a Site queryset by the search box, district and category of a
    GET query; returns the queryset and those criteria, cleaned, for the page."""
    q = (params.get("q") or "").strip()[:50]
    district = query_int(params, "district", label="县区")
    category = query_int(params, "category", label="点位类别")
    if q:
        sites = sites.filter(Q(name__contains=q) | Q(address__contains=q))
    if district is not None:
        sites = sites.filter(district_id=district)
    if category is not None:
        sites = sites.filter(category_id=category)
    return sites, {"q": q, "district": str(district or ""), "category": str(category or "")}


def todos(user):
    """A liaison's new, due-soon, overdue and returned problems; the office's
    fixes awaiting re-inspection, units' disputes and citizen reports to triage. Each count is
    taken through the ledger's own filter from the link's query string."""
    wanted = []
    if user.has_role(roles.LIAISON):
        wanted += [("新交办的问题", f"status={Problem.Status.DISPATCHED}"),
                   ("2天内到期的问题", "open=1&due=2"),
                   ("已逾期的问题", "open=1&overdue=1"),
                   ("复查未通过、退回整改的问题", f"status={Problem.Status.REJECTED}")]
    inspector = roles.is_office_inspector(user)
    if inspector:
        wanted += [("待复查的整改", f"status={Problem.Status.SUBMITTED}"),
                   ("待处理的申诉", f"status={Problem.Status.DISPUTED}")]
    ledger = reverse("campaign:problem_list")
    found = [(label, LedgerFilter.from_query(QueryDict(query)).apply(
        visible_problems(user)).count(), f"{ledger}?{query}") for label, query in wanted]
    if inspector:
        received = CitizenReport.Status.RECEIVED
        found.append(("待分拣的随手拍", CitizenReport.objects.filter(status=received).count(),
                      reverse("campaign:report_list") + "?status=" + received))
    return found


def shown_after_photos():
    """The after-photos anyone may be shown (the reporter's tracking page,
    the big screen): those of the fix the office verified, once the problem
    is closed. Never the problem's own photos, which may show people."""
    return ProblemPhoto.objects.filter(
        stage=ProblemPhoto.Stage.AFTER, problem__status=Problem.Status.CLOSED,
        rectification__result=Rectification.Result.VERIFIED)
