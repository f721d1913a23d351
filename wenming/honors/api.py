"""Published honor rolls over the API: GET /api/honors/rolls, /api/honors/stats

Public, like the roll's web page: only the fields of HonorEntry, never an ID
number or a phone number.
"""

from ninja import Query, Router, Schema

from wenming.api.errors import examples, responses
from wenming.honors import selectors
from wenming.honors.render import roll_data

router = Router(tags=["好人榜"])


class PersonOut(Schema):
    name: str
    gender: str
    category: str
    workplace: str
    area: str
    summary: str


class RollOut(Schema):
    id: int
    title: str
    period: str
    issuer: str
    date: str
    version: int
    correction_note: str
    people: list[PersonOut]


class AreaOut(Schema):
    area: str
    counts: dict[str, int]
    total: int
    higher: int


ROLLS_EXAMPLE = [{
    "id": 12, "title": "周口好人榜", "period": "2024年第二季度", "issuer": "周口市文明办",
    "date": "2024年7月5日", "version": 2, "correction_note": "更正一名入选人员的工作单位。",
    "people": [{"name": "张秀英", "gender": "女", "category": "助人为乐",
                "workplace": "川汇区陈州回族街道德化社区", "area": "川汇区",
                "summary": "十年如一日照料社区孤寡老人。"}],
}]
STATS_EXAMPLE = [
    {"area": "川汇区", "counts": {"助人为乐": 3, "见义勇为": 1, "诚实守信": 0, "敬业奉献": 2,
                                  "孝老爱亲": 1}, "total": 7, "higher": 1},
    {"area": "市直及全市", "counts": {"助人为乐": 1, "见义勇为": 0, "诚实守信": 1, "敬业奉献": 1,
                                     "孝老爱亲": 0}, "total": 3, "higher": 0},
]


@router.get("/rolls", response=responses(list[RollOut], 400), summary="已发布的好人榜",
            description="每个榜单的最新发布版本（含更正说明），按期间由近及远。公开接口，无需登录；"
                        "只含榜单上公布的字段，不含身份证号码和联系电话。",
            openapi_extra=examples(ROLLS_EXAMPLE))
def published_rolls(request):
    out = []
    for roll in selectors.published_rolls():
        d = roll_data(roll)
        out.append(RollOut(
            id=roll.pk, title=d["title"], period=d["period"], issuer=d["issuer"],
            date=d["date_text"], version=roll.version, correction_note=roll.correction_note,
            people=[PersonOut(name=p["name"], gender=p["gender"], category=g["category"],
                              workplace=p["workplace"], area=p["area"], summary=p["summary"])
                    for g in d["groups"] for p in g["people"]]))
    return out


@router.get("/stats", response=responses(list[AreaOut], 400, 422), summary="好人榜分地区、分类别统计",
            description="已发布好人榜的入选人数，按县区和类别统计；higher 为其中入选省级及以上好人榜的人数。"
                        "“市直及全市”一行为不属于任何县区的入选者。公开接口，无需登录。",
            openapi_extra=examples(STATS_EXAMPLE))
def stats(request, year: int | None = Query(None, description="年度；不填为历年")):
    data = selectors.statistics(year)
    return [AreaOut(area=r.area.name if r.area.parent_id else "市直及全市",
                    counts=dict(zip(data["categories"], r.counts, strict=True)),
                    total=r.total, higher=r.higher) for r in data["rows"]]
