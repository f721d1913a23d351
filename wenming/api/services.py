"""API keys and what integrators do with them: creating and revoking keys,
checking a presented token (and its hourly budget), filing their reports
or problems, and posting webhooks back when a problem they filed, or one
made from their report, changes status."""

import hashlib
import hmac
import json
import logging
import math
import secrets
import urllib.error
import urllib.request
import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from wenming.accounts import roles
from wenming.api.models import (
    ApiKey,
    ApiKeyUse,
    ExternalProblem,
    ExternalReport,
    WebhookDelivery,
)
from wenming.audit.services import record
from wenming.core import tokens
from wenming.core.errors import DomainError, require
from wenming.core.public_forms import RateLimited
from wenming.core.text import check_text

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "wm_"
SIGNATURE_HEADER = "X-Wenming-Signature"
# Retries after 1, 2, 4 … minutes; after the last the delivery is given up
# (about 4 hours of trying in all).
MAX_ATTEMPTS = 8


def can_manage_keys(user):
    return user is not None and user.is_authenticated and user.has_role(roles.ADMIN)


def create_key(actor, *, name, owner_unit, scopes, expires_at=None, webhook_url="",
               hourly_limit=1000):
    """A new key. Returns (key, token, webhook secret): the token and the
    secret are shown once and never stored in clear (the secret is kept to
    sign webhooks, the token only as a digest)."""
    require(can_manage_keys(actor), "只有管理员可以管理接口密钥。")
    name = check_text(name, "名称", max_length=100, required=True).strip()
    if owner_unit is None:
        raise DomainError("请选择密钥所属单位。", field="owner_unit")
    unknown = set(scopes) - set(ApiKey.Scope.values)
    if not scopes or unknown:
        raise DomainError("请选择至少一项有效的权限范围。", field="scopes")
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError("有效期应晚于当前时间。", field="expires_at")
    prefix = TOKEN_PREFIX + secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        key = ApiKey.objects.create(
            name=name, owner_unit=owner_unit, scopes=sorted(set(scopes)), prefix=prefix,
            secret_hash=tokens.digest(secret), webhook_url=webhook_url,
            webhook_secret=secrets.token_hex(32) if webhook_url else "",
            hourly_limit=hourly_limit, expires_at=expires_at, created_by=actor)
        record(actor, "apikey.create", key, after={
            "name": name, "unit": owner_unit.pk, "scopes": key.scopes,
            "expires_at": expires_at, "webhook_url": webhook_url})
    return key, f"{prefix}.{secret}", key.webhook_secret


def revoke_key(actor, key):
    require(can_manage_keys(actor), "只有管理员可以管理接口密钥。")
    with transaction.atomic():
        key = tokens.revoke(key, "该密钥已停用。")
        record(actor, "apikey.revoke", key)
    return key


def find_key(token):
    """The active key whose token this is, or None."""
    prefix, _, secret = (token or "").strip().partition(".")
    if not prefix.startswith(TOKEN_PREFIX) or not secret:
        return None
    key = ApiKey.objects.select_related("owner_unit").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.secret_hash, tokens.digest(secret)):
        return None
    return key if key.is_active else None


# Reads and writes have a budget each: a hotline polling its problems must
# not use up the share it needs to file new ones.
READ_METHODS = ("GET", "HEAD", "OPTIONS")


class KeyRateLimited(RateLimited):
    """A key's hourly budget is spent; `retry_after` seconds until the
    oldest counted use leaves the window."""

    def __init__(self, message, retry_after):
        super().__init__(message)
        self.retry_after = retry_after


def use_key(token, scope, *, method, path, ip=None):
    """The key a request presents for `scope`, its use written down. None
    when the token is no active key or lacks the scope; KeyRateLimited when
    the key made its hourly share of reads (GET) or writes already."""
    key = find_key(token)
    if key is None or scope not in key.scopes:
        return None
    now = timezone.now()
    reading = method.upper() in READ_METHODS
    # Counted from the key's own trail, so every app process sees the same
    # count; a refused request is not written, so it does not count.
    window = key.uses.filter(at__gte=now - timedelta(hours=1))
    window = window.filter(method__in=READ_METHODS) if reading else \
        window.exclude(method__in=READ_METHODS)
    if window.count() >= key.hourly_limit:
        oldest = window.order_by("at").values_list("at", flat=True).first()
        wait = max(1, math.ceil((oldest + timedelta(hours=1) - now).total_seconds()))
        kind = "读取" if reading else "写入"
        raise KeyRateLimited(
            f"该密钥每小时最多调用 {key.hourly_limit} 次（{kind}类请求），本小时已用完，"
            f"请 {math.ceil(wait / 60)} 分钟后再试。", wait)
    ApiKeyUse.objects.create(key=key, at=now, method=method.upper()[:8], path=path[:300],
                             ip=ip or None)
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


