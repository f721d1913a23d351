"""How API callers prove who they are."""

from ninja.security import SessionAuth


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
