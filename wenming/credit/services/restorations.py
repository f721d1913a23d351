"""Credit restoration (信用修复), entity updates and credit reports."""

import calendar
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.scoping import can_see_unit
from wenming.audit.services import record, snapshot
from wenming.core.errors import DomainError, require
from wenming.core.idcard import check_phone
from wenming.core.public_forms import check_form_token, check_rate, tracking_code
from wenming.core.text import check_text, chinese_date
from wenming.core.uscc import normalize_code
from wenming.credit import bases
from wenming.credit.models import (
    CreditList,
    Entity,
    Listing,
    Report,
    Restoration,
)
from wenming.credit.names import name_key
from wenming.credit.reports import new_verification_code, render_report_pdf, report_content
from wenming.credit.services.base import (
    MANAGERS,
    _check_manager,
    can_act_for,
)

# Credit restoration (信用修复)

def add_months(d, months):
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def restoration_refusal(listing, today=None):
    """Why this listing cannot be restored now, or '' when it can."""
    today = today or timezone.localdate()
    if listing.credit_list.color != bases.BLACK:
        return "只有黑名单的列入记录可以申请信用修复。"
    if not listing.is_current(today):
        return f"该记录当前状态为“{listing.state_label(today)}”，无需修复。"
    months = bases.restoration_months(listing.basis)
    if months is None:
        return (f"“{listing.get_basis_display()}”不适用信用修复，由认定部门依法移出"
                "（如失信被执行人履行义务后由法院屏蔽）。")
    eligible = add_months(listing.credit_list.published_on, months)
    if today < eligible:
        return (f"“{listing.get_basis_display()}”需公示满{months}个月后方可申请信用修复，"
                f"即{chinese_date(eligible)}起。")
    if listing.restorations.filter(status=Restoration.Status.SUBMITTED).exists():
        return "该记录已有待审核的信用修复申请。"
    return ""


def _next_restoration_number(year):
    prefix = f"XF{year}"
    n = Restoration.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{n + 1:04d}"


@transaction.atomic
def apply_restoration(actor, listing, *, applicant, reason, contact="", evidence_note="",
                      evidence=None, applied_on=None):
    """Record an entity's application, with its evidence."""
    listing = Listing.objects.select_for_update().select_related(
        "credit_list", "department").get(pk=listing.pk)
    require(can_act_for(actor, listing.department), "只有认定部门或文明办可以登记修复申请。")
    applied_on = applied_on or timezone.localdate()
    refusal = restoration_refusal(listing, applied_on)
    if refusal:
        raise DomainError(refusal)
    contact, message = check_phone(contact)
    if message:
        raise DomainError(message, field="contact")
    restoration = Restoration(
        listing=listing, number=_next_restoration_number(applied_on.year),
        applicant=check_text(applicant, "申请人", 100, required=True).strip(),
        contact=contact, reason=check_text(reason, "申请理由及信用承诺", 5000, required=True),
        evidence_note=check_text(evidence_note, "证明材料说明", 5000),
        applied_on=applied_on, recorded_by=actor)
    if evidence:
        restoration.evidence.save(evidence.name, evidence, save=False)
    restoration.save()
    record(actor, "restoration.apply", restoration,
           after=snapshot(restoration, ["listing", "number", "applicant", "applied_on"]))
    return restoration


RESTORATION_PURPOSE = "credit-restoration"


