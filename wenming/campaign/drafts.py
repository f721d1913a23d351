"""The 台账整改情况 article a briefing pulls from the ledger (registered in
apps.py): what was found in a period, how much of it is closed, by
district, and what is still overdue."""

from django.db.models import Count, Q
from django.utils import timezone

from wenming.briefings.sources import period_text
from wenming.campaign.models import Problem
from wenming.core.text import chinese_date


def _rate(part, whole):
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def period_draft(start, end):
    found = Problem.objects.filter(found_at__date__gte=start, found_at__date__lte=end) \
        .exclude(status=Problem.Status.CANCELLED)
    closed_in_period = Problem.objects.filter(status=Problem.Status.CLOSED, closed_at__date__gte=start,
                                              closed_at__date__lte=end).count()
    totals = found.aggregate(
        n=Count("id"), closed=Count("id", filter=Q(status=Problem.Status.CLOSED)),
        citizen=Count("id", filter=Q(source=Problem.Source.CITIZEN)))
    if not totals["n"] and not closed_in_period:
        return None
    when = period_text(start, end)
    n, closed = totals["n"], totals["closed"]
    paragraphs = [
        f"{when}，全市共发现创建问题{n}个，其中督查发现{n - totals['citizen']}个、"
        f"群众随手拍{totals['citizen']}个；已整改销号{closed}个，销号率{_rate(closed, n)}。"
        f"期间共复查销号问题{closed_in_period}个（含此前发现的问题）。"]
    districts = (found.exclude(district=None).values("district__name", "district__path")
                 .annotate(n=Count("id"), closed=Count("id", filter=Q(status=Problem.Status.CLOSED)))
                 .order_by("district__path"))
    if districts:
        paragraphs.append("分县区看：" + "；".join(
            f"{d['district__name']}发现{d['n']}个、已销号{d['closed']}个，销号率"
            f"{_rate(d['closed'], d['n'])}" for d in districts) + "。")
    overdue = Problem.objects.filter(Problem.overdue_at(timezone.now()))
    as_of = chinese_date(timezone.localdate())
    units = list(overdue.exclude(responsible_unit=None)
                 .values_list("responsible_unit__name", flat=True)
                 .order_by("responsible_unit__path").distinct()[:6])
    if overdue.exists():
        who = "、".join(units) + ("等单位" if len(units) >= 6 else "")
        paragraphs.append(f"截至{as_of}，仍有{overdue.count()}个问题逾期未整改，涉及{who}，"
                          "请相关责任单位抓紧整改，按时提交整改情况。")
    else:
        paragraphs.append(f"截至{as_of}，没有逾期未整改的问题。")
    return f"{when}创建问题台账整改情况", paragraphs
