"""Small builders for survey tests: one questionnaire through the services,
and hand-counted response rows for the statistics."""

import uuid
from datetime import date

from wenming.surveys import services
from wenming.surveys.models import Response

TITLE = "创建全国文明城市群众满意度调查"


def make_questionnaire(actor, title=TITLE, public=True, activate=True):
    """A (居民) and B (商户). Q1 awareness, Q2 support, Q3 participation
    (multiple choice), Q4 satisfaction (scale 1–5, 4 and up counts), Q5 a
    free text, Q6 only for B and counting towards nothing."""
    q = services.create_questionnaire(actor, title=title, intro="您好！耽误您几分钟。",
                                      is_public=public)
    services.set_variant(actor, q, "A", "resident")
    services.set_variant(actor, q, "B", "shopkeeper")
    services.add_question(actor, q, kind="single", text="您是否知道我市正在创建全国文明城市？",
                          options=["知道", "不知道"], rate="awareness", positive_options=["知道"])
    services.add_question(actor, q, kind="single", text="您是否支持创建全国文明城市？",
                          options=["支持", "不支持", "无所谓"], rate="support",
                          positive_options=["支持"])
    services.add_question(actor, q, kind="multiple", text="您参加过哪些创建活动？",
                          options=["志愿服务", "环境清洁", "文明劝导", "都没有参加"],
                          rate="participation",
                          positive_options=["志愿服务", "环境清洁", "文明劝导"])
    services.add_question(actor, q, kind="scale", text="您对创建工作成效的总体评价",
                          scale_min=1, scale_max=5, hint="1 表示很不满意，5 表示很满意",
                          rate="satisfaction", positive_from=4)
    services.add_question(actor, q, kind="text", text="您对创建工作还有哪些意见和建议？",
                          required=False)
    services.add_question(actor, q, kind="single", text="门前三包是否落实？",
                          options=["落实", "未落实"], variants="B")
    if activate:
        q = services.activate_questionnaire(actor, q)
    return q


def answers(q, aware=True, support=True, joined=("志愿服务",), score=5, text="", shop=None):
    """Form data for `q` (by question order), as a browser would send it."""
    qs = list(q.questions.order_by("order"))
    data = {qs[0].field_name: "知道" if aware else "不知道",
            qs[1].field_name: "支持" if support else "不支持",
            qs[2].field_name: list(joined) or ["都没有参加"],
            qs[3].field_name: str(score), qs[4].field_name: text}
    if shop is not None:
        data[qs[5].field_name] = shop
    return data


def visit_post(q, area, letter="A", client_id=None, issues="", **answer_kwargs):
    return {"client_id": str(client_id or uuid.uuid4()), "area": area.pk, "address": "3号楼101",
            "visited_on": date.today().isoformat(), "issues": issues, "note": "",
            **answers(q, **answer_kwargs)}


def add_responses(q, district, day, n, *, street=None, group="resident", channel="visit",
                  **positives):
    """`n` responses in `district` on `day`; positives={"satisfaction": k}
    makes the first k count for that rate and the rest not. A rate not
    named is left unasked (NULL)."""
    rows = []
    for i in range(n):
        flags = {rate: i < k for rate, k in positives.items()}
        rows.append(Response(questionnaire=q, variant="A", group=group, channel=channel,
                             district=district, street=street, area=street or district,
                             answered_on=day, device_token=uuid.uuid4().hex if channel == "online"
                             else "", **flags))
    Response.objects.bulk_create(rows)
    return rows
