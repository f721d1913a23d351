"""Reads: the rule in force, the ledger's timelines for a period, and the
ranked scores of units and districts."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Q

from wenming.accounts.models import Unit
from wenming.campaign.models import Campaign, Problem, ProblemEvent, Site
from wenming.scoring import engine
from wenming.scoring.models import ScoringRule
from wenming.scoring.periods import Period

DISTRICT_KINDS = (Unit.Kind.DISTRICT, Unit.Kind.COUNTY, Unit.Kind.ZONE)
_SEVERITY_BY_LABEL = {label: value for value, label in Problem.Severity.choices}
_DATA_ACTIONS = ("create", "dispatch", "reassign")


def active_campaign():
    return Campaign.objects.filter(is_active=True).first() or Campaign.objects.first()


def rule_for(campaign, day):
    """The version in force on `day`: the newest effective by then, else the
    first one, else the defaults."""
    versions = ScoringRule.objects.filter(campaign=campaign)
    row = versions.filter(effective_from__lte=day).order_by("-effective_from", "-version") \
        .first() or versions.order_by("version").first()
    return row


def load_timelines(campaign, start_at, end_at):
    """Timelines of every problem that may count in [start_at, end_at): found
    before its end and either changed since its start or still on a unit's
    clock past its deadline. A problem last touched before the start is
    finished or waiting on the office, so it costs nothing in the period."""
    candidates = Problem.objects.filter(campaign=campaign, found_at__lt=end_at).filter(
        Q(updated_at__gte=start_at)
        | Q(status__in=Problem.OPEN_FOR_UNIT, deadline__lt=end_at))
    problems = {pk: (unit, district, severity, repeat)
                for pk, unit, district, severity, repeat in candidates.values_list(
                    "pk", "responsible_unit_id", "district_id", "severity", "is_repeat")}
    if not problems:
        return []
    events = {}
    ids = candidates.values("pk")
    rows = (ProblemEvent.objects.filter(problem_id__in=ids, at__lt=end_at)
            .exclude(action__in=_DATA_ACTIONS)
            .values_list("problem_id", "id", "action", "at", "to_status"))
    for pid, eid, action, at, to_status in rows.iterator(chunk_size=20000):
        events.setdefault(pid, []).append((at, eid, engine.Event(action, at, to_status)))
    names = _unit_names()
    rows = (ProblemEvent.objects.filter(problem_id__in=ids, action__in=_DATA_ACTIONS)
            .values_list("problem_id", "id", "action", "at", "to_status", "data"))
    for pid, eid, action, at, to_status, data in rows.iterator(chunk_size=20000):
        ev = engine.Event(action, at, to_status)
        data = data or {}
        if action == "create":
            ev.severity = data.get("severity", "")
        else:
            ev.unit_id = names.get(data.get("unit"), problems[pid][0])
            ev.deadline = _parse(data.get("deadline"))
            ev.severity = _SEVERITY_BY_LABEL.get(data.get("severity"), "")
        events.setdefault(pid, []).append((at, eid, ev))
    timelines = []
    for pid, (unit, district, severity, repeat) in problems.items():
        evs = [e for _, _, e in sorted(events.get(pid, ()), key=lambda x: (x[0], x[1]))]
        # Before the first dispatch the problem belongs to the unit it was first sent to.
        first = next((e.unit_id for e in evs if e.unit_id is not None), unit)
        timelines.append(engine.Timeline(pid, first, district, severity, repeat, evs))
    return timelines


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


def ranking(campaign, period, timelines=None):
    """Ranked scores of `period`, with movement against the period before."""
    row = rule_for(campaign, period.start)
    rule = row.as_rule() if row else engine.Rule()
    previous = period.previous()
    prev_row = rule_for(campaign, previous.start)
    prev_rule = prev_row.as_rule() if prev_row else engine.Rule()
    if timelines is None:
        timelines = load_timelines(campaign, previous.start_at, period.end_at)
    units, districts = ranked_units(campaign)
    members = {d.pk: [u.pk for u in units if u.path.startswith(d.path)] for d in districts}
    unit_ids = [u.pk for u in units]
    tz = settings.TIME_ZONE
    now_u, now_d = engine.compute_scores(rule, period.start_at, period.end_at, timelines,
                                         unit_ids, members, tz)
    was_u, was_d = engine.compute_scores(prev_rule, previous.start_at, previous.end_at,
                                         timelines, unit_ids, members, tz)

    def rows(objs, now, was, base):
        before = {p.key: p.rank for p in engine.rank({k: t.score for k, t in was.items()})}
        by_pk = {o.pk: o for o in objs}
        return [Row(by_pk[p.key], p, now[p.key]) for p in engine.rank(
            {k: t.score for k, t in now.items()}, before, base)]

    return Ranking(campaign, period, row, rows(units, now_u, was_u, rule.base),
                   rows(districts, now_d, was_d, rule.base))
