"""Reads: the rule in force, the ledger's timelines for a period, and the
ranked scores of units and districts."""

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Count, Func, Q
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.models import Unit
from wenming.audit.selectors import history
from wenming.campaign.models import Campaign, Inspection, Problem, ProblemEvent, Site
from wenming.core.periods import Period
from wenming.core.text import chinese_date
from wenming.scoring import engine
from wenming.scoring.models import Bulletin, ScoringRule

DISTRICT_KINDS = (Unit.Kind.DISTRICT, Unit.Kind.COUNTY, Unit.Kind.ZONE)
_SEVERITY_BY_LABEL = {label: value for value, label in Problem.Severity.choices}
_DATA_ACTIONS = ("dispatch", "reassign")


def active_campaign():
    return Campaign.objects.filter(is_active=True).first() or Campaign.objects.first()


def rule_for(campaign, day):
    """The version in force on `day`: the newest effective by then, else the
    first one, else the defaults."""
    versions = ScoringRule.objects.filter(campaign=campaign)
    row = versions.filter(effective_from__lte=day).order_by("-effective_from", "-version") \
        .first() or versions.order_by("version").first()
    return row


class Instant(Func):
    """A datetime column as whole microseconds since the epoch (engine.instant):
    plain integers come off the wire far faster than datetimes."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection,
                           template="(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint",
                           **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Stored as 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC.
        return self.as_sql(compiler, connection, template=(
            "(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) * 1000000"
            " + CAST(substr(%(expressions)s, 21, 6) AS INTEGER))"), **extra)


@contextmanager
def _without_cyclic_gc():
    # Building hundreds of thousands of small acyclic objects sets off the
    # cyclic collector again and again, each pass over everything built so
    # far: that doubled the time of a large ledger.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def as_of(period, now=None):
    """The instant a period's figures are taken at: its end once it is
    over, else now (a problem is overdue only once its deadline has
    passed, not because it will have by the period's end)."""
    now = now or timezone.now()
    return max(period.start_at, min(period.end_at, now))


def as_of_text(moment):
    """截至2024年1月31日 for a period's end (a local midnight: the day
    before it, whole), else 截至2024年1月20日15时30分."""
    local = timezone.localtime(moment)
    if (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0):
        return f"截至{chinese_date(local.date() - timedelta(days=1))}"
    return f"截至{chinese_date(local.date())}{local.hour}时{local.minute:02d}分"


def period_ledger(campaign, period, until=None):
    """The ledger a period is ranked from: it and the period before (for
    ↑↓), up to `until` (default: the period's end)."""
    return load_ledger(campaign, period.previous().start_at, until or period.end_at)


def inspected(campaign, start_at, end_at):
    """(unit ids, district ids) with a site inspected in [start_at, end_at),
    undercover visits included: an inspection outside any plan, or in one
    of this campaign's plans. A visit counts for the unit and district its
    site answered to on the day; problems of a unit count separately
    (engine.compute_scores)."""
    visits = Inspection.objects.filter(
        Q(plan__isnull=True) | Q(plan__campaign=campaign),
        inspected_at__gte=start_at, inspected_at__lt=end_at) \
        .values_list("responsible_unit_id", "district_id").distinct().order_by()
    units, districts = set(), set()
    for unit, district in visits:
        units.add(unit)
        districts.add(district)
    return units, districts


def _quiet_problems(campaign, start_at, end_at):
    """On a unit's running clock, unchanged since `start_at`, due before `end_at`."""
    return Problem.objects.filter(campaign=campaign, status__in=engine.CLOCK_RUNNING,
                                  last_transition_at__lt=start_at, deadline__lt=end_at)


def load_ledger(campaign, start_at, end_at):
    """What scoring needs for [start_at, end_at): the timeline of every
    problem found before its end whose status, unit or deadline changed
    since its start, and the problems left on a unit's running clock since
    before it began, grouped by unit, district and deadline day. Problems
    closed, cancelled or waiting on the office before the start cost
    nothing in the window."""
    with _without_cyclic_gc():
        return _load_ledger(campaign, start_at, end_at)


def _load_ledger(campaign, start_at, end_at):
    tz = timezone.get_current_timezone()
    quiet = [engine.Quiet(unit, district, day, n) for unit, district, day, n in (
        _quiet_problems(campaign, start_at, end_at)
        .annotate(day=TruncDate("deadline", tzinfo=tz))
        .values_list("responsible_unit_id", "district_id", "day").annotate(n=Count("*"))
        .order_by())]
    moved = Problem.objects.filter(campaign=campaign, found_at__lt=end_at,
                                   last_transition_at__gte=start_at)
    problems = {pk: rest for pk, *rest in _rows(moved.values_list(
        "pk", "responsible_unit_id", "district_id", "severity", "is_repeat"))}
    if not problems:
        return engine.Ledger([], quiet, start_at)
    events = ProblemEvent.objects.filter(action__in=ProblemEvent.TRANSITION_ACTIONS)
    if connection.vendor == "postgresql":
        # One index probe per problem: joining would read the whole event table.
        events = events.extra(where=["campaign_problemevent.problem_id = ANY(%s)"],
                              params=[list(problems)])
    else:
        events = events.filter(problem__in=moved)
    events = (events.order_by("problem_id", "at", "id")
              .values_list("problem_id", "action", Instant("at"), "to_status",
                           KT("data__unit_id"), KT("data__unit"), KT("data__deadline"),
                           KT("data__severity")))
    names = None
    timelines = []
    current, evs = None, []

    def close():
        unit, district, severity, repeat = problems[current]
        # Before the first dispatch the problem belongs to the unit it was first sent to.
        first = next((e.unit_id for e in evs if e.unit_id is not None), unit)
        timelines.append(engine.Timeline(current, first, district, severity, repeat, evs))

    for pid, action, at, to_status, unit_id, unit_name, deadline, severity in _rows(events):
        if pid != current:
            if current is not None:
                close()
            current, evs = pid, []
        if action == "create":
            ev = engine.Event(action, at, to_status, severity=severity or "")
        elif action in _DATA_ACTIONS:
            if unit_id:
                unit = int(unit_id)
            else:  # recorded before events carried the unit's id
                names = names or _unit_names()
                unit = names.get(unit_name, problems[pid][0])
            ev = engine.Event(action, at, to_status, unit, _parse(deadline),
                              _SEVERITY_BY_LABEL.get(severity, ""))
        else:
            ev = engine.Event(action, at, to_status)
        evs.append(ev)
    if current is not None:
        close()
    return engine.Ledger(timelines, quiet, start_at)


def _rows(queryset, size=20000):
    """The queryset's rows as the driver returns them: no per-row conversion
    (so no datetimes or JSON: select instants and KT() text instead). Not a
    server-side cursor: PostgreSQL would plan for the first rows, not all."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield from rows


def overdue_at_end(campaign, ledger, end_at, limit=200):
    """The problems on a unit's running clock past their deadline at
    `end_at`: (their number, {district id: number}, the ids of the `limit`
    longest overdue)."""
    end = engine.instant(end_at)
    replayed, by_district = [], {}
    for tl in ledger.timelines:
        status, deadline, _ = engine.state_at(tl, end)
        if status in engine.CLOCK_RUNNING and deadline and deadline < end:
            replayed.append((deadline, tl.problem_id))
            by_district[tl.district_id] = by_district.get(tl.district_id, 0) + 1
    for q in ledger.quiet:  # all overdue by the window's end
        by_district[q.district_id] = by_district.get(q.district_id, 0) + q.count
    quiet = []
    if ledger.quiet and limit:
        quiet = [(engine.instant(d), pk) for d, pk in
                 _quiet_problems(campaign, ledger.start_at, end_at)
                 .order_by("deadline", "pk").values_list("deadline", "pk")[:limit]]
    first = sorted(replayed + quiet)[:limit]
    return sum(by_district.values()), by_district, [pk for _, pk in first]


def _unit_names():
    names = {}
    for pk, name in Unit.objects.values_list("pk", "name").order_by("-pk"):
        names[name] = pk  # the oldest unit of a name wins
    return names


def _parse(value):
    try:
        return engine.instant(datetime.fromisoformat(value)) if value else None
    except (TypeError, ValueError):  # naive or malformed: no deadline known
        return None


NOT_RANKED_BEFORE = "上期未参评"


@dataclass
class Row:
    unit: Unit
    place: engine.Place
    tally: engine.Tally

    @property
    def arrow(self):
        """↑N / ↓N / 持平; "—" when the previous period had no score for it
        (`arrow_note` says why)."""
        m = self.place.movement
        if m is None:
            return "—"
        return f"↑{m}" if m > 0 else (f"↓{-m}" if m < 0 else "持平")

    @property
    def arrow_note(self):
        return NOT_RANKED_BEFORE if self.place.movement is None else ""


@dataclass
class Ranking:
    campaign: Campaign
    period: Period
    rule: ScoringRule | None
    units: list  # of Row, by rank: the units inspected in the period
    districts: list  # of Row, by rank
    as_of: datetime = None  # the instant every figure is taken at
    unranked_units: list = field(default_factory=list)  # of Unit: 未检查
    unranked_districts: list = field(default_factory=list)

    @property
    def as_of_text(self):
        return as_of_text(self.as_of)

    def red_list(self, rows):
        """The best, never one called in (约谈): with few units, or all of
        them below the base, the top places would otherwise include units
        the same bulletin calls in."""
        return [r for r in rows if r.place.rank <= self._size() and not r.place.called_in]

    def black_list(self, rows):
        """The worst, below the base, and never one already on the red list
        (with few units the two would otherwise overlap)."""
        red = {r.unit.pk for r in self.red_list(rows)}
        worst = sorted(rows, key=lambda r: (r.place.score, r.unit.pk))
        return [r for r in worst[: self._size()]
                if r.place.score < self._base() and r.unit.pk not in red]

    def _size(self):
        return self.rule.list_size if self.rule else 3

    def _base(self):
        return self.rule.base if self.rule else engine.Rule().base

    @property
    def unit_red(self):
        return self.red_list(self.units)

    @property
    def unit_black(self):
        return self.black_list(self.units)

    @property
    def called_in(self):
        return [r for r in self.districts + self.units if r.place.called_in]


def ranked_units(campaign, visited=()):
    """The units assessed: those responsible for the campaign's sites or
    for any of its problems, those in `visited` (units a site was inspected
    for in the periods shown, on the day of the visit: a unit that has since
    handed its site on keeps those periods), and the districts."""
    ids = set(Site.objects.filter(is_active=True).values_list("responsible_unit_id", flat=True))
    ids |= set(Problem.objects.filter(campaign=campaign).order_by()
               .values_list("responsible_unit_id", flat=True).distinct())
    ids |= set(visited)
    ids.discard(None)
    units = list(Unit.objects.filter(pk__in=ids))
    districts = list(Unit.objects.filter(kind__in=DISTRICT_KINDS))
    return units, districts


def ranking(campaign, period, ledger=None, at=None):
    """Ranked scores of `period` as of `at` (default: `as_of(period)`),
    with movement against the period before. Units and districts not
    inspected in a period are left out of its ranking (未检查)."""
    at = at or as_of(period)
    row = rule_for(campaign, period.start)
    rule = row.as_rule() if row else engine.Rule()
    previous = period.previous()
    prev_row = rule_for(campaign, previous.start)
    prev_rule = prev_row.as_rule() if prev_row else engine.Rule()
    if ledger is None:
        ledger = period_ledger(campaign, period, at)
    seen_now = inspected(campaign, period.start_at, at)
    seen_before = inspected(campaign, previous.start_at, previous.end_at)
    units, districts = ranked_units(campaign, seen_now[0] | seen_before[0])
    members = {d.pk: [u.pk for u in units if u.path.startswith(d.path)] for d in districts}
    unit_ids = [u.pk for u in units]
    tz = settings.TIME_ZONE
    now_u, now_d = engine.compute_scores(
        rule, period.start_at, at, ledger, unit_ids, members, tz, seen_now)
    was_u, was_d = engine.compute_scores(
        prev_rule, previous.start_at, previous.end_at, ledger, unit_ids, members, tz,
        seen_before)

    def scored(tallies):
        return {k: t.score for k, t in tallies.items() if t.score is not None}

    def rows(objs, now, was, base):
        before = {p.key: p.rank for p in engine.rank(scored(was))}
        by_pk = {o.pk: o for o in objs}
        return [Row(by_pk[p.key], p, now[p.key]) for p in engine.rank(scored(now), before, base)]

    def unranked(objs, now):
        return [o for o in objs if now[o.pk].score is None]

    return Ranking(campaign, period, row, rows(units, now_u, was_u, rule.base),
                   rows(districts, now_d, was_d, rule.base), at,
                   unranked(units, now_u), unranked(districts, now_d))


BULLETIN_STEPS = {
    "bulletin.create": "生成", "bulletin.correct": "生成更正稿", "bulletin.submit": "提交签发",
    "bulletin.return": "退回", "bulletin.sign_off": "签发", "bulletin.publish": "发布",
    "bulletin.place": "放入简报",
}


def bulletin_history(bulletin):
    """Who did what to a bulletin, oldest first, from the audit trail (one
    shape with a briefing issue's history)."""
    return history(bulletin, labels=BULLETIN_STEPS)


def todos(user):
    """The approver's bulletins awaiting sign-off, in the active campaign
    (the one the bulletin list shows)."""
    campaign = active_campaign()
    if campaign is None or not user.has_role(roles.APPROVER):
        return []
    waiting = Bulletin.Status.SUBMITTED
    return [("待签发的通报",
             Bulletin.objects.filter(campaign=campaign, status=waiting).count(),
             reverse("scoring:bulletin_list") + "?status=" + waiting)]
