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

Only units and districts inspected in the period are scored and ranked:
one with no inspection of its sites and no problem of its own in the
period has no score (未检查), rather than the base which would put it on
the red list for having been left alone.

The end of a period may be any instant, not only a midnight: a period
still running is scored as of now.

Times inside the engine are instants: whole microseconds since the Unix
epoch (`instant()`), which the database hands over without building a
datetime per event and which compare exactly.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

CLOCK_RUNNING = {"dispatched", "rejected"}
TWO = Decimal("0.01")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def instant(dt):
    """An aware datetime as whole microseconds since the epoch."""
    return (dt - _EPOCH) // _MICROSECOND


class Clock:
    """A period [start, end) between two local midnights, as instants, with
    the local midnights after its start up to and including its end."""

    def __init__(self, start, end, tz):
        self.start, self.end = instant(start), instant(end)
        first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
        self.first_day, self.last_day = first, last
        self.midnights = [instant(datetime.combine(first + timedelta(days=i), time(), tz))
                          for i in range(1, (last - first).days + 1)]

    def days(self, a, b):
        """Local midnights m with a < m <= b, for start <= a and b <= end."""
        if b <= a:
            return 0
        return bisect_right(self.midnights, b) - bisect_right(self.midnights, a)


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
    at: int  # instant
    to_status: str = ""
    unit_id: int | None = None  # dispatch / reassign: the unit it went to
    deadline: int | None = None  # dispatch / reassign, instant
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

    def overdue_days(self, clock):
        """Overdue midnights of one such problem in the clock's period."""
        if self.deadline_day >= clock.last_day:
            return 0
        return (clock.last_day - max(self.deadline_day, clock.first_day)).days


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
    score: Decimal | None = None  # None: not inspected in the period (未检查)
    inspected: bool = False


class _Sums:
    """A unit's or district's counts while a period is scored; the points
    are worked out once at the end, per severity and repeat."""

    __slots__ = ("found", "repeats", "overdue_days", "rejections", "timely_closed", "closed",
                 "found_by", "timely_by", "inspected")

    def __init__(self, inspected=False):
        self.found = self.repeats = self.overdue_days = self.rejections = 0
        self.timely_closed = self.closed = 0
        self.found_by, self.timely_by = {}, {}
        self.inspected = inspected

    def add(self, found, key, overdue_days, rejections, closed, timely):
        # A problem of its own in the period is an inspection's result, or
        # work sent to it: either way the unit took part in the period.
        self.inspected = True
        if found:
            self.found += 1
            self.repeats += key[1]
            self.found_by[key] = self.found_by.get(key, 0) + 1
        if timely:
            self.timely_closed += timely
            self.timely_by[key] = self.timely_by.get(key, 0) + timely
        self.overdue_days += overdue_days
        self.rejections += rejections
        self.closed += closed

    def tally(self, rule):
        def points(key):
            p = rule.severity_points(key[0])
            return p * rule.repeat_factor if key[1] else p

        deducted = sum((points(k) * n for k, n in self.found_by.items()), Decimal(0))
        deducted += rule.per_overdue_day * self.overdue_days + rule.per_rejection * self.rejections
        restored = sum((points(k) * rule.restore_share * n for k, n in self.timely_by.items()),
                       Decimal(0))
        return Tally(self.found, self.repeats, self.overdue_days, self.rejections,
                     self.timely_closed, self.closed, deducted, restored,
                     inspected=self.inspected)


