"""How API callers prove who they are: a signed-in session, or an
integrator's key as `Authorization: Bearer <key>`."""

from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from wenming.core.public_forms import RateLimited, client_ip


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
    """An API key holding `scope`; `request.auth` is then the ApiKey. A key
    over its hourly limit is answered 429."""

    def __init__(self, scope):
        super().__init__()
        self.scope = scope

    def authenticate(self, request, token):
        from wenming.api.services import use_key

        try:
            return use_key(token, self.scope, method=request.method,
                           path=request.path, ip=client_ip(request))
        except RateLimited as e:
            raise HttpError(429, e.message) from None


def key_auth(scope):
    return KeyAuth(scope)
