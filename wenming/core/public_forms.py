"""Public forms without a login (随手拍, public nominations and objections,
the online survey): who is sending, a signed form token, a honeypot field
and an hourly limit per address, all kept without any outside service.

The token is issued with the form, bound to what the form is for, and says
when it was issued: a form sent back within seconds (a script) or hours
later (a replayed page) is refused. It also carries a random nonce, so a
service can make one record per form however often it is sent.
"""

import ipaddress
import secrets
import time
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone

from wenming.core.errors import DomainError

_SALT = "wenming.core.public-form"
_INVALID = "表单校验失败，请刷新页面后重新提交。"


def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request):
    """The sender's address. Behind N reverse proxies (the same setting as
    login throttling), the Nth entry from the right of X-Forwarded-For: the
    one our own outermost proxy wrote; entries further left are whatever the
    client claimed. Not an address (a misconfigured proxy): REMOTE_ADDR."""
    proxies = settings.AXES_IPWARE_PROXY_COUNT or 0
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if p.strip()]
    if proxies and len(forwarded) >= proxies:
        ip = _valid_ip(forwarded[-proxies])
        if ip:
            return ip
    return _valid_ip(request.META.get("REMOTE_ADDR", "")) or ""


def form_token(purpose, issued_at=None):
    """The token of a form for `purpose` (e.g. "nominate:3"), issued now
    unless `issued_at` (a Unix time) says otherwise."""
    issued_at = time.time() if issued_at is None else issued_at
    return signing.dumps({"p": purpose, "n": secrets.token_hex(16), "t": int(issued_at)},
                         salt=_SALT, compress=True)


def renew_form_token(form, purpose):
    """Give a refused form, shown again, a new token, so that the mended
    form is not refused in turn as a replay or as expired."""
    form.data = form.data.copy()
    form.data["token"] = form_token(purpose)


def check_form_token(token, purpose):
    """The form's nonce; DomainError when the token is forged, for another
    form, too old or too fresh."""
    max_age = settings.WENMING_PUBLIC_FORM_MAX_AGE
    min_seconds = settings.WENMING_PUBLIC_FORM_MIN_SECONDS
    try:
        data = signing.loads(token or "", salt=_SALT)
    except signing.BadSignature:
        raise DomainError(_INVALID) from None
    if not isinstance(data, dict) or data.get("p") != purpose or not data.get("n"):
        raise DomainError(_INVALID)
    age = time.time() - data.get("t", 0)
    if age > max_age:
        raise DomainError("页面停留时间过长，表单已失效，请刷新页面后重新提交。")
    if age < min_seconds:  # nobody reads and fills a form this fast
        raise DomainError("提交过快，请核对填写内容后再提交。")
    return data["n"]


def form_token_is_live(token, purpose):
    """Whether a page of this form, opened within the last max-age, sent
    `token`: for the lookups a form makes while it is being filled in,
    which the too-fresh rule of a submit would refuse."""
    try:
        data = signing.loads(token or "", salt=_SALT,
                             max_age=settings.WENMING_PUBLIC_FORM_MAX_AGE)
    except signing.BadSignature:
        return False
    return isinstance(data, dict) and data.get("p") == purpose


class HoneypotField(forms.CharField):
    """A field people leave empty (the page's stylesheet hides it, class
    "hp") and form-filling scripts do not."""

    widget = forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "网址（请勿填写）")
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        if value:
            raise forms.ValidationError("提交失败，请刷新页面后重试。")
        return ""


class RateLimited(DomainError):
    """Too many submits from one address (an API answers 429)."""


# The limit counts the records an address made, read from the app's own
# table (a `submitter_ip` and `created_at` with an index on both), rather
# than a counter in Django's cache: the default cache lives in each process,
# and the design runs several app processes with no shared cache, so a
# cache counter would let every process take its own full share. The rows
# are written anyway, the count is one indexed query, and a refused submit
# stores nothing, so there is nothing to count for it. Two submits racing at
# the very edge of the limit may both pass; for holding off spam that is
# acceptable, where a lock per address would not be.
def check_rate(rows, ip, limit, *, seconds=3600, message="提交过于频繁，请一小时后再试。"):
    """RateLimited when `ip` already made `limit` of `rows` (a queryset)
    within the last `seconds`. Without an address (no request) nothing is
    counted."""
    if not ip:
        return
    since = timezone.now() - timedelta(seconds=seconds)
    if rows.filter(submitter_ip=ip, created_at__gte=since).count() >= limit:
        raise RateLimited(message)


# No 0/O or 1/I: a tracking code is read aloud over the phone and typed
# back from a note.
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def tracking_code(prefix, taken, length=6):
    """A new code such as "YY-7KQ3MZ" for a public submission, which the
    sender keeps to look up its state later. `taken(code)` says whether a
    code is already used; with 32**6 codes a clash is rare, but a repeat
    would show someone else's case, so it is checked."""
    while True:
        code = f"{prefix}-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(length))
        if not taken(code):
            return code


def normalize_tracking_code(text):
    """What a person typed (lower case, spaces, a missing dash) as stored."""
    compact = "".join((text or "").split()).upper().replace("－", "-")[:20]
    if "-" not in compact and len(compact) > 2:
        compact = f"{compact[:2]}-{compact[2:]}"
    return compact
