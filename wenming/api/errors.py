"""The error bodies every endpoint may answer, for its OpenAPI responses,
and the examples each operation shows in the document."""

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    detail: str = Field(description="错误原因（中文）")


class ValidationErrorItem(Schema):
    type: str
    loc: list[str | int] = Field(description="出错参数的位置，如 [\"query\", \"year_from\"]")
    msg: str


class ValidationErrorOut(Schema):
    detail: list[ValidationErrorItem] = Field(description="不符合接口定义的参数，每项一条")


# What each documented error code means here, with an answer as it comes;
# the API adds both to every operation that lists the code
# (wenming.api.urls.DocumentedAPI).
ERRORS = {
    400: ("参数取值有误，原因见 detail（查询参数中含 NUL 字符也是 400）",
          {"detail": "一次最多筛查 5000 行，本次 6000 行，请分批提交。"}),
    401: ("未登录，或接口密钥无效、已停用、已过期、没有调用此接口的权限",
          {"detail": "接口密钥无效、已停用、已过期，或没有调用此接口的权限。"}),
    403: ("已登录但没有所需的角色，或会话请求未通过 CSRF 校验",
          {"detail": "只有文明办工作人员可以查看考核排名数据。"}),
    404: ("不存在，或不在您（或密钥所属单位）的查看范围内",
          {"detail": "未找到，或不在您的查看范围内。"}),
    422: ("参数不符合接口定义（类型、长度、取值范围）",
          {"detail": [{"type": "int_parsing", "loc": ["query", "year"],
                       "msg": "Input should be a valid integer"}]}),
    429: ("调用过于频繁：密钥本小时的读取或写入次数已用完；响应头 Retry-After 为需等待的秒数",
          {"detail": "该密钥每小时最多调用 1000 次（读取类请求），本小时已用完，请 12 分钟后再试。"}),
}


def responses(ok, *codes, status=200):
    """`response=` for an operation answering `ok` with `status`, plus the
    documented error codes: 400 refused value (also a NUL character in any
    query parameter, wenming.core.middleware), 401 not signed in, 403 role
    missing, 404 nothing to answer, 422 parameters not of the documented
    form, 429 the key's hourly budget spent."""
    out = {status: ok}
    for code in codes:
        out[code] = ValidationErrorOut if code == 422 else ErrorOut
    return out


def examples(ok, *, body=None, status=200):
    """`openapi_extra=` showing `ok` as the answer with `status`, and `body`
    as the request body."""
    out = {"responses": {status: {"content": {"application/json": {"example": ok}}}}}
    if body is not None:
        out["requestBody"] = {"content": {"application/json": {"example": body}}}
    return out