def submit_external_report(key, *, external_id="", media_url="", **report):
    """A citizen report relayed by an integrator, filed once per
    `external_id`: sending it again returns the first report. It is triaged
    like every report; the integrator hears of its problem by webhook."""
    from wenming.campaign import citizen
    from wenming.campaign.models import CitizenReport

    external_id = check_text(external_id, "外部编号", max_length=64).strip()
    media_url = check_media_url(media_url)
    if external_id:
        existing = key.reports.filter(external_id=external_id).select_related("report").first()
        if existing:
            return existing.report
    try:
        with transaction.atomic():
            # No address is passed: the per-address limit is for the
            # anonymous public; the key has its own hourly limit.
            filed = citizen.submit_report(via=CitizenReport.Via.OPEN311, ip=None, **report)
            ExternalReport.objects.create(key=key, external_id=external_id, report=filed,
                                          media_url=media_url)
            record(None, "apikey.report", filed, after={"key": key.prefix,
                                                        "external_id": external_id})
    except IntegrityError:
        existing = key.reports.filter(external_id=external_id).select_related("report").first()
        if existing is None:
            raise
        return existing.report
    return filed


def _external_problem(key, external_id):
    return ExternalProblem.objects.select_related("problem").filter(
        owner_unit_id=key.owner_unit_id, integrator=key.name, external_id=external_id).first()


def check_media_url(media_url):
    """A photo's address as given by an integrator: kept and passed on, never
    fetched, so only a web address is accepted (no javascript: or file:)."""
    media_url = check_text(media_url, "照片地址", max_length=500).strip()
    if media_url and not media_url.lower().startswith(("http://", "https://")):
        raise DomainError("照片地址应以 http:// 或 https:// 开头。", field="media_url")
    return media_url


def file_problem(key, *, external_id, service_code, description, address="", lat=None,
                 lng=None, responsible_unit=None, severity="normal", media_url=""):
    """An external report (a 12345 call) filed straight into the ledger as a
    problem for the office to dispatch, once per (integrator, external id):
    returns (problem, created). The problem belongs to `responsible_unit`,
    which must be the key's owner unit or below it (its default is the
    owner unit); status changes are posted to the key's webhook."""
    from django.conf import settings

    from wenming.campaign import catalog, citizen, services
    from wenming.campaign.models import Problem
    from wenming.core import geo

    require(key is not None and "ledger:write" in key.scopes, "该密钥没有推送问题的权限。")
    external_id = check_text(external_id, "外部编号", max_length=64, required=True).strip()
    existing = _external_problem(key, external_id)
    if existing:
        return existing.problem, False
    if service_code not in citizen.SERVICE_NAMES:
        raise DomainError("请选择问题类型。", field="service_code")
    description = check_text(description, "问题描述", max_length=4000, required=True).strip()
    address = check_text(address, "地点", max_length=200).strip()
    media_url = check_media_url(media_url)
    lat, lng = catalog.to_wgs84(lat, lng, geo.WGS84)
    if lat is None and not address:
        raise DomainError("请填写问题地点（address），或给出经纬度（lat、long）。", field="address")
    if lat is not None and not geo.within(lat, lng, settings.WENMING_CITY_BOUNDS):
        raise DomainError("坐标不在本市范围内。", field="lat")
    unit = responsible_unit or key.owner_unit
    service = citizen.SERVICE_NAMES[service_code]
    text = f"【{key.name}·{service}】{description}" + (f"（地点：{address}）" if address else "")
    try:
        with transaction.atomic():
            problem = services.create_problem(
                None, integrator=key, site=None, criterion=None, source=Problem.Source.CITIZEN,
                description=text, severity=severity, lat=lat, lng=lng,
                responsible_unit=unit, district=citizen.district_of(unit),
                client_id=uuid.uuid5(uuid.NAMESPACE_URL, "wenming:external-problem:"
                                     f"{key.owner_unit_id}:{key.name}:{external_id}"))
            ExternalProblem.objects.create(
                key=key, owner_unit_id=key.owner_unit_id, integrator=key.name,
                external_id=external_id, problem=problem, media_url=media_url)
    except IntegrityError:
        # The same id sent twice at once: the first to commit made it.
        existing = _external_problem(key, external_id)
        if existing is None:
            raise
        return existing.problem, False
    return problem, True


# Webhooks

def _payload(*, external_id, tracking_code, state, event, event_id, at, status, status_label,
             problem=None):
    is_open, note, unit, _ = state
    return {
        "event": event,
        "event_id": event_id,
        "at": timezone.localtime(at).isoformat(timespec="seconds"),
        "external_id": external_id,
        "service_request_id": tracking_code,
        "problem_id": problem.pk if problem else None,
        "status": status,
        "status_label": status_label,
        "open311_status": "open" if is_open else "closed",
        "status_notes": note,
        "responsible_unit": unit,
    }


