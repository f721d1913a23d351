"""Delivery of queued notifications to a group robot (企业微信 / 钉钉).

Configured in settings or the environment:
  WENMING_WEBHOOK_URL     the robot's webhook address (nothing is sent without it)
  WENMING_WEBHOOK_KIND    wecom (default) or dingtalk
  WENMING_WEBHOOK_SECRET  DingTalk "加签" secret, if the robot uses one

Each message is a robot text message that @-mentions the unit's liaisons by
mobile number. A message is sent at most once: it is marked sent as soon as
the robot answers errcode 0, and only unsent ones are tried again.
"""

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils import timezone

from wenming.campaign.models import Notification

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
TIMEOUT = 5
WECOM, DINGTALK = "wecom", "dingtalk"


def webhook():
    """(url, kind, secret) or None when no robot is configured."""
    url = settings.WENMING_WEBHOOK_URL
    if not url:
        return None
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("WENMING_WEBHOOK_URL 应为 http:// 或 https:// 地址")
    kind = (settings.WENMING_WEBHOOK_KIND or WECOM).lower()
    if kind not in (WECOM, DINGTALK):
        raise ValueError(f"WENMING_WEBHOOK_KIND 应为 wecom 或 dingtalk，而不是 {kind!r}")
    return url, kind, settings.WENMING_WEBHOOK_SECRET


def payload(notification, kind):
    """The robot's JSON message for a notification."""
    text = notification.text
    mobiles = list(notification.mobiles or [])
    if kind == DINGTALK:
        # DingTalk shows an @ only when the number is also in the text.
        if mobiles:
            text += "\n" + " ".join(f"@{m}" for m in mobiles)
        return {"msgtype": "text", "text": {"content": text},
                "at": {"atMobiles": mobiles, "isAtAll": False}}
    return {"msgtype": "text", "text": {"content": text, "mentioned_mobile_list": mobiles}}


def _signed(url, secret):
    timestamp = str(round(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp}&sign={sign}"


def send(notification, config):
    url, kind, secret = config
    if kind == DINGTALK and secret:
        url = _signed(url, secret)
    body = json.dumps(payload(notification, kind), ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        answer = json.loads(response.read() or b"{}")
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def deliver_pending(limit=500):
    """Send what is queued; returns (sent, failed). Without a configured
    robot nothing leaves and the queue waits."""
    config = webhook()
    if config is None:
        return 0, 0
    sent = failed = 0
    queue = Notification.objects.filter(
        status__in=[Notification.Status.PENDING, Notification.Status.FAILED],
        attempts__lt=MAX_ATTEMPTS).order_by("created_at", "id")[:limit]
    for notification in queue:
        # Claim it first, so two ticks running at once never send it twice.
        claimed = Notification.objects.filter(
            pk=notification.pk, status=notification.status, attempts=notification.attempts
        ).update(attempts=notification.attempts + 1)
        if not claimed:
            continue
        try:
            send(notification, config)
        except (OSError, ValueError, RuntimeError, urllib.error.URLError) as e:
            Notification.objects.filter(pk=notification.pk).update(
                status=Notification.Status.FAILED, last_error=str(e)[:300])
            logger.warning("webhook failed for notification %s: %s", notification.pk, e)
            failed += 1
        else:
            Notification.objects.filter(pk=notification.pk).update(
                status=Notification.Status.SENT, sent_at=timezone.now(), last_error="")
            sent += 1
    return sent, failed
