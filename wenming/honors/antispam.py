"""Public forms without a login: a signed, time-stamped form token and a
per-address rate limit, both kept without any outside service.

The token is issued with the form and says when it was issued; a form sent
back within seconds (a script) or hours later (a replayed page) is refused.
The rate limit counts what an address sent in the last hour from the
records themselves, so it holds across processes without a shared cache.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from wenming.core.errors import DomainError

_SALT = "wenming.honors.public-form"


def _setting(name, default):
    return getattr(settings, name, default)


def form_token(purpose, issued_at=None):
    """The token of a form for `purpose` (e.g. "nominate:3"), issued now
    unless `issued_at` (a Unix time) says otherwise."""
    issued_at = time.time() if issued_at is None else issued_at
    return signing.dumps({"p": purpose, "t": issued_at}, salt=_SALT, compress=True)


def check_form_token(token, purpose):
    max_age = _setting("WENMING_PUBLIC_FORM_MAX_AGE", 2 * 3600)
    min_seconds = _setting("WENMING_PUBLIC_FORM_MIN_SECONDS", 3)
    try:
        data = signing.loads(token or "", salt=_SALT)
    except signing.BadSignature:
        raise DomainError("表单校验失败，请刷新页面后重新提交。") from None
    if not isinstance(data, dict) or data.get("p") != purpose:
        raise DomainError("表单校验失败，请刷新页面后重新提交。")
    age = time.time() - float(data.get("t", 0))
    if age > max_age:
        raise DomainError("页面停留时间过长，表单已失效，请刷新页面后重新提交。")
    if age < min_seconds:
        raise DomainError("提交过快，请核对填写内容后再提交。")


def check_rate(queryset, ip, setting_name, default_per_hour):
    """Refuse when `ip` already sent `limit` records within the hour."""
    limit = _setting(setting_name, default_per_hour)
    if not ip:
        return
    since = timezone.now() - timedelta(hours=1)
    if queryset.filter(submitter_ip=ip, created_at__gte=since).count() >= limit:
        raise DomainError("提交过于频繁，请一小时后再试。")
