from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def role_required(*role_names):
    """Signed-in users holding one of `role_names`; others get the 403 page."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if role_names and not request.user.has_role(*role_names):
                raise PermissionDenied("您没有访问此页面的权限。")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