def problem_tally(tl, clock):
    """What happened to one problem in the clock's period and who answers
    for it: (unit_id, found in it, (severity, repeat), overdue days,
    rejections, close-outs, timely close-outs), or None when nothing did
    or it was cancelled by the period's end. A problem sent to a unit in
    the period (dispatch or reassignment) counts as something happening,
    even when it costs nothing yet."""
    start, end = clock.start, clock.end
    status, deadline, unit, severity = "", None, tl.unit_id, tl.severity
    clock_since = last_submit = None
    found = sent = False
    overdue = rejections = closed = timely = 0

    for ev in tl.events:
        at = ev.at
        if at >= end:
            break
        action = ev.action
        if action == "create":
            found = at >= start
            severity = ev.severity or severity
        elif action == "cancel":
            return None
        if ev.unit_id is not None:
            unit = ev.unit_id
        if ev.deadline is not None:
            deadline = ev.deadline
        if action == "dispatch" and ev.severity:
            severity = ev.severity
        new = ev.to_status or status
        running = status in CLOCK_RUNNING
        if running and (new not in CLOCK_RUNNING or action == "reassign"):
            # The clock ran from clock_since until now: count its overdue
            # midnights in the period. A reassigned problem's new unit starts
            # afresh; the old one's overdue time stays counted.
            if clock_since is not None and deadline is not None:
                overdue += clock.days(max(clock_since, deadline, start), min(at, end))
            clock_since = at if new in CLOCK_RUNNING else None
        elif new in CLOCK_RUNNING and not running:
            clock_since = at
        if action == "submit":
            last_submit = at
        elif at >= start:
            if ev.unit_id is not None:
                sent = True
            if action == "reject":
                rejections += 1
            elif action == "verify":
                closed += 1
                if last_submit is not None and deadline is not None and last_submit <= deadline:
                    timely += 1
        status = new
    if status in CLOCK_RUNNING and clock_since is not None and deadline is not None:
        overdue += clock.days(max(clock_since, deadline, start), end)
    if not (found or overdue or rejections or closed or sent):
        return None
    return unit, found, (severity, tl.is_repeat), overdue, rejections, closed, timely


def _clamp(rule, value):
    return min(rule.ceiling, max(rule.floor, value)).quantize(TWO, ROUND_HALF_UP)


def compute_scores(rule, start, end, ledger, units, districts, tz_name="Asia/Shanghai",
                   inspected=((), ())):
    """Scores of `units` (ids) and `districts` ({district id: [unit ids in
    it]}) for [start, end) from a Ledger covering it. `inspected`: (unit
    ids, district ids) whose sites were inspected in the period. Returns
    (unit tallies, district tallies), each {id: Tally}; `.score` is None
    for those not inspected in the period (no inspection of their sites and
    no problem of theirs). A district scored from its units averages only
    its inspected units."""
    clock = Clock(start, end, ZoneInfo(tz_name))
    seen_units, seen_districts = (set(ids) for ids in inspected)
    by_unit = {u: _Sums(u in seen_units) for u in units}
    by_district = {d: _Sums(d in seen_districts) for d in districts}
    for tl in ledger.timelines:
        result = problem_tally(tl, clock)
        if result is not None:
            unit, *counts = result
            if unit in by_unit:
                by_unit[unit].add(*counts)
            if tl.district_id in by_district:
                by_district[tl.district_id].add(*counts)
    for q in ledger.quiet:
        days = q.overdue_days(clock) * q.count
        if days:
            for sums in (by_unit.get(q.unit_id), by_district.get(q.district_id)):
                if sums is not None:
                    sums.overdue_days += days
                    sums.inspected = True
    unit_tallies = {u: sums.tally(rule) for u, sums in by_unit.items()}
    for t in unit_tallies.values():
        if t.inspected:
            t.score = _clamp(rule, rule.base - t.deducted + t.restored)
    district_tallies = {d: sums.tally(rule) for d, sums in by_district.items()}
    for d, t in district_tallies.items():
        if rule.district_mode == "units":
            members = [unit_tallies[u].score for u in districts[d]
                       if u in unit_tallies and unit_tallies[u].inspected]
            t.inspected = bool(members)
            t.score = (sum(members) / len(members)).quantize(TWO, ROUND_HALF_UP) \
                if members else None
        elif t.inspected:
            t.score = _clamp(rule, rule.base - t.deducted + t.restored)
    return unit_tallies, district_tallies


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
    """(status, deadline, unit) of a problem just before instant `moment`."""
    status, deadline, unit = "", None, tl.unit_id
    for ev in tl.events:
        if ev.at >= moment:
            break
        status = ev.to_status or status
        deadline = ev.deadline or deadline
        unit = ev.unit_id if ev.unit_id is not None else unit
    return status, deadline, unit


def close_outs(timelines, start, end):
    """(timeline, verify event) for each close-out in [start, end) (instants)."""
    for tl in timelines:
        for e in tl.events:
            if e.action == "verify" and start <= e.at < end:
                yield tl, e


def found_in(tl, start, end):
    """Found in [start, end) (instants) and not cancelled before its end."""
    if not tl.events or tl.events[0].action != "create" or not start <= tl.events[0].at < end:
        return False
    return not any(e.action == "cancel" and e.at < end for e in tl.events)