@transaction.atomic
def apply_restoration_online(*, code, name, contact_name, phone, reason, commitment, token,
                             ip=None, today=None):
    """The entity's own application, from the public form: the credit code
    and the name must both match a listed entity. It is made for the first
    of its black-list listings that may be restored now; an entity with
    several applies once for each, the next one after the first is pending."""
    check_form_token(token, RESTORATION_PURPOSE)
    check_rate(Restoration.objects.all(), ip,
               getattr(settings, "WENMING_PUBLIC_RESTORATIONS_PER_HOUR", 5))
    today = today or timezone.localdate()
    code = normalize_code(code)
    entity = Entity.objects.filter(code=code).first() if code else None
    if entity is None or entity.name_key != name_key(name or ""):
        raise DomainError("没有找到与该统一社会信用代码和名称相符的列入主体，请核对后重新填写。",
                          field="code")
    listings = list(Listing.objects.select_for_update().select_related("credit_list").filter(
        entity=entity, credit_list__color=bases.BLACK, credit_list__status=CreditList.Status.PUBLISHED,
        status=Listing.Status.ACTIVE).order_by("credit_list__published_on", "pk"))
    if not listings:
        raise DomainError(f"{entity.name}不在已发布的黑名单中，无需申请信用修复。")
    refusals = [restoration_refusal(listing, today) for listing in listings]
    if all(refusals):
        raise DomainError(refusals[0])
    listing = listings[refusals.index("")]
    contact_name = check_text(contact_name, "联系人", 50, required=True).strip()
    phone, message = check_phone(phone)
    if message or not phone:
        raise DomainError(message or "请填写联系电话。", field="phone")
    restoration = Restoration.objects.create(
        listing=listing, number=_next_restoration_number(today.year),
        applicant=f"{entity.name}（联系人：{contact_name}）"[:100], contact=phone,
        reason=check_text(reason, "申请理由", 5000, required=True).strip(),
        commitment=check_text(commitment, "信用承诺", 5000, required=True).strip(),
        applied_on=today, submitter_ip=ip,
        tracking_code=tracking_code(
            "XF", lambda c: Restoration.objects.filter(tracking_code=c).exists()))
    record(None, "restoration.apply_online", restoration,
           after=snapshot(restoration, ["listing", "number", "applicant", "applied_on",
                                        "tracking_code"]), ip=ip)
    return restoration


@transaction.atomic
def decide_restoration(actor, restoration, *, approve, note, today=None):
    """The listing department decides; approval removes the listing from
    that date on. The application and the listing both stay on record."""
    restoration = Restoration.objects.select_for_update().select_related(
        "listing__department", "listing__credit_list").get(pk=restoration.pk)
    listing = restoration.listing
    require(actor.has_role(roles.ADMIN) or (actor.has_role(roles.LIAISON)
                                            and can_see_unit(actor, listing.department)),
            "信用修复由认定部门审核决定。")
    if restoration.status != Restoration.Status.SUBMITTED:
        raise DomainError(f"申请{restoration.number}已{restoration.get_status_display()}。")
    today = today or timezone.localdate()
    restoration.decision_note = check_text(note, "审核意见", 2000, required=True)
    restoration.status = (Restoration.Status.APPROVED if approve
                          else Restoration.Status.REJECTED)
    restoration.decided_by, restoration.decided_on = actor, today
    restoration.save()
    if approve:
        listing.status = Listing.Status.REMOVED
        listing.removed_on = today
        listing.removal_reason = f"信用修复（{restoration.number}）"
        listing.save()
    record(actor, "restoration.decide", restoration, before={"status": "submitted"},
           after={"status": restoration.status, "note": restoration.decision_note,
                  "listing_status": listing.status, "removed_on": listing.removed_on})
    return restoration


# Entities and credit reports

@transaction.atomic
def update_entity(actor, entity, **fields):
    """Office corrections, e.g. a renamed company, so later uploads match."""
    _check_manager(actor)
    entity = Entity.objects.select_for_update().get(pk=entity.pk)
    keep = ["name", "legal_representative", "address", "district", "kind"]
    before = snapshot(entity, keep)
    labels = {"name": ("名称", 200, True), "legal_representative": ("法定代表人（负责人）", 50,
              False), "address": ("地址", 200, False)}
    for name, value in fields.items():
        if name not in keep:
            raise DomainError(f"不能修改字段{name}。")
        if name in labels:
            label, limit, required = labels[name]
            value = check_text(value, label, limit, required=required).strip()
        setattr(entity, name, value)
    entity.save()
    record(actor, "entity.update", entity, before=before, after=snapshot(entity, keep))
    return entity


def _next_report_number(today):
    prefix = f"XYBG{today:%Y%m%d}"
    n = Report.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{n + 1:04d}"


@transaction.atomic
def issue_report(actor, entity, purpose="", verify_hint=None):
    require(actor.has_role(*MANAGERS, roles.APPROVER),
            "只有文明办管理员、编辑或签发人可以出具信用报告。")
    today = timezone.localdate()
    purpose = check_text(purpose, "用途", 100).strip()
    report = Report(entity=entity, number=_next_report_number(today),
                    verification_code=new_verification_code(), purpose=purpose,
                    content=report_content(entity, today, purpose), issued_by=actor)
    kwargs = {"verify_hint": verify_hint} if verify_hint else {}
    report.pdf.save(f"{report.number}.pdf", ContentFile(render_report_pdf(report, **kwargs)),
                    save=False)
    report.save()
    record(actor, "report.issue", report, after={"entity": entity.pk, "number": report.number})
    return report
