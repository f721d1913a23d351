"""What a bulletin says, built once from a period's ranking and frozen in
the bulletin's `content`: summary figures, ranking tables, the 红榜/黑榜,
约谈 candidates, typical problems and the overdue list.

Every figure is taken at one instant, the bulletin's `as_of`: the end of
a period that is over, or the moment of generation while it runs. Found,
closed and overdue all mean "by then"; a problem whose deadline is still
ahead is not overdue, whatever the period's end will bring."""

from django.utils import timezone

from wenming.campaign.models import Problem, ProblemPhoto
from wenming.core.text import chinese_date
from wenming.scoring import engine, selectors

TYPICAL = 5


NOT_INSPECTED = "未检查"


def _row(r):
    t = r.tally
    return {"rank": r.place.rank, "name": r.unit.name, "score": str(r.place.score),
            "found": t.found, "repeats": t.repeats, "overdue_days": t.overdue_days,
            "rejections": t.rejections, "arrow": r.arrow, "arrow_note": r.arrow_note,
            "called_in": r.place.called_in}


def _unranked(unit):
    """A unit or district not inspected in the period: no score, no rank."""
    return {"rank": "", "name": unit.name, "score": NOT_INSPECTED, "found": "", "repeats": "",
            "overdue_days": "", "rejections": "", "arrow": "", "arrow_note": "",
            "called_in": False, "inspected": False}


def build_content(campaign, period, issuer="", ledger=None, as_of=None):
    """The bulletin's content with every figure taken at `as_of` (default:
    selectors.as_of(period))."""
    as_of = as_of or selectors.as_of(period)
    if ledger is None:
        ledger = selectors.period_ledger(campaign, period, as_of)
    ranking = selectors.ranking(campaign, period, ledger, as_of)
    start, end = engine.instant(period.start_at), engine.instant(as_of)
    found = [tl for tl in ledger.timelines if engine.found_in(tl, start, end)]
    closed = sum(1 for _ in engine.close_outs(ledger.timelines, start, end))
    overdue_total, _, overdue_ids = selectors.overdue_at_end(campaign, ledger, as_of)
    # Typical problems: the heaviest found in the period, repeats first.
    weight = {"serious": 3, "normal": 2, "immediate": 1}
    found.sort(key=lambda tl: (-int(tl.is_repeat), -weight.get(tl.severity, 0), tl.problem_id))
    typical_ids = [tl.problem_id for tl in found[:TYPICAL]]
    return {
        "campaign": campaign.name,
        "issuer": issuer or campaign.issuer,
        "period": period.label,
        "kind": period.kind,
        "date_text": chinese_date(timezone.localdate()),
        "as_of": as_of.isoformat(),
        "as_of_text": selectors.as_of_text(as_of),
        "summary": {"found": len(found), "repeats": sum(tl.is_repeat for tl in found),
                    "closed": closed, "overdue": overdue_total,
                    "units": len(ranking.units),
                    "not_inspected": len(ranking.unranked_units)},
        "districts": [_row(r) for r in ranking.districts]
        + [_unranked(d) for d in ranking.unranked_districts],
        "units": [_row(r) for r in ranking.units]
        + [_unranked(u) for u in ranking.unranked_units],
        "red": [r.unit.name for r in ranking.unit_red],
        "black": [r.unit.name for r in ranking.unit_black],
        "called_in": [r.unit.name for r in ranking.called_in],
        "typical": _problems(typical_ids, photos=True),
        "overdue": _problems(overdue_ids, end=as_of),
        "overdue_total": overdue_total,
    }


def _problems(ids, photos=False, end=None):
    qs = Problem.objects.filter(pk__in=ids).select_related("site", "responsible_unit",
                                                            "district")
    by_pk = {p.pk: p for p in qs}
    first_photo = {}
    if photos:
        for pid, name in ProblemPhoto.objects.filter(
                problem_id__in=ids, stage=ProblemPhoto.Stage.FOUND).order_by("id") \
                .values_list("problem_id", "image"):
            first_photo.setdefault(pid, name)
    out = []
    for pid in ids:
        p = by_pk.get(pid)
        if p is None:
            continue
        item = {"id": p.pk, "site": p.site.name if p.site_id else "群众上报",
                "district": p.district.name if p.district_id else "",
                "unit": p.responsible_unit.name if p.responsible_unit_id else "",
                "description": p.description, "severity": p.get_severity_display(),
                "repeat": p.is_repeat,
                "found": chinese_date(timezone.localtime(p.found_at).date())}
        if photos:
            item["photo"] = first_photo.get(pid, "")
        if end is not None and p.deadline:
            item["deadline"] = chinese_date(timezone.localtime(p.deadline).date())
        out.append(item)
    return out
