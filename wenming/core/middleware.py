from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from wenming.core.web import BadQuery


class UploadLimitMiddleware:
    """Refuse a request body over WENMING_MAX_UPLOAD_BYTES from its
    Content-Length, before any of it is read or spooled to disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.WENMING_MAX_UPLOAD_BYTES
        if length > limit:
            body = render_to_string("error.html", {
                "code": 413, "title": "上传文件过大",
                "message": f"上传内容共 {length / 1048576:.1f} MB，超过 {limit / 1048576:.0f} MB 的上限，"
                           "已拒绝接收。请压缩或拆分后重试。",
            }, request=request)
            return HttpResponse(body, status=413)
        return self.get_response(request)


class QueryNulMiddleware:
    """Refuse a query string carrying a NUL character (400): no page needs
    one, and PostgreSQL fails on it in any text comparison, so each view
    would otherwise have to strip it before filtering."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for _, values in request.GET.lists() for value in values):
            raise BadQuery("地址中的参数含有空字符（\\x00），已拒绝。")
        return self.get_response(request)
