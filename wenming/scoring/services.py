"""Every change in scoring: a new rule version, a bulletin generated,
submitted, returned, signed off, published or corrected. Each takes the acting user, checks permission, works
in one transaction and records one audit event.

A bulletin goes the way of a briefing issue, with the same people: an
editor submits it, the approver signs it off with a written opinion (签发意见)
or returns it, and it is published once someone confirms they checked it."""

import secrets
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.people import with_roles
from wenming.audit.services import record, snapshot
from wenming.core import states, tokens
from wenming.core.errors import DomainError, require
from wenming.core.periods import Period
from wenming.core.text import check_text
from wenming.inbox.services import deliver
from wenming.scoring import selectors
from wenming.scoring.bulletin import build_content
from wenming.scoring.models import Bulletin, Kiosk, ScoringRule

RULE_MANAGERS = (roles.ADMIN,)
BULLETIN_EDITORS = (roles.ADMIN, roles.EDITOR, roles.INSPECTOR)
# Who reads the office's figures: the dashboard, bulletins and the rankings API.
OFFICE_READERS = (roles.ADMIN, roles.EDITOR, roles.APPROVER, roles.INSPECTOR, roles.VIEWER)
CORRECTION_SUFFIX = "（更正）"

# The bulletin state machine: status → statuses it may move to.
TRANSITIONS = {
    Bulletin.Status.DRAFT: {Bulletin.Status.SUBMITTED},
    Bulletin.Status.SUBMITTED: {Bulletin.Status.DRAFT, Bulletin.Status.SIGNED_OFF},
    Bulletin.Status.SIGNED_OFF: {Bulletin.Status.PUBLISHED, Bulletin.Status.DRAFT},
    Bulletin.Status.PUBLISHED: set(),
}
PUBLISH_CONFIRMATION = "我已核对通报内容，确认发布"


# The people of a briefing issue's steps (briefings.services): the office
# signs off its documents one way.
def can_submit(user):
    return roles.is_office_editor(user)


def can_sign_off(user):
    return user.has_role(roles.APPROVER)


def can_return(user):
    return user.has_role(roles.APPROVER, roles.EDITOR, roles.ADMIN)


def can_publish(user):
    return user.has_role(roles.APPROVER, roles.EDITOR, roles.ADMIN)


@transaction.atomic
def save_rule(actor, campaign, *, effective_from, note="", **values):
    """A new version of the campaign's scoring rule; earlier versions stay
    as they were, so past periods are scored as before."""
    require(actor.has_role(*RULE_MANAGERS), "只有管理员可以修改考核规则。")
    fields = {name: values[name] for name in ScoringRule.RULE_FIELDS if name in values}
    for name, value in fields.items():
        if name not in ("district_mode", "list_size") and Decimal(value) < 0:
            label = ScoringRule._meta.get_field(name).verbose_name
            raise DomainError(f"“{label}”不能为负数。", field=name)
    if Decimal(fields.get("restore_share", 0)) > 1:
        raise DomainError("“按期整改销号返还比例”应在0至1之间。", field="restore_share")
    if Decimal(fields.get("floor", 0)) > Decimal(fields.get("ceiling", 100)):
        raise DomainError("最低分不能高于最高分。", field="floor")
    if fields.get("district_mode", "units") not in ScoringRule.DistrictMode.values:
        raise DomainError("请选择县区得分方式。", field="district_mode")
    note = check_text(note, "说明", max_length=2000, required=False)
    last = ScoringRule.objects.select_for_update().filter(campaign=campaign) \
        .aggregate(n=Max("version"))["n"] or 0
    rule = ScoringRule.objects.create(campaign=campaign, version=last + 1,
                                      effective_from=effective_from, note=note,
                                      created_by=actor, **fields)
    record(actor, "scoring_rule.create", rule,
           after=snapshot(rule, ("version", "effective_from", *ScoringRule.RULE_FIELDS)))
    return rule


