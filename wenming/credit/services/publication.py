"""Credit lists: review, public notice (公示), publication and corrections as new versions."""

from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.people import with_roles
from wenming.audit.services import record
from wenming.core.errors import DomainError, require
from wenming.core.text import check_text, chinese_date
from wenming.credit import bases, publication
from wenming.credit.models import (
    CreditList,
    Listing,
    Objection,
)
from wenming.credit.services.base import (
    MAX_NOTICE_DAYS,
    PUBLISHERS,
    _check_manager,
    _locked,
    _move,
)
from wenming.inbox.services import deliver

# The path to publication

@transaction.atomic
def submit_for_review(actor, credit_list):
    _check_manager(actor)
    credit_list = _locked(credit_list)
    if not credit_list.listings.filter(status=Listing.Status.ACTIVE).exists():
        raise DomainError(f"《{credit_list.title}》还没有任何列入记录，不能提交审核。")
    before = _move(credit_list, CreditList.Status.IN_REVIEW)
    credit_list.save()
    event = record(actor, "credit_list.submit_for_review", credit_list,
                   before={"status": before}, after={"status": credit_list.status})
    deliver(with_roles(*roles.OFFICE_EDITORS), f"credit_list:{credit_list.pk}:review:{event.pk}",
            f"待审核的红黑榜：{credit_list.title}", f"{actor}提交审核。",
            reverse("credit:list_detail", args=[credit_list.pk]), actor=actor)
    return credit_list


@transaction.atomic
def return_for_revision(actor, credit_list, comment=""):
    """Back to collecting, so departments can correct their uploads."""
    _check_manager(actor)
    credit_list = _locked(credit_list)
    before = _move(credit_list, CreditList.Status.COLLECTING)
    credit_list.review_comment = check_text(comment, "审核意见", max_length=2000)
    credit_list.save()
    record(actor, "credit_list.return_for_revision", credit_list, before={"status": before},
           after={"status": credit_list.status, "comment": credit_list.review_comment})
    return credit_list


@transaction.atomic
def start_notice(actor, credit_list, days=None, today=None):
    """Public notice (公示) for `days` days from today, both included."""
    _check_manager(actor)
    credit_list = _locked(credit_list)
    days = bases.notice_days() if days in (None, "") else int(days)
    if not 1 <= days <= MAX_NOTICE_DAYS:
        raise DomainError(f"公示期应为1至{MAX_NOTICE_DAYS}天。", field="days")
    before = _move(credit_list, CreditList.Status.NOTICE)
    today = today or timezone.localdate()
    credit_list.notice_days = days
    credit_list.notice_start = today
    credit_list.notice_end = today + timedelta(days=days - 1)
    credit_list.save()
    record(actor, "credit_list.start_notice", credit_list, before={"status": before},
           after={"status": credit_list.status, "notice_start": credit_list.notice_start,
                  "notice_end": credit_list.notice_end})
    return credit_list


@transaction.atomic
def end_notice(actor, credit_list, comment=""):
    """Stop the notice and go back to review, e.g. when an upheld objection
    needs the list reworked."""
    _check_manager(actor)
    credit_list = _locked(credit_list)
    before = _move(credit_list, CreditList.Status.IN_REVIEW)
    credit_list.review_comment = check_text(comment, "审核意见", max_length=2000)
    credit_list.save()
    record(actor, "credit_list.end_notice", credit_list, before={"status": before},
           after={"status": credit_list.status, "comment": credit_list.review_comment})
    return credit_list


def open_objections(credit_list):
    return Objection.objects.filter(listing__credit_list=credit_list,
                                    status=Objection.Status.OPEN)


def missing_for_publication(credit_list, today=None):
    """What keeps a list from being published, in the user's words."""
    today = today or timezone.localdate()
    problems = []
    if credit_list.status == CreditList.Status.NOTICE and credit_list.notice_end and today <= credit_list.notice_end:
        problems.append(f"公示期至{chinese_date(credit_list.notice_end)}，尚未届满")
    n = open_objections(credit_list).count()
    if n:
        problems.append(f"还有{n}件异议未处理")
    if not credit_list.listings.filter(status=Listing.Status.ACTIVE).exists():
        problems.append("没有列入记录")
    return problems


