"""Rankings over the API: GET /api/scoring/rankings?kind=month&day=2024-06-15

For the office, like the leaders' dashboard: a signed-in session (401
otherwise) holding an office role (403 otherwise)."""

from datetime import date
from typing import Literal

from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth
from pydantic import Field

from wenming.api.errors import examples, responses
from wenming.core.periods import Period
from wenming.scoring import selectors
from wenming.scoring.services import OFFICE_READERS

router = Router(tags=["考核排名"])
# A string, not a date: pydantic would read day=0 as 1970-01-01 (a Unix
# time). The pattern admits exactly the calendar days of 2000–2099.
_DAY = (r"^(20[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
        r"|02-(0[1-9]|1[0-9]|2[0-8]))|20([02468][048]|[13579][26])-02-29)$")
DAY = Query(None, pattern=_DAY, example="2024-06-15",
            description="周期内任一日，如 2024-06-15；限 2000–2099 年")


class RankingRowOut(Schema):
    rank: int
    unit: int = Field(description="单位编号")
    name: str
    score: float
    movement: int | None = Field(description="较上期名次变化，正数为上升；上期未参评为 null")
    arrow: str = Field(description="↑N、↓N、持平，或“—”（上期未参评）")
    called_in: bool = Field(description="末位约谈")
    found: int = Field(description="本期新发现问题")
    repeats: int = Field(description="其中重复发现")
    overdue_days: int = Field(description="逾期天数")
    rejections: int = Field(description="复查未通过次数")


class RankingOut(Schema):
    kind: str
    start: date
    end: date = Field(description="周期最后一天")
    period: str = Field(description="周期名称，如“2024年6月”")
    rule_version: int | None = Field(description="适用的考核规则版本；未制定规则时按默认规则，为 null")
    districts: list[RankingRowOut]
    units: list[RankingRowOut]
    red: list[str] = Field(description="红榜单位")
    black: list[str] = Field(description="黑榜单位")


def _example_row(rank, unit, name, score, movement, arrow, found, repeats=0, overdue_days=0,
                 rejections=0, called_in=False):
    return {"rank": rank, "unit": unit, "name": name, "score": score, "movement": movement,
            "arrow": arrow, "called_in": called_in, "found": found, "repeats": repeats,
            "overdue_days": overdue_days, "rejections": rejections}


RANKING_EXAMPLE = {
    "kind": "month", "start": "2024-06-01", "end": "2024-06-30", "period": "2024年6月",
    "rule_version": 2,
    "districts": [_example_row(1, 3, "川汇区", 96.5, 1, "↑1", 4),
                  _example_row(2, 6, "淮阳区", 91.0, -1, "↓1", 9, 2, 3, 1, called_in=True)],
    "units": [_example_row(1, 8, "市市场监督管理局", 98.0, None, "—", 1)],
    "red": ["川汇区"], "black": ["淮阳区"],
}


def _row(r):
    t = r.tally
    return RankingRowOut(rank=r.place.rank, unit=r.unit.pk, name=r.unit.name,
                         score=r.place.score, movement=r.place.movement, arrow=r.arrow,
                         called_in=r.place.called_in, found=t.found, repeats=t.repeats,
                         overdue_days=t.overdue_days, rejections=t.rejections)


@router.get("/rankings", response=responses(RankingOut, 400, 401, 403, 404, 422),
            auth=django_auth, summary="县区和单位考核排名",
            description="按周期（周、月、季度、年）计算的县区和责任单位得分与名次，附较上期名次变化、"
                        "末位约谈标记和红黑榜。day 为周期内任一日；不填为上一个完整周期。"
                        "本期未检查的单位和县区不评分、不排名，不在列表中。"
                        "需登录，且须为文明办工作人员（督查员、管理员或领导）。",
            openapi_extra=examples(RANKING_EXAMPLE))
def rankings(
    request,
    kind: Literal["week", "month", "quarter", "year"] = Query("month", description="周期"),
    day: str | None = DAY,
):
    if not request.user.has_role(*OFFICE_READERS):
        raise HttpError(403, "只有文明办工作人员可以查看考核排名数据。")
    campaign = selectors.active_campaign()
    if campaign is None:
        raise HttpError(404, "还没有创建活动。")
    period = Period.around(kind, day)
    ranking = selectors.ranking(campaign, period)
    return RankingOut(
        kind=period.kind, start=period.start, end=period.last_day, period=period.label,
        rule_version=ranking.rule.version if ranking.rule else None,
        districts=[_row(r) for r in ranking.districts], units=[_row(r) for r in ranking.units],
        red=[r.unit.name for r in ranking.unit_red], black=[r.unit.name for r in ranking.unit_black])
