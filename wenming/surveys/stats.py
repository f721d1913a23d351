"""The four rates with honest statistics.

Each rate is the share of respondents whose answers count towards it,
given with its sample size and a 95% Wilson score interval. Optionally the
districts are post-stratified by their resident population: a combined
rate is then the population-weighted mean of the district rates, and its
interval is the Wilson interval at the effective sample size that the
weighted variance implies. Cells with fewer than 30 answers are flagged,
and each rate is compared with the previous period by the Newcombe
interval of the difference, so a change is only called a rise or a fall
when that interval excludes zero.

All counting is one GROUP BY over the response table per period.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Count, Q

from wenming.accounts.models import Unit
from wenming.core.periods import Period
from wenming.surveys.models import RATES, SMALL_SAMPLE, DistrictPopulation, Rate
from wenming.surveys.models import Response as SurveyResponse

Z95 = 1.959963984540054
RATE_LABELS = dict(Rate.choices)
DIMENSIONS = {"district": "县区", "street": "街道（乡镇）", "group": "受访群体",
              "channel": "调查渠道"}


def wilson(positive, n, z=Z95):
    """Wilson score interval of positive/n as (low, high); None for n = 0."""
    if not n:
        return None
    return wilson_p(positive / n, n, z)


def wilson_p(p, n, z=Z95):
    """The same for a proportion p at a (possibly non-integer, effective) n."""
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def difference_interval(a, b):
    """Newcombe's hybrid score interval for a.p - b.p from the two Wilson
    intervals (his method 10)."""
    d = a.p - b.p
    return (d - math.sqrt((a.p - a.low) ** 2 + (b.high - b.p) ** 2),
            d + math.sqrt((a.high - a.p) ** 2 + (b.p - b.low) ** 2))


@dataclass
class Estimate:
    rate: str
    positive: int
    n: int
    p: float | None = None
    low: float | None = None
    high: float | None = None
    weighted: bool = False
    n_eff: float | None = None
    previous: "Estimate | None" = None

    @property
    def label(self):
        return RATE_LABELS[self.rate]

    @property
    def small(self):
        return self.n < SMALL_SAMPLE

    @property
    def change(self):
        if self.previous is None or self.p is None or self.previous.p is None:
            return None
        return self.p - self.previous.p

    @property
    def change_interval(self):
        if self.change is None:
            return None
        return difference_interval(self, self.previous)

    @property
    def trend(self):
        """"up" / "down" when the change is beyond chance, "flat" when not,
        None without a previous figure."""
        interval = self.change_interval
        if interval is None:
            return None
        if interval[0] > 0:
            return "up"
        if interval[1] < 0:
            return "down"
        return "flat"


def estimate(rate, strata, populations=None):
    """One rate from per-district strata [(district_id, positive, n), …].
    With `populations` ({district_id: people}) and more than one district,
    the estimate is post-stratified."""
    strata = [(d, k, n) for d, k, n in strata if n]
    positive, n = sum(s[1] for s in strata), sum(s[2] for s in strata)
    if not n:
        return Estimate(rate, 0, 0)
    if not populations or len(strata) < 2:
        low, high = wilson(positive, n)
        return Estimate(rate, positive, n, positive / n, low, high)
    total = sum(populations[d] for d, _, _ in strata)
    p = spread = 0.0
    for d, k, m in strata:
        w = populations[d] / total
        p += w * k / m
        spread += w * w / m
    # Kish: each answer of district d weighs W_d/n_d, so n_eff = (Σw)²/Σw² =
    # 1/Σ(W_d²/n_d). It never exceeds n, and unlike the strata's own
    # variances it does not shrink when a small district answers all alike.
    n_eff = 1 / spread
    low, high = wilson_p(p, n_eff)
    return Estimate(rate, positive, n, p, low, high, weighted=True, n_eff=n_eff)


@dataclass
class Row:
    key: object
    label: str
    total: int = 0
    estimates: dict = field(default_factory=dict)
    strata: dict = field(default_factory=dict)

    def by_rate(self):
        return [self.estimates[r] for r in RATES]


@dataclass
class WeightRow:
    district: Unit
    population: int | None
    responses: int
    population_share: float | None = None
    sample_share: float | None = None

    @property
    def factor(self):
        """How much one response of the district counts against an average one."""
        if self.population_share is None or not self.sample_share:
            return None
        return self.population_share / self.sample_share


@dataclass
class Weighting:
    requested: bool
    rows: list
    missing: list

    @property
    def applied(self):
        return self.requested and not self.missing and len(self.rows) > 1


@dataclass
class RateTable:
    period: Period
    by: str
    rows: list
    total: Row
    unweighted_total: Row
    weighting: Weighting

    @property
    def dimension_label(self):
        return DIMENSIONS[self.by]

    @property
    def small_cells(self):
        return sum(1 for row in self.rows for e in row.by_rate() if e.n and e.small)


def rate_aggregates():
    # COUNT(column) skips NULL, which is "not asked"; everything reads the
    # covering index on PostgreSQL.
    out = {"total": Count("*")}
    for r in RATES:
        out[f"{r}_n"] = Count(r)
        out[f"{r}_k"] = Count(r, filter=Q(**{r: True}))
    return out


def counts(responses, start, end, dims):
    """Per-(dims, district) counts of every rate for answers in [start, end]."""
    keys = list(dict.fromkeys([*dims, "district"]))
    return list(responses.filter(answered_on__gte=start, answered_on__lte=end)
                .values(*keys).annotate(**rate_aggregates()).order_by())


def _rows_from(data, dim, populations):
    grouped = {}
    for c in data:
        key = c[dim] if dim else None
        row = grouped.setdefault(key, Row(key, ""))
        row.total += c["total"]
        stratum = row.strata.setdefault(c["district"], dict.fromkeys(c, 0))
        for name, value in c.items():
            if name.endswith(("_n", "_k")) or name == "total":
                stratum[name] += value
    for row in grouped.values():
        row.estimates = {r: estimate(r, [(d, c[f"{r}_k"], c[f"{r}_n"])
                                         for d, c in row.strata.items()], populations)
                         for r in RATES}
    return grouped


def populations_for(district_ids):
    return dict(DistrictPopulation.objects.filter(district_id__in=district_ids)
                .values_list("district_id", "population"))


def _weighting(total_row, requested):
    ids = list(total_row.strata)
    units = Unit.objects.in_bulk(ids)
    pops = populations_for(ids)
    responses = sum(c["total"] for c in total_row.strata.values())
    known = sum(pops.get(d, 0) for d in ids)
    rows = []
    for d in sorted(ids, key=lambda i: (units[i].sort_order, units[i].path)):
        pop = pops.get(d)
        n = total_row.strata[d]["total"]
        rows.append(WeightRow(units[d], pop, n,
                              pop / known if pop and known else None,
                              n / responses if responses else None))
    missing = [units[d] for d in ids if d not in pops]
    return Weighting(requested, rows, missing), pops


def _labels(dim, keys):
    from wenming.surveys.models import RespondentGroup

    if dim == "group":
        names = dict(RespondentGroup.choices)
        return {k: names.get(k, k) for k in keys}
    if dim == "channel":
        names = dict(SurveyResponse.Channel.choices)
        return {k: names.get(k, k) for k in keys}
    units = Unit.objects.in_bulk([k for k in keys if k is not None])
    return {k: (units[k].name if k in units else "（未到街道）") for k in keys}


def _order(dim, row_keys):
    if dim == "group":
        from wenming.surveys.models import RespondentGroup
        order = {v: i for i, v in enumerate(RespondentGroup.values)}
        return sorted(row_keys, key=lambda k: order.get(k, 99))
    if dim == "channel":
        return sorted(row_keys, key=lambda k: SurveyResponse.Channel.values.index(k))
    units = Unit.objects.in_bulk([k for k in row_keys if k is not None])
    parents = Unit.objects.in_bulk({u.parent_id for u in units.values()})

    def key(k):
        u = units.get(k)
        if u is None:
            return (1, 0, 0, "")
        p = parents.get(u.parent_id)
        return (0, p.sort_order if p else 0, u.sort_order, u.path)
    return sorted(row_keys, key=key)


def _table(responses, period, by, weighted, row_keys=None):
    dim = by
    data = counts(responses, period.start, period.last_day, [dim])
    all_rows = _rows_from(data, None, None)
    total_plain = all_rows.get(None) or Row(None, "", 0, {r: Estimate(r, 0, 0) for r in RATES})
    weighting, pops = _weighting(total_plain, weighted)
    populations = pops if weighting.applied else None
    grouped = _rows_from(data, dim, populations)
    total = (_rows_from(data, None, populations).get(None) if populations else total_plain)
    keys = list(grouped)
    if row_keys is not None:
        keys = list(dict.fromkeys([*row_keys, *keys]))
    labels = _labels(dim, keys)
    rows = []
    for k in _order(dim, keys):
        row = grouped.get(k) or Row(k, "", 0, {r: Estimate(r, 0, 0) for r in RATES})
        row.label = labels[k]
        rows.append(row)
    total.label = "合计" if by != "district" else "全部县区"
    total_plain.label = total.label
    return RateTable(period, by, rows, total, total_plain, weighting)


def rate_table(responses, period, by="district", weighted=False, row_keys=None, compare=True):
    """The four rates of `responses` (a scoped queryset) in `period`, one
    row per district, street, respondent group or channel, with a total;
    each estimate carries the previous period's for the trend. `row_keys`
    lists rows to show even without answers (say, every district)."""
    if by not in DIMENSIONS:
        by = "district"
    table = _table(responses, period, by, weighted, row_keys)
    if compare:
        before = _table(responses, period.previous(), by, weighted)
        previous = {row.key: row for row in before.rows}
        for row in table.rows:
            old = previous.get(row.key)
            for r in RATES:
                row.estimates[r].previous = old.estimates[r] if old else None
        for now, old in ((table.total, before.total),
                         (table.unweighted_total, before.unweighted_total)):
            for r in RATES:
                now.estimates[r].previous = old.estimates[r]
    return table


def monthly_counts(responses, start, end):
    """{first day of month: {district_id: counts}} for answers in [start, end].
    Grouped by day and summed into months here: a plain column groups from
    the covering index on both databases, a date function would not."""
    by_month = {}
    for c in counts(responses, start, end, ["answered_on"]):
        strata = by_month.setdefault(c["answered_on"].replace(day=1), {})
        stratum = strata.setdefault(c["district"], dict.fromkeys(c, 0))
        for name, value in c.items():
            if name not in ("answered_on", "district"):
                stratum[name] += value
    return by_month


def district_months(responses, start, end):
    """The four rates by district and month: {(month, district_id): {rate: Estimate}}."""
    return {(month, d): {r: estimate(r, [(d, c[f"{r}_k"], c[f"{r}_n"])]) for r in RATES}
            for month, strata in monthly_counts(responses, start, end).items()
            for d, c in strata.items()}


def monthly_series(responses, last, months=12, weighted=False):
    """The four combined rates month by month for the `months` months
    ending with the period `last`: [(Period, {rate: Estimate}), …]."""
    first = Period.containing("month", last.last_day)
    for _ in range(months - 1):
        first = first.previous()
    by_month = monthly_counts(responses, first.start, last.last_day)
    districts = {d for strata in by_month.values() for d in strata}
    pops = populations_for(districts) if weighted else None
    out = []
    month = first
    while month.start <= last.last_day:
        strata = by_month.get(month.start, {})
        use = pops if pops and all(d in pops for d in strata) else None
        out.append((month, {r: estimate(r, [(d, c[f"{r}_k"], c[f"{r}_n"])
                                             for d, c in strata.items()], use)
                            for r in RATES}))
        month = month.next()
    return out


def latest_day(responses):
    row = responses.order_by("-answered_on").values_list("answered_on", flat=True).first()
    return row