def _next_number(published_on):
    prefix = settings.WENMING_CREDIT_NUMBER_PREFIX
    n = CreditList.objects.filter(published_on__year=published_on.year).exclude(number="").count()
    return f"{prefix}〔{published_on.year}〕{n + 1}号"


@transaction.atomic
def publish_list(actor, credit_list, today=None):
    require(actor.has_role(*PUBLISHERS), "只有签发人或管理员可以发布红黑榜。")
    credit_list = _locked(credit_list)
    today = today or timezone.localdate()
    if credit_list.status != CreditList.Status.NOTICE:
        _move(credit_list, CreditList.Status.PUBLISHED)  # the state machine's refusal
    problems = missing_for_publication(credit_list, today)
    if problems:
        raise DomainError(f"《{credit_list.title}》不能发布：" + "；".join(problems) + "。")
    before = _move(credit_list, CreditList.Status.PUBLISHED)
    listings = publication.ordered_listings(credit_list)
    for seq, listing in enumerate(listings, start=1):
        listing.seq = seq
        Listing.objects.filter(pk=listing.pk).update(seq=seq)
    number = _next_number(today)
    frozen = publication.build_snapshot(credit_list, listings, number, today)
    credit_list.number = number
    credit_list.snapshot = frozen
    credit_list.published_on = today
    credit_list.published_at = timezone.now()
    credit_list.published_by = actor
    # Rendered once and kept: what was published stays downloadable as it was.
    name = f"{credit_list.year}-{credit_list.subject}-{credit_list.color}-{credit_list.pk}"
    credit_list.pdf.save(f"{name}.pdf", ContentFile(publication.render_list_pdf(frozen)),
                         save=False)
    credit_list.xlsx.save(f"{name}.xlsx", ContentFile(publication.list_xlsx(frozen)),
                          save=False)
    credit_list.save()
    after = {"status": credit_list.status, "number": number, "rows": len(listings),
             "counts": frozen["counts"]}
    if credit_list.supersedes_id:
        # From now on the correction is in force and the old version is only
        # kept to read.
        old = _locked(credit_list.supersedes)
        _move(old, CreditList.Status.SUPERSEDED)
        old.save()
        after["superseded"] = old.pk
    record(actor, "credit_list.publish", credit_list, before={"status": before}, after=after)
    return credit_list


@transaction.atomic
def correct_list(actor, credit_list, reason):
    """A published list is never edited: its correction is a new version,
    a copy of the listings in force, that goes through review, notice and
    publication like any list and then replaces the old one."""
    _check_manager(actor)
    credit_list = _locked(credit_list)
    if credit_list.status != CreditList.Status.PUBLISHED:
        raise DomainError(f"《{credit_list.title}》{credit_list.get_status_display()}，"
                          "只有已发布的名单需要更正；未发布的可以直接修改。")
    if credit_list.correction:
        raise DomainError(f"《{credit_list.title}》已有更正版本（第{credit_list.correction.version}版），"
                          "请在该版本上继续。")
    reason = check_text(reason, "更正原因", max_length=2000, required=True).strip()
    copy = CreditList.objects.create(
        year=credit_list.year, color=credit_list.color, subject=credit_list.subject,
        title=credit_list.title, supersedes=credit_list, version=credit_list.version + 1,
        correction_reason=reason, created_by=actor)
    copied = 0
    for listing in credit_list.listings.filter(status=Listing.Status.ACTIVE).order_by("seq", "pk"):
        Listing.objects.create(
            credit_list=copy, entity_id=listing.entity_id, basis=listing.basis,
            basis_detail=listing.basis_detail, department_id=listing.department_id,
            document_number=listing.document_number, attachment=listing.attachment.name,
            decided_on=listing.decided_on, valid_until=listing.valid_until)
        copied += 1
    record(actor, "credit_list.correct", copy,
           after={"supersedes": credit_list.pk, "version": copy.version, "reason": reason,
                  "listings": copied})
    return copy


