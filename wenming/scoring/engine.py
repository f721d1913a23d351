"""The scoring arithmetic, free of the database: a period's scores follow
from the rule and the problems' timelines (what happened when), never from
a problem's current status, so a past period always comes out the same.

Per problem, in the period [start, end):
- found in the period: the severity's points (times the repeat factor);
- each local midnight inside the period at which it was overdue (its
  deadline passed while the unit's clock ran): the per-day points;
- each rejected rectification in the period: the rejection points;
- verified in the period after a rectification submitted by the deadline:
  the restore share of its found points comes back.
A problem cancelled before the period's end costs nothing in it. Points go
to the unit responsible at the end of the period (or at its last change).
"""

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

CLOCK_RUNNING = {"dispatched", "rejected"}
TWO = Decimal("0.01")


@dataclass(frozen=True)
class Rule:
    base: Decimal = Decimal("100")
    immediate: Decimal = Decimal("1")
    normal: Decimal = Decimal("2")
    serious: Decimal = Decimal("5")
    per_overdue_day: Decimal = Decimal("0.5")
    repeat_factor: Decimal = Decimal("2")
    per_rejection: Decimal = Decimal("1")
    restore_share: Decimal = Decimal("0.5")
    floor: Decimal = Decimal("0")
    ceiling: Decimal = Decimal("100")
    district_mode: str = "units"  # "units": mean of its units; "sites": its own problems
    list_size: int = 3

    def severity_points(self, severity):
        return getattr(self, severity, self.normal)


@dataclass(slots=True)
class Event:
    action: str
    at: datetime
    to_status: str = ""
    unit_id: int | None = None  # dispatch / reassign: the unit it went to
    deadline: datetime | None = None  # dispatch / reassign
    severity: str = ""  # create / dispatch


@dataclass(slots=True)
class Timeline:
    problem_id: int
    unit_id: int | None  # the responsible unit before any dispatch event says otherwise
    district_id: int | None
    severity: str
    is_repeat: bool
    events: list  # of Event, in time order


@dataclass(frozen=True, slots=True)
class Quiet:
    """`count` problems whose state held through the whole window: on the
    unit's running clock since before it began, due on local `deadline_day`.
    Their timelines need no replay: they only run up overdue days."""
    unit_id: int | None
    district_id: int | None
    deadline_day: date
    count: int

    def overdue_days(self, start, end, tz):
        """Overdue midnights of one problem in [start, end), both local midnights."""
        first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
        return (last - max(self.deadline_day, first)).days if self.deadline_day < last else 0


@dataclass
class Ledger:
    """What a window of periods is scored from: the replayed timelines and
    the quiet problems, grouped."""
    timelines: list  # of Timeline
    quiet: list  # of Quiet
    start_at: datetime  # the window's start: the quiet problems did not change after it


