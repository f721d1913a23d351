"""Putting messages on desks, reading them, and choosing channels.

`deliver` is what the apps call, inside the transaction of the change that
put the work there, so the message commits with the change or not at all.
Each (recipient, key) lands once: a unique constraint, not a check first,
so two ticks or two clicks at the same moment still make one message and
one 短信."""

import re

from django.db import transaction
from django.utils import timezone

from wenming.audit.services import record
from wenming.core.errors import DomainError, require
from wenming.core.idcard import normalize_phone
from wenming.inbox.models import Message, Preference, TextMessage

SMS_SIGNATURE = "【文明办】"
SMS_MAX = 300
_MOBILE = re.compile(r"1[3-9]\d{9}")


def mobile_number(phone):
    """The 11-digit mobile number in `phone`, or "" (a landline gets no 短信)."""
    phone = normalize_phone(phone)
    phone = phone[3:] if phone.startswith("+86") else phone
    return phone if _MOBILE.fullmatch(phone) else ""


def is_mobile(phone):
    return bool(mobile_number(phone))


def deliver(recipients, key, title, text="", url="", *, actor=None):
    """One message to each recipient (users; None and inactive ones are
    skipped), and a 短信 to those who chose it. The `actor` whose step it
    was is not told of it."""
    if actor is not None:
        recipients = [u for u in recipients if u is not None and u.pk != actor.pk]
    return deliver_many([(recipients, key, title, text, url)])


def deliver_many(items):
    """Several `deliver`s at once, for the tick's batches: one insert of
    the messages and one of the 短信. Returns how many messages were
    offered; those already there stay as they were."""
    now = timezone.now()
    messages, wanted, users = [], [], {}
    for recipients, key, title, text, url in items:
        for user in recipients:
            if user is None or not user.is_active:
                continue
            users[user.pk] = user
            messages.append(Message(recipient_id=user.pk, key=key[:200], title=title[:200],
                                    text=text, url=url[:500], created_at=now))
            wanted.append((user.pk, key, sms_text(f"{title}：{text}" if text else title)))
    if not messages:
        return 0
    Message.objects.bulk_create(messages, ignore_conflicts=True, batch_size=500)
    chosen = set(Preference.objects.filter(user_id__in=list(users), sms=True)
                 .values_list("user_id", flat=True))
    queue_texts([(f"user:{pk}", users[pk].phone, key, body) for pk, key, body in wanted
                 if pk in chosen])
    return len(messages)


def queue_texts(texts):
    """Queue 短信 given as (recipient, mobile, key, text); the tick sends
    them. A (recipient, key) already queued is left as it is."""
    now = timezone.now()
    rows = [TextMessage(recipient=recipient[:40], mobile=mobile_number(mobile), key=key[:200],
                        text=text[:SMS_MAX], created_at=now, next_attempt_at=now)
            for recipient, mobile, key, text in texts if is_mobile(mobile or "")]
    TextMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def sms_text(body):
    """A 短信 as people receive it: the sender's signature first."""
    return (SMS_SIGNATURE + body)[:SMS_MAX]


# Reading. Opening one's own message changes nothing of the platform's
# records (the read mark is the whole record), so it is not audited.

def open_message(user, message):
    if message.recipient_id != user.pk:
        raise DomainError("这不是您的消息。")
    if message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(
            read_at=message.read_at)
    return message


def mark_all_read(user):
    return Message.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())


def unread_count(user):
    if not user.is_authenticated:
        return 0
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()


# Channels

def preferences(user):
    """The user's channels (the defaults until saved once)."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)


@transaction.atomic
def save_preferences(actor, user, *, sms, robot):
    """消息设置: each user chooses for themselves. 短信 needs a mobile
    number on the user."""
    require(actor.is_authenticated and actor.pk == user.pk, "只能修改自己的消息设置。")
    if sms and not is_mobile(user.phone):
        raise DomainError("开通短信提醒需要登记11位手机号，请联系管理员在用户信息中填写。",
                          field="sms")
    pref = Preference.objects.select_for_update().filter(user=user).first() \
        or Preference(user=user)
    before = {"sms": pref.sms, "robot": pref.robot}
    pref.sms, pref.robot = bool(sms), bool(robot)
    pref.save()
    record(actor, "preference.update", user, object_type="inbox.preference",
           before=before, after={"sms": pref.sms, "robot": pref.robot})
    return pref


def robot_muted(user_ids):
    """Of these users, the ids of those who asked their unit's group robot
    not to @-mention them."""
    return set(Preference.objects.filter(user_id__in=list(user_ids), robot=False)
               .values_list("user_id", flat=True))
