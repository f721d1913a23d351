"""Secret tokens handed out once (API keys, wall-screen links): kept only as
a digest, stopped by setting `revoked_at` under a row lock."""

import hashlib

from django.utils import timezone

from wenming.core.errors import DomainError


def digest(token):
    # A token is 32 random bytes: a plain SHA-256 is enough; a slow hash
    # protects guessable passwords, not high-entropy tokens.
    return hashlib.sha256(token.encode()).hexdigest()


def revoke(row, already):
    """Stop `row` (a model instance with `revoked_at`) inside the caller's
    transaction, which records it; a second stop is refused with `already`.
    Returns the row as locked and saved."""
    row = type(row).objects.select_for_update().get(pk=row.pk)
    if row.revoked_at is not None:
        raise DomainError(already)
    row.revoked_at = timezone.now()
    row.save(update_fields=["revoked_at"])
    return row