@dataclass
class Tally:
    found: int = 0
    repeats: int = 0
    overdue_days: int = 0
    rejections: int = 0
    timely_closed: int = 0
    closed: int = 0
    deducted: Decimal = Decimal(0)
    restored: Decimal = Decimal(0)
    score: Decimal = Decimal(0)

    def add(self, other):
        for name in ("found", "repeats", "overdue_days", "rejections", "timely_closed",
                     "closed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.deducted += other.deducted
        self.restored += other.restored


def _days(tz, a, b):
    """Local midnights m with a < m <= b."""
    if b <= a:
        return 0
    return b.astimezone(tz).date().toordinal() - a.astimezone(tz).date().toordinal()


def problem_tally(rule, tl, start, end, tz):
    """What one problem costs in [start, end) and who pays: (unit_id, Tally)
    or None when nothing happened to it in the period."""
    t = Tally()
    status, deadline, unit, severity = "", None, tl.unit_id, tl.severity
    clock_since = None
    last_submit = None
    cancelled = False
    found_in = False

    def overdue_until(moment):
        # The clock ran from clock_since until `moment`; count the overdue midnights in the period.
        if clock_since is None or deadline is None:
            return 0
        lo = max(clock_since, deadline, start)
        hi = min(moment, end)
        return _days(tz, lo, hi)

    for ev in tl.events:
        if ev.at >= end:
            break
        if ev.action == "create":
            found_in = ev.at >= start
            severity = ev.severity or severity
        if ev.unit_id is not None:
            unit = ev.unit_id
        if ev.deadline is not None:
            deadline = ev.deadline
        if ev.action == "dispatch" and ev.severity:
            severity = ev.severity
        new = ev.to_status or status
        if status in CLOCK_RUNNING and new not in CLOCK_RUNNING:
            t.overdue_days += overdue_until(ev.at)
            clock_since = None
        elif status in CLOCK_RUNNING and ev.action == "reassign":
            # A new unit's clock starts afresh; the old one's overdue time stays counted.
            t.overdue_days += overdue_until(ev.at)
            clock_since = ev.at
        if new in CLOCK_RUNNING and status not in CLOCK_RUNNING:
            clock_since = ev.at
        in_period = ev.at >= start
        if ev.action == "submit":
            last_submit = ev.at
        elif ev.action == "reject" and in_period:
            t.rejections += 1
        elif ev.action == "verify" and in_period:
            t.closed += 1
            if last_submit is not None and deadline is not None and last_submit <= deadline:
                t.timely_closed += 1
        elif ev.action == "cancel":
            cancelled = True
        status = new
    if status in CLOCK_RUNNING:
        t.overdue_days += overdue_until(end)
    if cancelled:
        return None
    points = rule.severity_points(severity)
    if tl.is_repeat:
        points *= rule.repeat_factor
    if found_in:
        t.found = 1
        t.repeats = int(tl.is_repeat)
        t.deducted += points
    t.deducted += rule.per_overdue_day * t.overdue_days + rule.per_rejection * t.rejections
    t.restored += points * rule.restore_share * t.timely_closed
    if not (found_in or t.overdue_days or t.rejections or t.closed):
        return None
    return unit, t


def _clamp(rule, value):
    return min(rule.ceiling, max(rule.floor, value)).quantize(TWO, ROUND_HALF_UP)


def compute_scores(rule, start, end, ledger, units, districts, tz_name="Asia/Shanghai"):
    """Scores of `units` (ids) and `districts` ({district id: [unit ids in
    it]}) for [start, end) from a Ledger covering it. Returns (unit tallies,
    district tallies), each {id: Tally} with `.score` set; units without
    problems keep the base."""
    tz = ZoneInfo(tz_name)
    by_unit = {u: Tally() for u in units}
    by_district = {d: Tally() for d in districts}

    def charge(unit, district, t):
        if unit in by_unit:
            by_unit[unit].add(t)
        if district in by_district:
            by_district[district].add(t)

    for tl in ledger.timelines:
        result = problem_tally(rule, tl, start, end, tz)
        if result is not None:
            charge(result[0], tl.district_id, result[1])
    for q in ledger.quiet:
        days = q.overdue_days(start, end, tz) * q.count
        if days:
            charge(q.unit_id, q.district_id,
                   Tally(overdue_days=days, deducted=rule.per_overdue_day * days))
    for t in by_unit.values():
        t.score = _clamp(rule, rule.base - t.deducted + t.restored)
    for d, t in by_district.items():
        if rule.district_mode == "units":
            members = [by_unit[u].score for u in districts[d] if u in by_unit]
            t.score = (sum(members) / len(members)).quantize(TWO, ROUND_HALF_UP) \
                if members else _clamp(rule, rule.base)
        else:
            t.score = _clamp(rule, rule.base - t.deducted + t.restored)
    return by_unit, by_district


@dataclass
class Place:
    key: int
    score: Decimal
    rank: int = 0
    previous_rank: int | None = None
    called_in: bool = False  # 约谈: among the bottom two and below the base

    @property
    def movement(self):
        """Places gained since the previous period (negative: lost)."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


def rank(scores, previous=None, base=None, called_in_count=2):
    """Competition ranking (1, 1, 3) by score, highest first. `previous`:
    {key: rank} of the previous period. The bottom `called_in_count`
    places — all tied at them — are flagged when below `base`."""
    places = sorted((Place(k, s) for k, s in scores.items()), key=lambda p: (-p.score, p.key))
    for i, p in enumerate(places):
        p.rank = places[i - 1].rank if i and places[i - 1].score == p.score else i + 1
        if previous:
            p.previous_rank = previous.get(p.key)
    ascending = sorted(p.score for p in places)
    for p in places:
        # Places counted from the bottom, ties sharing the best of them.
        from_bottom = bisect_left(ascending, p.score) + 1
        p.called_in = from_bottom <= called_in_count and (base is None or p.score < base)
    return places


def state_at(tl, moment):
    """(status, deadline, unit) of a problem just before `moment`."""
    status, deadline, unit = "", None, tl.unit_id
    for ev in tl.events:
        if ev.at >= moment:
            break
        status = ev.to_status or status
        deadline = ev.deadline or deadline
        unit = ev.unit_id if ev.unit_id is not None else unit
    return status, deadline, unit


def found_in(tl, start, end):
    """Found in [start, end) and not cancelled before its end."""
    if not tl.events or tl.events[0].action != "create" or not start <= tl.events[0].at < end:
        return False
    return not any(e.action == "cancel" and e.at < end for e in tl.events)
