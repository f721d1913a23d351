"""Screening over the API: POST /api/credit/screen"""

from ninja import Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from wenming.api.auth import key_auth, session_auth
from wenming.api.errors import examples, responses
from wenming.credit.screening import DEFAULT_MIN_SCORE, MAX_ROWS, build_index, screen_rows

router = Router(tags=["诚信红黑榜"])


class RowIn(Schema):
    name: str = Field("", max_length=200, description="主体名称")
    code: str = Field("", max_length=30, description="统一社会信用代码、工商注册号或身份证号码（可选）")


class ScreenIn(Schema):
    # The bounds are documented here but checked by the view, which says
    # in Chinese what is wrong (400) rather than pydantic's 422.
    rows: list[RowIn] = Field(..., description=f"待筛查的行，1 至 {MAX_ROWS} 行",
                              json_schema_extra={"minItems": 1, "maxItems": MAX_ROWS})
    min_score: float = Field(DEFAULT_MIN_SCORE, ge=50, le=100,
                             description="最低匹配分；代码或名称一致为 96–100，相似名称为 80–94")
    limit: int = Field(5, ge=1, le=20, description="每行最多返回的匹配数")


class ListingOut(Schema):
    list: str
    kind: str
    color: str
    year: int
    number: str
    seq: int | None
    basis: str
    department: str
    decided_on: str
    valid_until: str | None


class MatchOut(Schema):
    entity: str
    code: str = Field(description="统一社会信用代码；自然人为脱敏的身份证号码")
    score: float
    method: str = Field(description="code：代码一致；name：名称一致；fuzzy：名称相似")
    reason: str
    listings: list[ListingOut]


class ScreenRowOut(Schema):
    row: int
    name: str
    code: str = Field(description="输入的代码；身份证号码脱敏")
    code_valid: bool | None = Field(description="输入代码是否通过校验；未填写代码时为 null")
    code_check: str = Field(description="代码校验结果：“有效”或不通过的原因；未填写代码时为空")
    matches: list[MatchOut]


class ScreenOut(Schema):
    listed_entities: int
    rows: list[ScreenRowOut]


SCREEN_BODY = {"rows": [{"name": "周口市鑫源食品有限公司", "code": "91411600MA44XXXX0K"},
                        {"name": "川汇区德化社区志愿服务队"}],
               "min_score": DEFAULT_MIN_SCORE, "limit": 5}
SCREEN_EXAMPLE = {"listed_entities": 312, "rows": [
    {"row": 1, "name": "周口市鑫源食品有限公司", "code": "91411600MA44XXXX0K", "code_valid": False,
     "code_check": "校验码不正确", "matches": [{
         "entity": "周口市鑫源食品有限公司", "code": "91411600MA44ABCD1X", "score": 100.0,
         "method": "name", "reason": "名称一致",
         "listings": [{"list": "2024年第一批诚信黑名单", "kind": "法人黑名单", "color": "black",
                       "year": 2024, "number": "文明信〔2024〕3号", "seq": 7,
                       "basis": "食品安全严重违法失信", "department": "市市场监督管理局",
                       "decided_on": "2024-03-18", "valid_until": "2027-03-17"}]}]},
    {"row": 2, "name": "川汇区德化社区志愿服务队", "code": "", "code_valid": None, "code_check": "",
     "matches": []},
]}


@router.post("/screen", response=responses(ScreenOut, 400, 401, 403, 422, 429),
             auth=[session_auth, key_auth("credit:screen")],
             summary="按已发布红黑榜筛查名单",
             description="对每一行（名称，可附统一社会信用代码），返回在已发布且现行有效的红名单、"
                         "黑名单中的匹配主体：代码一致、名称规范化后一致，或名称相似，附匹配分和理由。"
                         "自然人只按身份证号码匹配，返回脱敏号码。工作人员凭会话调用（须带 CSRF 令牌），"
                         "对接系统凭具有 credit:screen 权限的接口密钥调用。",
             openapi_extra=examples(SCREEN_EXAMPLE, body=SCREEN_BODY))
def screen(request, payload: ScreenIn):
    if len(payload.rows) > MAX_ROWS:
        raise HttpError(400, f"一次最多筛查 {MAX_ROWS} 行，本次 {len(payload.rows)} 行，请分批提交。")
    if not payload.rows:
        raise HttpError(400, "没有待筛查的行。")
    index = build_index()
    results = screen_rows(index, [r.dict() for r in payload.rows],
                          min_score=payload.min_score, limit=payload.limit)
    return {"listed_entities": len(index), "rows": results}
