"""Credit lists: objections (异议) from staff records and from the public notice page."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.people import with_roles
from wenming.audit.services import record, snapshot
from wenming.core.errors import DomainError
from wenming.core.idcard import check_phone
from wenming.core.public_forms import check_form_token, check_rate, tracking_code
from wenming.core.text import check_text
from wenming.credit.models import (
    CreditList,
    Listing,
    Objection,
)
from wenming.credit.services.base import _check_manager
from wenming.inbox.services import deliver

# Objections (异议)

@transaction.atomic
def record_objection(actor, listing, *, objector, content, contact="", received_on=None):
    _check_manager(actor)
    listing = Listing.objects.select_related("credit_list").get(pk=listing.pk)
    if listing.credit_list.status not in (CreditList.Status.IN_REVIEW, CreditList.Status.NOTICE):
        raise DomainError("只能在审核或公示期间登记异议。")
    if listing.status != Listing.Status.ACTIVE:
        raise DomainError("该记录已不予列入，无需登记异议。")
    contact, message = check_phone(contact)
    if message:
        raise DomainError(message, field="contact")
    objection = Objection.objects.create(
        listing=listing, objector=check_text(objector, "异议人", 100, required=True).strip(),
        contact=contact, content=check_text(content, "异议内容", 5000, required=True),
        received_on=received_on or timezone.localdate(), recorded_by=actor)
    record(actor, "objection.record", objection,
           after=snapshot(objection, ["listing", "objector", "received_on"]))
    _tell_editors(objection, actor)
    return objection


@transaction.atomic
def resolve_objection(actor, objection, *, upheld, resolution):
    """An upheld objection takes the listing off the list before publication."""
    _check_manager(actor)
    objection = Objection.objects.select_for_update().select_related(
        "listing__credit_list").get(pk=objection.pk)
    if objection.status != Objection.Status.OPEN:
        raise DomainError(f"该异议已处理（{objection.get_status_display()}）。")
    objection.resolution = check_text(resolution, "处理意见", 2000, required=True)
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.REJECTED
    objection.resolved_by, objection.resolved_at = actor, timezone.now()
    objection.save()
    listing = objection.listing
    if upheld and listing.status == Listing.Status.ACTIVE:
        if listing.credit_list.is_frozen:
            raise DomainError("名单已发布，异议成立的请通过移出处理。")
        listing.status = Listing.Status.WITHDRAWN
        listing.withdrawn_reason = f"异议成立：{objection.resolution}"
        listing.save()
    record(actor, "objection.resolve", objection, before={"status": Objection.Status.OPEN},
           after={"status": objection.status, "resolution": objection.resolution,
                  "listing_status": listing.status})
    return objection


def notice_is_open(credit_list, today=None):
    today = today or timezone.localdate()
    return (credit_list.status == CreditList.Status.NOTICE and credit_list.notice_start is not None
            and credit_list.notice_start <= today <= credit_list.notice_end)


def objection_purpose(credit_list):
    return f"credit-objection:{credit_list.pk}"


def _objection_code_taken(code):
    return Objection.objects.filter(tracking_code=code).exists()


@transaction.atomic
def file_objection(listing, *, objector, phone, content, token, ip=None):
    """An objection from anyone, online, while the list is on notice: no
    account, so the signed form and the hourly limit per address stand in
    for one. It waits for the office like one recorded at the counter."""
    listing = Listing.objects.select_related("credit_list").get(pk=listing.pk)
    check_form_token(token, objection_purpose(listing.credit_list))
    check_rate(Objection.objects.all(), ip,
               getattr(settings, "WENMING_PUBLIC_OBJECTIONS_PER_HOUR", 5))
    if not notice_is_open(listing.credit_list) or listing.status != Listing.Status.ACTIVE:
        raise DomainError("该名单不在公示期内，不能提出异议。")
    phone, message = check_phone(phone)
    if message or not phone:
        raise DomainError(message or "请填写联系电话，以便核实情况、答复结果。", field="phone")
    objection = Objection.objects.create(
        listing=listing, objector=check_text(objector, "姓名或单位", 100, required=True).strip(),
        contact=phone, content=check_text(content, "异议内容", 5000, required=True).strip(),
        received_on=timezone.localdate(), submitter_ip=ip,
        tracking_code=tracking_code("YY", _objection_code_taken))
    record(None, "objection.file", objection,
           after=snapshot(objection, ["listing", "objector", "received_on", "tracking_code"]),
           ip=ip)
    _tell_editors(objection)
    return objection


def _tell_editors(objection, actor=None):
    credit_list = objection.listing.credit_list
    deliver(with_roles(*roles.OFFICE_EDITORS), f"credit_objection:{objection.pk}",
            f"红黑榜公示异议待处理：{credit_list.title}",
            f"{objection.objector}对“{objection.listing.entity}”提出异议。",
            reverse("credit:list_detail", args=[credit_list.pk]), actor=actor)


