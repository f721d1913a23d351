"""Reads: the rule in force, the ledger's timelines for a period, and the
ranked scores of units and districts."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count
from django.db.models.fields.json import KT
from django.db.models.functions import TruncDate
from django.utils import timezone

from wenming.accounts.models import Unit
from wenming.campaign.models import Campaign, Problem, ProblemEvent, Site
from wenming.scoring import engine
from wenming.scoring.models import ScoringRule
from wenming.scoring.periods import Period

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


def load_ledger(campaign, start_at, end_at):
    """What scoring needs for [start_at, end_at): the timeline of every
    problem found before its end whose status, unit or deadline changed
    since its start, and the problems left on a unit's running clock since
    before it began, grouped by unit, district and deadline day. Problems
    closed, cancelled or waiting on the office before the start cost
    nothing in the window."""
    tz = timezone.get_current_timezone()
    quiet = [engine.Quiet(unit, district, day, n) for unit, district, day, n in (
        Problem.objects.filter(campaign=campaign, status__in=engine.CLOCK_RUNNING,
                               last_transition_at__lt=start_at, deadline__lt=end_at)
        .annotate(day=TruncDate("deadline", tzinfo=tz))
        .values_list("responsible_unit_id", "district_id", "day").annotate(n=Count("*"))
        .order_by())]
    moved = Problem.objects.filter(campaign=campaign, found_at__lt=end_at,
                                   last_transition_at__gte=start_at)
    problems = {pk: rest for pk, *rest in moved.values_list(
        "pk", "responsible_unit_id", "district_id", "severity", "is_repeat")}
    if not problems:
        return engine.Ledger([], quiet, start_at)
    rows = (ProblemEvent.objects
            .filter(problem__campaign=campaign, problem__found_at__lt=end_at,
                    problem__last_transition_at__gte=start_at,
                    action__in=ProblemEvent.TRANSITION_ACTIONS)
            .order_by("problem_id", "at", "id")
            .values_list("problem_id", "action", "at", "to_status", KT("data__unit_id"),
                         KT("data__unit"), KT("data__deadline"), KT("data__severity")))
    names = None
    timelines = []
    current, evs = None, []

    def close():
        unit, district, severity, repeat = problems[current]
        # Before the first dispatch the problem belongs to the unit it was first sent to.
        first = next((e.unit_id for e in evs if e.unit_id is not None), unit)
        timelines.append(engine.Timeline(current, first, district, severity, repeat, evs))

    for pid, action, at, to_status, unit_id, unit_name, deadline, severity in \
            rows.iterator(chunk_size=20000):
        if pid != current:
            if current is not None:
                close()
            current, evs = pid, []
        ev = engine.Event(action, at, to_status)
        if action == "create":
            ev.severity = severity or ""
        elif action in _DATA_ACTIONS:
            if unit_id:
                ev.unit_id = int(unit_id)
            else:  # recorded before events carried the unit's id
                names = names or _unit_names()
                ev.unit_id = names.get(unit_name, problems[pid][0])
            ev.deadline = _parse(deadline)
            ev.severity = _SEVERITY_BY_LABEL.get(severity, "")
        evs.append(ev)
    if current is not None:
        close()
    return engine.Ledger(timelines, quiet, start_at)


def overdue_at_end(campaign, ledger, end_at, limit=200):
    """The problems on a unit's running clock past their deadline at
    `end_at`: (their number, {district id: number}, the ids of the `limit`
    longest overdue)."""
    replayed, by_district = [], {}
    for tl in ledger.timelines:
        status, deadline, _ = engine.state_at(tl, end_at)
        if status in engine.CLOCK_RUNNING and deadline and deadline < end_at:
            replayed.append((deadline, tl.problem_id))
            by_district[tl.district_id] = by_district.get(tl.district_id, 0) + 1
    for q in ledger.quiet:  # all overdue by the window's end
        by_district[q.district_id] = by_district.get(q.district_id, 0) + q.count
    quiet = Problem.objects.filter(
        campaign=campaign, status__in=engine.CLOCK_RUNNING, last_transition_at__lt=ledger.start_at,
        deadline__lt=end_at).order_by("deadline", "pk").values_list("deadline", "pk")
    first = sorted(replayed + list(quiet[:limit] if ledger.quiet and limit else []))[:limit]
    return sum(by_district.values()), by_district, [pk for _, pk in first]


def _unit_names():
    names = {}
    for pk, name in Unit.objects.values_list("pk", "name").order_by("-pk"):
        names[name] = pk  # the oldest unit of a name wins
    return names


def _parse(value):
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass
class Row:
    unit: Unit
    place: engine.Place
    tally: engine.Tally

    @property
    def arrow(self):
        m = self.place.movement
        if m is None:
            return "新"
        return f"↑{m}" if m > 0 else (f"↓{-m}" if m < 0 else "—")


@dataclass
class Ranking:
    campaign: Campaign
    period: Period
    rule: ScoringRule | None
    units: list  # of Row, by rank
    districts: list  # of Row, by rank

    def red_list(self, rows):
        return [r for r in rows if r.place.rank <= self._size()]

    def black_list(self, rows):
        worst = sorted(rows, key=lambda r: (r.place.score, r.unit.pk))
        return [r for r in worst[: self._size()] if r.place.score < self._base()]

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


def ranked_units(campaign):
    """The units assessed: those responsible for the campaign's sites or
    for any of its problems, and the districts."""
    ids = set(Site.objects.filter(is_active=True).values_list("responsible_unit_id", flat=True))
    ids |= set(Problem.objects.filter(campaign=campaign).order_by()
               .values_list("responsible_unit_id", flat=True).distinct())
    ids.discard(None)
    units = list(Unit.objects.filter(pk__in=ids))
    districts = list(Unit.objects.filter(kind__in=DISTRICT_KINDS))
    return units, districts


def ranking(campaign, period, ledger=None):
    """Ranked scores of `period`, with movement against the period before."""
    row = rule_for(campaign, period.start)
    rule = row.as_rule() if row else engine.Rule()
    previous = period.previous()
    prev_row = rule_for(campaign, previous.start)
    prev_rule = prev_row.as_rule() if prev_row else engine.Rule()
    if ledger is None:
        ledger = load_ledger(campaign, previous.start_at, period.end_at)
    units, districts = ranked_units(campaign)
    members = {d.pk: [u.pk for u in units if u.path.startswith(d.path)] for d in districts}
    unit_ids = [u.pk for u in units]
    tz = settings.TIME_ZONE
    now_u, now_d = engine.compute_scores(rule, period.start_at, period.end_at, ledger,
                                         unit_ids, members, tz)
    was_u, was_d = engine.compute_scores(prev_rule, previous.start_at, previous.end_at,
                                         ledger, unit_ids, members, tz)

    def rows(objs, now, was, base):
        before = {p.key: p.rank for p in engine.rank({k: t.score for k, t in was.items()})}
        by_pk = {o.pk: o for o in objs}
        return [Row(by_pk[p.key], p, now[p.key]) for p in engine.rank(
            {k: t.score for k, t in now.items()}, before, base)]

    return Ranking(campaign, period, row, rows(units, now_u, was_u, rule.base),
                   rows(districts, now_d, was_d, rule.base))
