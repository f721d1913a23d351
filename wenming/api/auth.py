"""How API callers prove who they are: a signed-in session, or an
integrator's key as `Authorization: Bearer <key>`."""

from ninja.security import HttpBearer, SessionAuth

from wenming.core.public_forms import client_ip


class PlatformSession(SessionAuth):
    """The signed-in browser session, as ninja's `django_auth`, except that
    a caller without one is told to sign in (401) instead of failing the
    CSRF check first (403 "CSRF check Failed"): CSRF only protects a
    session, and an anonymous caller has none."""

    def __call__(self, request):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


session_auth = PlatformSession()


class KeyAuth(HttpBearer):
    """An API key holding `scope`; `request.auth` is then the ApiKey. Every
    request it authenticates counts against the key's hourly budget (reads
    and writes apart); over it the answer is 429 with Retry-After."""

    def __init__(self, scope):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        from wenming.api.services import use_key

        # Over the limit, use_key raises KeyRateLimited: the API's handler
        # (wenming.api.urls) answers 429 with Retry-After.
        return use_key(token, self.scope, method=request.method,
                       path=request.path, ip=client_ip(request))


def key_auth(scope):
    return KeyAuth(scope)