@transaction.atomic
def generate_bulletin(actor, campaign, period, *, title="", as_of=None):
    """A draft bulletin numbered next in its year; its content (figures,
    rankings, typical and overdue problems) is fixed now, every figure
    taken at `as_of` (default: the period's end, or now while it runs)."""
    require(actor.has_role(*BULLETIN_EDITORS), "只有管理员、编辑或督查员可以生成通报。")
    if period.kind not in ("week", "month"):
        raise DomainError("通报按周或按月生成。", field="kind")
    title = check_text(title, "标题", max_length=200, required=False) or \
        f"关于{period.label}创建工作情况的通报"
    as_of = as_of or selectors.as_of(period)
    bulletin = _numbered_draft(actor, campaign, period, title=title, as_of=as_of,
                               content=build_content(campaign, period, as_of=as_of))
    record(actor, "bulletin.create", bulletin, after=snapshot(
        bulletin, ("kind", "period_start", "year", "number", "title", "as_of")))
    return bulletin


def _numbered_draft(actor, campaign, period, **fields):
    year = period.last_day.year
    last = Bulletin.objects.select_for_update().filter(campaign=campaign, year=year) \
        .aggregate(n=Max("number"))["n"] or 0
    return Bulletin.objects.create(campaign=campaign, kind=period.kind,
                                   period_start=period.start, year=year, number=last + 1,
                                   created_by=actor, **fields)


def _locked(bulletin):
    return Bulletin.objects.select_for_update().get(pk=bulletin.pk)


@transaction.atomic
def submit_bulletin(actor, bulletin):
    """The editor hands the draft to the approver."""
    require(can_submit(actor), "只有编辑可以提交通报签发。")
    bulletin = _locked(bulletin)
    before = states.move(bulletin, TRANSITIONS, Bulletin.Status.SUBMITTED)
    bulletin.review_comment = ""
    bulletin.save()
    event = record(actor, "bulletin.submit", bulletin, before={"status": before},
                   after={"status": bulletin.status})
    deliver(with_roles(roles.APPROVER), f"bulletin:{bulletin.pk}:review:{event.pk}",
            f"待签发的通报：{bulletin}", f"{actor}提交签发。",
            reverse("scoring:bulletin_detail", args=[bulletin.pk]), actor=actor)
    return bulletin


@transaction.atomic
def return_bulletin(actor, bulletin, comments=""):
    """Back to a draft, with the reason; a sign-off given is withdrawn."""
    require(can_return(actor), "无权退回通报。")
    bulletin = _locked(bulletin)
    before = states.move(bulletin, TRANSITIONS, Bulletin.Status.DRAFT)
    bulletin.review_comment = check_text(comments, "退回意见", max_length=2000)
    bulletin.signed_off_by = bulletin.signed_off_at = None
    bulletin.sign_off_opinion = ""
    bulletin.save()
    record(actor, "bulletin.return", bulletin, before={"status": before},
           after={"status": bulletin.status, "comment": bulletin.review_comment})
    return bulletin


@transaction.atomic
def sign_off_bulletin(actor, bulletin, opinion):
    """The approver's release, with the written 签发意见 kept on the bulletin."""
    require(can_sign_off(actor), "只有签发人可以签发通报。")
    opinion = check_text(opinion, "签发意见", max_length=2000, required=True).strip()
    bulletin = _locked(bulletin)
    before = states.move(bulletin, TRANSITIONS, Bulletin.Status.SIGNED_OFF)
    bulletin.sign_off_opinion = opinion
    bulletin.signed_off_by, bulletin.signed_off_at = actor, timezone.now()
    bulletin.save()
    record(actor, "bulletin.sign_off", bulletin, before={"status": before},
           after={"status": bulletin.status, "opinion": opinion})
    return bulletin


@transaction.atomic
def publish_bulletin(actor, bulletin, *, confirmed=False):
    """Publishing is deliberate: the caller confirms the content was checked."""
    require(can_publish(actor), "无权发布通报。")
    if not confirmed:
        raise DomainError(f"请勾选“{PUBLISH_CONFIRMATION}”后再发布。", field="confirmed")
    bulletin = _locked(bulletin)
    before = states.move(bulletin, TRANSITIONS, Bulletin.Status.PUBLISHED)
    bulletin.published_at = timezone.now()
    bulletin.save()
    record(actor, "bulletin.publish", bulletin, before={"status": before},
           after={"status": bulletin.status, "confirmed": PUBLISH_CONFIRMATION})
    return bulletin