def _enqueue(key, event_key, payload):
    # A stopped or expired key is an integrator the office no longer deals
    # with: its address hears nothing more of the problems it filed.
    if not key.webhook_url or not key.is_active:
        return None
    delivery, created = WebhookDelivery.objects.get_or_create(
        key=key, event_key=event_key, defaults={"url": key.webhook_url, "payload": payload})
    if created:
        deliver(delivery)
    return delivery


def enqueue_for_event(event_id):
    """Queue the webhook of one problem event, when an integrator with a
    webhook filed the problem or sent the report it came from; then try it
    once."""
    from wenming.campaign.citizen import problem_status, public_status
    from wenming.campaign.models import Problem, ProblemEvent

    event = ProblemEvent.objects.select_related(
        "problem", "problem__responsible_unit").filter(pk=event_id).first()
    if event is None or event.action not in ProblemEvent.TRANSITION_ACTIONS:
        return None
    filed = ExternalProblem.objects.select_related("key").filter(
        problem_id=event.problem_id).first()
    if filed is not None:
        key, external_id, tracking_code = filed.key, filed.external_id, ""
        state = problem_status(event.problem)
    else:
        link = ExternalReport.objects.select_related("key", "report").filter(
            report__problem_id=event.problem_id).first()
        if link is None:
            return None
        key, external_id, tracking_code = link.key, link.external_id, link.report.tracking_code
        state = public_status(link.report)
    # The status this event moved it to (a later one may have followed).
    status = event.to_status or event.problem.status
    return _enqueue(key, f"problem-event:{event.pk}", _payload(
        external_id=external_id, tracking_code=tracking_code, state=state,
        event=f"problem.{event.action}", event_id=event.pk, at=event.at, status=status,
        status_label=Problem.Status(status).label, problem=event.problem))


def enqueue_for_rejection(report_id):
    """Tell the integrator when the office declined its report (it never
    becomes a problem, so no problem event says so)."""
    from wenming.campaign.citizen import public_status
    from wenming.campaign.models import CitizenReport

    link = ExternalReport.objects.select_related("key", "report").filter(
        report_id=report_id, report__status=CitizenReport.Status.REJECTED).first()
    if link is None:
        return None
    return _enqueue(link.key, f"report-rejected:{report_id}", _payload(
        external_id=link.external_id, tracking_code=link.report.tracking_code,
        state=public_status(link.report), event="report.rejected", event_id=report_id,
        at=link.report.triaged_at or timezone.now(), status="rejected",
        status_label=CitizenReport.Status.REJECTED.label))


def sign(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliver(delivery):
    """One attempt at a due delivery. The attempt is claimed first (the
    attempt counter moves only if nobody else moved it), so two runs of the
    cron job, or the job and the immediate attempt, never post it twice at
    once."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.PENDING, attempts=delivery.attempts,
        next_attempt_at__lte=now,
    ).update(attempts=F("attempts") + 1,
             next_attempt_at=now + timedelta(minutes=2 ** delivery.attempts))
    if not claimed:
        return False
    delivery.refresh_from_db()
    if not delivery.key.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.FAILED, last_error="接口密钥已停用或过期，不再回调。")
        return False
    body = json.dumps(delivery.payload, ensure_ascii=False).encode()
    request = urllib.request.Request(delivery.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: sign(delivery.key.webhook_secret, body),
        "X-Wenming-Delivery": str(delivery.pk),
        "User-Agent": "wenming-webhook/1",
    })
    code, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            code = response.status
    except urllib.error.HTTPError as e:
        code, error = e.code, f"HTTP {e.code}"
    except (urllib.error.URLError, OSError) as e:
        error = str(getattr(e, "reason", e))[:300]
    fields = {"response_code": code, "last_error": error}
    if code is not None and 200 <= code < 300:
        fields.update(status=WebhookDelivery.Status.DELIVERED, delivered_at=timezone.now())
    elif delivery.attempts >= MAX_ATTEMPTS:
        fields.update(status=WebhookDelivery.Status.FAILED)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)
    if error:
        logger.warning("webhook %s failed: %s", delivery.pk, error)
    return fields.get("status") == WebhookDelivery.Status.DELIVERED


def deliver_due():
    """Every pending delivery whose time has come; returns (tried, delivered)."""
    due = WebhookDelivery.objects.select_related("key").filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "id")[:500]
    tried = delivered = 0
    for delivery in due:
        tried += 1
        delivered += deliver(delivery)
    return tried, delivered
