"""The error bodies every endpoint may answer, for its OpenAPI responses."""

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


def responses(ok, *codes):
    """`response=` for an operation answering `ok` with 200, plus the
    documented error codes: 400 refused value (also a NUL character in any
    query parameter, wenming.core.middleware), 401 not signed in, 403 role
    missing, 404 nothing to answer, 422 parameters not of the documented form."""
    out = {200: ok}
    for code in codes:
        out[code] = ValidationErrorOut if code == 422 else ErrorOut
    return out
