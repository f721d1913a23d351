class DomainError(Exception):
    """A refused action, with a Chinese message the user can act on."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


def require(condition, message):
    """Permission check inside a service: raise PermissionDenied with a
    Chinese reason when `condition` is false."""
    from django.core.exceptions import PermissionDenied

    if not condition:
        raise PermissionDenied(message)
