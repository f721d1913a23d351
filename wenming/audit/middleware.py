from wenming.audit.context import client_ip
from wenming.core import public_forms


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The same address the public forms limit, behind proxies too.
        token = client_ip.set(public_forms.client_ip(request) or None)
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
