"""The scheduled tick (`wenming campaign tick`, from cron).

It marks problems overdue, escalates them level by level with a numbered
supervision notice each, reminds units of deadlines coming up (through the
group robot and in the liaisons' inboxes), and delivers queued robot
messages and 短信. What it did is written on the problems themselves
(escalation level, the deadline reminded for), so a second run finds
nothing left to do and sends nothing twice.

It works in batches with set-based writes, so it stays fast over a ledger
of millions of rows; each batch re-reads its rows under lock so a unit's
submission at the same moment is never overwritten.
"""

import hashlib
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from wenming.audit.services import record
from wenming.campaign import desk, notify
from wenming.campaign.models import (
    Campaign,
    NoticeCounter,
    Problem,
    ProblemEvent,
    SupervisionNotice,
)
from wenming.campaign.services import TRANSITIONS, notice_content, queue_notification
from wenming.inbox import sms

BATCH = 500
OPEN = sorted(TRANSITIONS["overdue"].sources)


def run_tick(now=None, deliver=True):
    now = now or timezone.now()
    totals = {"overdue": 0, "notices": 0, "reminded": 0, "sent": 0, "failed": 0,
              "sms_sent": 0, "sms_failed": 0}
    for campaign in Campaign.objects.all():
        overdue, notices = _escalate(campaign, now)
        totals["overdue"] += overdue
        totals["notices"] += notices
        totals["reminded"] += _remind(campaign, now)
    if deliver:
        totals["sent"], totals["failed"] = notify.deliver_pending()
        totals["sms_sent"], totals["sms_failed"] = sms.send_due()
    if totals["overdue"] or totals["notices"] or totals["reminded"]:
        record(None, "campaign.tick", None, object_type="campaign.problem", after=totals)
    return totals


def target_level(campaign, deadline, now):
    late = now - deadline
    if late < timedelta(0):
        return 0
    if late >= timedelta(days=campaign.level3_after_days):
        return 3
    if late >= timedelta(days=campaign.level2_after_days):
        return 2
    return 1


def _batches(ids):
    for i in range(0, len(ids), BATCH):
        yield ids[i:i + BATCH]


def _escalate(campaign, now):
    l2 = now - timedelta(days=campaign.level2_after_days)
    l3 = now - timedelta(days=campaign.level3_after_days)
    due = Problem.objects.filter(campaign=campaign, status__in=OPEN, deadline__lt=now).filter(
        Q(escalation_level__lt=1) | Q(deadline__lt=l2, escalation_level__lt=2)
        | Q(deadline__lt=l3, escalation_level__lt=3))
    ids = list(due.order_by("id").values_list("id", flat=True))
    overdue = notices = 0
    for batch in _batches(ids):
        o, n = _escalate_batch(campaign, batch, now)
        overdue, notices = overdue + o, notices + n
    return overdue, notices


@transaction.atomic
def _escalate_batch(campaign, ids, now):
    problems = list(Problem.objects.select_for_update(of=("self",))
                    .filter(pk__in=ids, status__in=OPEN, deadline__lt=now)
                    .select_related("site", "responsible_unit", "criterion", "campaign")
                    .order_by("id"))
    changes = []
    for p in problems:
        level = target_level(campaign, p.deadline, now)
        if level > p.escalation_level:
            changes.append((p, level, not p.is_overdue))
    if not changes:
        return 0, 0
    year = timezone.localtime(now).year
    counter, _ = NoticeCounter.objects.select_for_update().get_or_create(year=year)
    first_seq = counter.last + 1
    counter.last += len(changes)
    counter.save()
    notices, events = [], []
    for seq, (p, level, newly) in enumerate(changes, start=first_seq):
        days = max(1, (now - p.deadline).days + 1)
        reason = f"逾期{days}天未完成整改"
        p.is_overdue, p.escalation_level = True, level
        notices.append(SupervisionNotice(
            problem=p, year=year, seq=seq, prefix=campaign.notice_prefix, level=level,
            reason=reason, issued_at=now, content=notice_content(p, level, reason, now)))
        if newly:
            events.append(ProblemEvent(problem=p, action="overdue", from_status=p.status,
                                       to_status=p.status, at=now,
                                       note=f"已超过整改时限{days}天"))
    SupervisionNotice.objects.bulk_create(notices)
    by_unit = defaultdict(list)
    for notice, (p, level, _newly) in zip(notices, changes, strict=True):
        events.append(ProblemEvent(
            problem=p, action="escalate", from_status=p.status, to_status=p.status, at=now,
            note=notice.reason, data={"level": level, "notice": notice.number,
                                      "notice_id": notice.pk}))
        by_unit[p.responsible_unit].append((p, notice))
    Problem.objects.bulk_update([p for p, _, _ in changes], ["is_overdue", "escalation_level"])
    ProblemEvent.objects.bulk_create(events)
    desk.problems_due([(p, level) for p, level, _ in changes], "overdue")
    for unit, items in by_unit.items():
        if unit is None:
            continue
        lines = [f"{n.number}（{n.get_level_display()}）：{p}，{p.title}" for p, n in items[:5]]
        more = f"\n……共{len(items)}个问题" if len(items) > 5 else ""
        queue_notification(
            f"overdue:{unit.pk}:{year}:{items[0][1].seq}-{items[-1][1].seq}", unit, "overdue",
            "逾期督办",
            f"【创文督办】{unit.name}：以下问题逾期未整改，已下发督办单，请立即整改。\n"
            + "\n".join(lines) + more)
    return sum(1 for _, _, newly in changes if newly), len(notices)


def _remind(campaign, now):
    window = now + timedelta(hours=campaign.remind_before_hours)
    due = (Problem.objects
           .filter(campaign=campaign, status__in=OPEN, is_overdue=False,
                   deadline__gte=now, deadline__lte=window)
           .exclude(reminded_for=F("deadline")))
    ids = list(due.order_by("id").values_list("id", flat=True))
    return sum(_remind_batch(batch, now) for batch in _batches(ids))


@transaction.atomic
def _remind_batch(ids, now):
    problems = list(Problem.objects.select_for_update(of=("self",))
                    .filter(pk__in=ids, status__in=OPEN, is_overdue=False)
                    .exclude(reminded_for=F("deadline"))
                    .select_related("responsible_unit").order_by("deadline", "id"))
    if not problems:
        return 0
    events, by_unit = [], defaultdict(list)
    for p in problems:
        p.reminded_for = p.deadline
        local = timezone.localtime(p.deadline)
        events.append(ProblemEvent(problem=p, action="remind", from_status=p.status,
                                   to_status=p.status, at=now,
                                   note=f"整改时限为{local:%Y-%m-%d %H:%M}，已提醒责任单位"))
        by_unit[p.responsible_unit].append(p)
    Problem.objects.bulk_update(problems, ["reminded_for"])
    ProblemEvent.objects.bulk_create(events)
    desk.problems_due([(p, None) for p in problems], "remind")
    for unit, items in by_unit.items():
        if unit is None:
            continue
        digest = hashlib.sha1(",".join(f"{p.pk}@{p.deadline.isoformat()}" for p in items)
                              .encode()).hexdigest()[:16]
        lines = [f"{p}：{p.title}，时限{timezone.localtime(p.deadline):%m-%d %H:%M}"
                 for p in items[:5]]
        more = f"\n……共{len(items)}个问题" if len(items) > 5 else ""
        queue_notification(
            f"remind:{unit.pk}:{digest}", unit, "remind", "整改即将到期",
            f"【创文提醒】{unit.name}：以下问题即将到期，请抓紧整改并上传整改照片。\n"
            + "\n".join(lines) + more)
    return len(problems)
