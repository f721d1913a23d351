"""Adoption statistics (信息采用): how many of a unit's submissions made it
into a published issue. Offices score units on these figures."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from wenming.accounts.models import Unit
from wenming.briefings.models import Article, Issue, Submission


@dataclass
class UnitAdoption:
    unit: Unit
    submitted: int
    adopted: int
    published_articles: int
    rank: int = 0

    @property
    def rate(self):
        return self.adopted / self.submitted if self.submitted else None


def period_bounds(start, end):
    """Inclusive dates → aware datetimes [start 00:00, end+1 00:00) in local time."""
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz))


def adoption_table(start: date, end: date, series=None, units=None):
    """One row per unit that submitted or was published in the period,
    ranked by adoptions (ties share a rank), then by rate."""
    lo, hi = period_bounds(start, end)
    submissions = Submission.objects.filter(created_at__gte=lo, created_at__lt=hi)
    articles = Article.objects.filter(issue__status=Issue.Status.PUBLISHED,
                                      issue__date__gte=start, issue__date__lte=end,
                                      source_unit__isnull=False)
    if series is not None:
        submissions = submissions.filter(series=series)
        articles = articles.filter(issue__series=series)
    if units is not None:
        submissions = submissions.filter(unit__in=units)
        articles = articles.filter(source_unit__in=units)
    adopted_q = Q(status=Submission.Status.ADOPTED,
                  article__issue__status=Issue.Status.PUBLISHED)
    per_unit = {
        row["unit"]: row for row in submissions.values("unit").annotate(
            submitted=Count("id"), adopted=Count("id", filter=adopted_q))
    }
    published = dict(articles.values_list("source_unit").annotate(n=Count("id")))
    unit_map = Unit.objects.in_bulk(set(per_unit) | set(published))
    rows = [
        UnitAdoption(unit=unit_map[pk], submitted=per_unit.get(pk, {}).get("submitted", 0),
                     adopted=per_unit.get(pk, {}).get("adopted", 0),
                     published_articles=published.get(pk, 0))
        for pk in unit_map
    ]
    rows.sort(key=lambda r: (-r.adopted, -(r.rate or 0), -r.published_articles, r.unit.path))
    previous = None
    for i, row in enumerate(rows, start=1):
        key = (row.adopted, row.rate)
        row.rank = previous[1] if previous and previous[0] == key else i
        previous = (key, row.rank)
    return rows


def adoption_xlsx(rows, start, end):
    from wenming.core.excel import workbook_bytes
    headers = ["排名", "单位", "报送稿件数", "采用数", "采用率", "刊发稿件数"]
    data = [[r.rank, r.unit.name, r.submitted, r.adopted,
             f"{r.rate:.1%}" if r.rate is not None else "—", r.published_articles]
            for r in rows]
    return workbook_bytes([("信息采用统计", headers, data, [6, 28, 12, 10, 10, 12])])
