"""The big screen (数据大屏) of a wall: the ledger's headline figures at one
instant, the district ranking, the trend, the map and the latest fixes
with their after-photos."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from wenming.campaign import maps
from wenming.campaign.models import Problem
from wenming.campaign.selectors import shown_after_photos
from wenming.core.periods import Period
from wenming.scoring import selectors

LATEST = 6


def headline(campaign, now):
    """Open, overdue, closed this month and the rectification rate, as the
    ledger holds them at `now`, counted in one query (one snapshot)."""
    month = Period.containing("month", timezone.localtime(now).date())
    closed = Q(status=Problem.Status.CLOSED)
    f = Problem.objects.filter(campaign=campaign).aggregate(
        open=Count("id", filter=~Q(status__in=Problem.FINISHED)),
        overdue=Count("id", filter=Problem.overdue_at(now)),
        closed_month=Count("id", filter=closed & Q(closed_at__gte=month.start_at,
                                                   closed_at__lte=now)),
        closed=Count("id", filter=closed),
        total=Count("id", filter=~Q(status=Problem.Status.CANCELLED)))
    f["rate"] = round(100 * f["closed"] / f["total"], 1) if f["total"] else None
    f["month"] = month
    return f


def trend(campaign, month, count=6):
    """(month, found) for the last `count` months up to `month`."""
    out, p = [], month
    for _ in range(count):
        out.append((p.short_label, Problem.objects.filter(
            campaign=campaign, found_at__gte=p.start_at, found_at__lt=p.end_at)
            .exclude(status=Problem.Status.CANCELLED).count()))
        p = p.previous()
    return out[::-1]


def latest_closed(campaign, count=LATEST):
    return list(Problem.objects.filter(campaign=campaign, status=Problem.Status.CLOSED)
                .select_related("site", "district", "category")
                .prefetch_related(Prefetch("photos", queryset=shown_after_photos(),
                                           to_attr="after_photos"))
                .order_by("-closed_at", "-id")[:count])


def figures(campaign, now=None):
    now = now or timezone.now()
    f = headline(campaign, now)
    ranking = selectors.ranking(campaign, f["month"], at=now)
    problem_map, map_mode = maps.problem_map(campaign, now, width=680, height=600, links=False)
    return {**f, "now": now, "as_of_text": selectors.as_of_text(now),
            "districts": [(x.unit.name, x.place.score) for x in ranking.districts],
            "trend": trend(campaign, f["month"]), "latest": latest_closed(campaign),
            "problem_map": problem_map, "map_mode": map_mode}
