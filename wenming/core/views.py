from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def _error(request, code, title, message):
    return render(request, "error.html",
                  {"code": code, "title": title, "message": message}, status=code)


def bad_request(request, exception=None):
    from wenming.core.web import BadQuery

    reason = (str(exception) if isinstance(exception, BadQuery)
              else "请求中的参数无法识别，请检查地址后重试。")
    # The JSON API (mounted at api/) answers its callers in its own format.
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": reason}, status=400)
    return _error(request, 400, "请求有误", reason)


def permission_denied(request, exception=None):
    reason = str(exception) if exception and str(exception) else "您没有执行此操作的权限。"
    return _error(request, 403, "无权访问", reason)


def page_not_found(request, exception=None):
    return _error(request, 404, "页面不存在", "您访问的页面不存在，或您无权查看。")


def server_error(request):
    return HttpResponseServerError(loader.render_to_string("500.html"))
