"""Published honor rolls over the API: GET /api/honors/rolls, /api/honors/stats

Public, like the roll's web page: only the fields of HonorEntry, never an ID
number or a phone number.
"""

from ninja import Query, Router, Schema

from wenming.api.errors import responses
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


@router.get("/rolls", response=responses(list[RollOut], 400), summary="已发布的好人榜",
            description="每个榜单的最新发布版本（含更正），按期间由近及远。")
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


@router.get("/stats", response=responses(list[AreaOut], 400, 422), summary="好人榜分地区、分类别统计")
def stats(request, year: int | None = Query(None, description="年度；不填为历年")):
    data = selectors.statistics(year)
    return [AreaOut(area=r.area.name if r.area.parent_id else "市直及全市",
                    counts=dict(zip(data["categories"], r.counts, strict=True)),
                    total=r.total, higher=r.higher) for r in data["rows"]]
