"""The JSON API: one NinjaAPI, each app contributing its router from api.py;
the staff pages of API keys under /api/keys/."""

from importlib import import_module

from django.http import Http404
from django.urls import include, path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from wenming.api import views
from wenming.api.errors import ERRORS
from wenming.api.services import KeyRateLimited

DESCRIPTION = """文明办工作平台对外接口。

**认证**：已登录的工作人员凭会话调用；对接系统（如12345热线、省级平台）凭管理员发放的接口密钥调用，
请求头为 `Authorization: Bearer <密钥>`。密钥按权限范围授权（`open311:write`、`ledger:read`、
`ledger:write`、`credit:screen`），只能看到所属单位范围内的数据，范围外的对象一律返回 404。
每个密钥每小时有调用上限，读取（GET）和写入（POST 等）分别计数，每次经密钥认证的请求都计入；
超出返回 429，响应头 `Retry-After` 为需等待的秒数。未带密钥的公众提交仍按来源地址限流。

**错误**：除 Open311 接口外，错误均为 `{"detail": "说明"}`，状态码 400 参数有误、401 未认证、
404 不存在或无权查看、429 调用过于频繁。

**Open311 GeoReport v2** 接口位于 `/campaign/open311/v2/`（见 `discovery.json`），错误格式遵循该规范。

**对接方推送**：`POST /api/ledger/problems` 把工单直接登记为待交办的问题（同一 external_id 只登记一次）；
需要文明办先核实的群众诉求走 `POST /api/ledger/reports` 或 Open311，受理后转为问题。

**Webhook**：对接方登记的问题、或其推送的诉求转成的问题，每次状态变化向密钥的回调地址 POST 一份 JSON，
请求头 `X-Wenming-Signature: sha256=<HMAC-SHA256(回调密钥, 请求体)>`；未返回 2xx 时按 1、2、4……分钟重试。
"""

class DocumentedAPI(NinjaAPI):
    """Every error response an operation lists is described in Chinese with
    an example body, the same for every operation (wenming.api.errors.ERRORS)."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for code, response in operation["responses"].items():
                    if int(code) in ERRORS:
                        text, example = ERRORS[int(code)]
                        response["description"] = text
                        content = response.setdefault("content", {}).setdefault(
                            "application/json", {})
                        content.setdefault("example", example)
        return schema


api = DocumentedAPI(title="文明办工作平台 API", version="1", description=DESCRIPTION,
                    urls_namespace="api")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    if request.headers.get("Authorization"):
        detail = "接口密钥无效、已停用、已过期，或没有调用此接口的权限。"
    else:
        detail = "请先登录平台后再调用此接口。"
    return api.create_response(request, {"detail": detail}, status=401)


@api.exception_handler(KeyRateLimited)
def _rate_limited(request, exc):
    response = api.create_response(request, {"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "未找到，或不在您的查看范围内。"}, status=404)


# (URL prefix, module holding `router`)
ROUTERS = [
    ("", "wenming.briefings.api"),
    ("/credit", "wenming.credit.api"),
    ("/scoring", "wenming.scoring.api"),
    ("/honors", "wenming.honors.api"),
    ("/ledger", "wenming.campaign.api"),
]

for prefix, module in ROUTERS:
    api.add_router(prefix, import_module(module).router)

key_patterns = ([
    path("", views.key_list, name="key_list"),
    path("new/", views.key_new, name="key_new"),
    path("<int:pk>/", views.key_detail, name="key_detail"),
    path("<int:pk>/revoke/", views.key_revoke, name="key_revoke"),
], "apikeys")

urlpatterns = [
    path("keys/", include(key_patterns)),
    path("", api.urls),
]
