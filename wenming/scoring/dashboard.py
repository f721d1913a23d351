"""The leaders' dashboard figures for a period, as one dict the page, the
big screen and the Excel export all read."""

from django.db.models import Count

from wenming.campaign.models import Problem
from wenming.scoring import engine, selectors


def figures(campaign, period):
    # One instant for every figure: the period's end, or now while it runs.
    as_of = selectors.as_of(period)
    ledger = selectors.period_ledger(campaign, period, as_of)
    ranking = selectors.ranking(campaign, period, ledger, as_of)
    start, end = engine.instant(period.start_at), engine.instant(as_of)
    found = sum(1 for tl in ledger.timelines if engine.found_in(tl, start, end))
    closed, hours = 0, []
    for tl, e in engine.close_outs(ledger.timelines, start, end):
        closed += 1
        if tl.events[0].action == "create":
            hours.append((e.at - tl.events[0].at) / 3_600_000_000)
    _, overdue_by_district, _ = selectors.overdue_at_end(campaign, ledger, as_of, limit=0)
    names = {r.unit.pk: r.unit.name for r in ranking.districts}
    trend, p = [], period
    for _ in range(6):
        trend.append((p.short_label, Problem.objects.filter(
            campaign=campaign, found_at__gte=p.start_at, found_at__lt=p.end_at)
            .exclude(status=Problem.Status.CANCELLED).count()))
        p = p.previous()
    trend.reverse()
    heat = {}
    for district, category, n in (Problem.objects.filter(
            campaign=campaign, found_at__gte=period.start_at, found_at__lt=period.end_at)
            .exclude(status=Problem.Status.CANCELLED).order_by()
            .values_list("district__name", "category__name").annotate(n=Count("*"))):
        heat[(district or "未分区", category or "其他")] = n
    return {
        "period": period, "ranking": ranking, "found": found, "closed": closed,
        "close_rate": round(100 * closed / found, 1) if found else None,
        "avg_hours": round(sum(hours) / len(hours), 1) if hours else None,
        "overdue": sorted(((names.get(d, "未分区"), n) for d, n in overdue_by_district.items()),
                          key=lambda x: -x[1]),
        "trend": trend,
        "heat_rows": sorted({k[0] for k in heat}), "heat_cols": sorted({k[1] for k in heat}),
        "heat": heat,
    }


def sheets(f):
    """The same figures as workbook sheets for wenming.core.excel.workbook_bytes."""
    r = f["ranking"]
    return [
        ("概况", ["考核周期", "新发现问题", "销号问题", "销号率(%)", "平均整改用时(小时)"],
         [[f["period"].label, f["found"], f["closed"], f["close_rate"] or "",
           f["avg_hours"] or ""]], None),
        ("县区排名", ["名次", "县区", "得分", "较上期", "约谈"],
         [[x.place.rank, x.unit.name, float(x.place.score), x.arrow,
           "是" if x.place.called_in else ""] for x in r.districts], None),
        ("单位排名", ["名次", "单位", "得分", "新发现问题", "重复", "逾期天数", "复查未通过",
                  "较上期", "约谈"],
         [[x.place.rank, x.unit.name, float(x.place.score), x.tally.found, x.tally.repeats,
           x.tally.overdue_days, x.tally.rejections, x.arrow,
           "是" if x.place.called_in else ""] for x in r.units], None),
        ("逾期问题", ["县区", "逾期问题数"], [list(x) for x in f["overdue"]], None),
        ("问题趋势", ["周期", "发现问题数"], [list(x) for x in f["trend"]], None),
        ("点位类别分布", ["县区", "点位类别", "问题数"],
         [[d, c, n] for (d, c), n in sorted(f["heat"].items())], None),
    ]
