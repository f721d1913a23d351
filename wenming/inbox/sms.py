"""Sending 短信 through the office's SMS gateway.

The backend is chosen in settings, so no vendor is written into the code:

  WENMING_SMS_BACKEND   none (default): nothing is sent, each message is
                        logged and marked 未发送; http: the generic gateway
                        below; or the dotted path of a class of your own
  WENMING_SMS_URL       http: where to POST
  WENMING_SMS_SECRET    http: the key of the HMAC-SHA256 signature
  WENMING_SMS_TIMEOUT   http: seconds to wait for the gateway (default 5)

The http backend POSTs {"mobile", "text", "id"} as JSON with the header
X-Wenming-Signature: sha256=<hex HMAC of the body>. Any 2xx answer means
sent; anything else is tried again by the tick after 1, 2, 4 … minutes, up
to MAX_ATTEMPTS times. `id` is the same on every try, so a gateway that
answered late can drop the repeat.

A backend of your own is a class whose `send(mobile, text, message_id)`
returns when the gateway took the message and raises otherwise.
"""

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from wenming.inbox.models import TextMessage

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 6
SIGNATURE_HEADER = "X-Wenming-Signature"


class NoGateway:
    """No gateway configured: the message is logged, never sent."""

    sends = False

    def send(self, mobile, text, message_id):
        logger.info("SMS %s not sent (WENMING_SMS_BACKEND=none)", message_id)


class HttpGateway:
    sends = True

    def __init__(self):
        self.url = getattr(settings, "WENMING_SMS_URL", "")
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise ValueError("WENMING_SMS_URL 应为 http:// 或 https:// 地址")
        self.secret = getattr(settings, "WENMING_SMS_SECRET", "")
        self.timeout = getattr(settings, "WENMING_SMS_TIMEOUT", 5)

    def send(self, mobile, text, message_id):
        body = json.dumps({"mobile": mobile, "text": text, "id": message_id},
                          ensure_ascii=False).encode()
        request = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(self.secret, body),
            "User-Agent": "wenming-sms/1",
        })
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            if not 200 <= response.status < 300:
                raise RuntimeError(f"HTTP {response.status}")


def sign(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def gateway():
    name = (getattr(settings, "WENMING_SMS_BACKEND", "") or "none").strip()
    if name.lower() == "none":
        return NoGateway()
    if name.lower() == "http":
        return HttpGateway()
    return import_string(name)()


def message_id(text_message):
    return f"wenming-sms-{text_message.pk}"


def send_due(limit=500):
    """Try every 短信 whose time has come; returns (sent, failed). Each try
    is claimed first (the attempt counter moves only if nobody else moved
    it), so two ticks at once never send one twice."""
    try:
        backend = gateway()
    except (ValueError, ImportError) as e:
        # A wrong setting must not stop the tick's ledger work; the 短信
        # wait, pending, until the setting is put right.
        logger.error("SMS gateway not usable, nothing sent: %s", e)
        return 0, 0
    now = timezone.now()
    due = TextMessage.objects.filter(status=TextMessage.Status.PENDING,
                                     next_attempt_at__lte=now).order_by("next_attempt_at", "id")
    if not backend.sends:
        skipped = list(due.values_list("pk", flat=True)[:limit])
        for pk in skipped:
            backend.send("", "", f"wenming-sms-{pk}")
        TextMessage.objects.filter(pk__in=skipped, status=TextMessage.Status.PENDING).update(
            status=TextMessage.Status.SKIPPED)
        return 0, 0
    sent = failed = 0
    for sms in due[:limit]:
        outcome = _try(backend, sms, now)
        sent += outcome is True
        failed += outcome is False
    return sent, failed


def _try(backend, sms, now):
    claimed = TextMessage.objects.filter(
        pk=sms.pk, status=TextMessage.Status.PENDING, attempts=sms.attempts,
    ).update(attempts=F("attempts") + 1,
             next_attempt_at=now + timedelta(minutes=2 ** sms.attempts))
    if not claimed:
        return None
    try:
        backend.send(sms.mobile, sms.text, message_id(sms))
    except Exception as e:  # noqa: BLE001 - a custom backend may raise anything
        error = f"HTTP {e.code}" if isinstance(e, urllib.error.HTTPError) else str(e)
        fields = {"last_error": error[:300]}
        if sms.attempts + 1 >= MAX_ATTEMPTS:
            fields["status"] = TextMessage.Status.FAILED
        TextMessage.objects.filter(pk=sms.pk).update(**fields)
        logger.warning("SMS %s failed: %s", sms.pk, error)
        return False
    TextMessage.objects.filter(pk=sms.pk).update(
        status=TextMessage.Status.SENT, sent_at=timezone.now(), last_error="")
    return True
