"""The JSON API: one NinjaAPI, each app contributing its router from api.py."""

from importlib import import_module

from django.urls import path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

api = NinjaAPI(title="文明办工作平台 API", version="1", urls_namespace="api")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": "请先登录平台后再调用此接口。"}, status=401)


# (URL prefix, module holding `router`)
ROUTERS = [
    ("", "wenming.briefings.api"),
    ("/credit", "wenming.credit.api"),
    ("/scoring", "wenming.scoring.api"),
]

for prefix, module in ROUTERS:
    api.add_router(prefix, import_module(module).router)

urlpatterns = [path("", api.urls)]