@transaction.atomic
def correct_bulletin(actor, bulletin, *, reason):
    """A published bulletin stays as it was published; its correction is a
    new draft for the same period, built afresh from the ledger, numbered
    next in its year and pointing back to the one it corrects."""
    require(actor.has_role(*BULLETIN_EDITORS), "只有管理员、编辑或督查员可以更正通报。")
    bulletin = Bulletin.objects.select_for_update().select_related("campaign").get(pk=bulletin.pk)
    if bulletin.status != Bulletin.Status.PUBLISHED:
        raise DomainError(f"{bulletin}尚未发布，不需要更正；草稿可以重新生成。")
    earlier = bulletin.corrections.order_by("pk").first()
    if earlier is not None and earlier.status == Bulletin.Status.DRAFT:
        raise DomainError(f"{bulletin}已有未发布的更正稿（第{earlier.number}期），请先完成它。")
    if earlier is not None:
        raise DomainError(f"{bulletin}已被第{earlier.number}期更正；如仍有错误，"
                          f"请更正第{earlier.number}期。")
    reason = check_text(reason, "更正说明", max_length=2000, required=True).strip()
    period = Period.containing(bulletin.kind, bulletin.period_start)
    as_of = selectors.as_of(period)
    content = build_content(bulletin.campaign, period,
                            issuer=bulletin.content.get("issuer", ""), as_of=as_of)
    # A correction of a correction keeps one suffix; a long title gives way to it.
    base = bulletin.title.removesuffix(CORRECTION_SUFFIX)
    title = check_text(base[:200 - len(CORRECTION_SUFFIX)] + CORRECTION_SUFFIX, "标题",
                       max_length=200)
    correction = _numbered_draft(actor, bulletin.campaign, period, content=content,
                                 as_of=as_of, title=title, replaces=bulletin,
                                 correction_note=reason)
    record(actor, "bulletin.correct", correction, after=snapshot(
        correction, ("kind", "period_start", "year", "number", "title", "replaces",
                     "correction_note", "as_of")))
    return correction



FILE_FORMATS = {"pdf": "PDF", "docx": "Word"}


def file_name(bulletin, fmt):
    return f"{bulletin.year}年第{bulletin.number}期通报.{fmt}"


def request_bulletin_file(actor, bulletin, fmt):
    """Make a bulletin's PDF or Word file in the background (its photos are
    re-encoded for print first); returns the Task."""
    from wenming.tasks.services import start_task

    require(actor.has_role(*OFFICE_READERS), "您没有查看通报的权限。")
    require(fmt in FILE_FORMATS, "通报只能生成 PDF 或 Word 文件。")
    return start_task(actor, "wenming.scoring.tasks.render_bulletin",
                      f"通报文件：{file_name(bulletin, fmt)}",
                      {"bulletin": bulletin.pk, "format": fmt})
# Kiosks: wall screens showing the big screen without a login.
KIOSK_MANAGERS = (roles.ADMIN,)
# A screen refreshes every few minutes; its last visit is written at most
# this often, so a dozen screens do not write a row each refresh.
KIOSK_SEEN_EVERY = 600


def create_kiosk(actor, *, name):
    """A new kiosk and its token (shown once, stored as a digest)."""
    require(actor.has_role(*KIOSK_MANAGERS), "只有管理员可以管理大屏链接。")
    name = check_text(name, "名称", max_length=100, required=True).strip()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        kiosk = Kiosk.objects.create(name=name, token_hash=tokens.digest(token),
                                     created_by=actor)
        record(actor, "kiosk.create", kiosk, after={"name": name})
    return kiosk, token


def revoke_kiosk(actor, kiosk):
    require(actor.has_role(*KIOSK_MANAGERS), "只有管理员可以管理大屏链接。")
    with transaction.atomic():
        kiosk = tokens.revoke(kiosk, "该大屏链接已停用。")
        record(actor, "kiosk.revoke", kiosk)
    return kiosk


def kiosk_for(token):
    """The live kiosk of a presented token, or None. Notes the visit (the
    list shows when each screen last asked), not an audit event: a screen
    asks every few minutes all day."""
    if not token or len(token) > 100:
        return None
    kiosk = Kiosk.objects.filter(token_hash=tokens.digest(token), revoked_at__isnull=True).first()
    if kiosk is not None:
        now = timezone.now()
        if kiosk.last_seen_at is None or (now - kiosk.last_seen_at).total_seconds() \
                > KIOSK_SEEN_EVERY:
            Kiosk.objects.filter(pk=kiosk.pk).update(last_seen_at=now)
    return kiosk
