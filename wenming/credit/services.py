"""Every change to the red/black lists: permission check, transaction, audit
event. A list moves collecting → in review → public notice → published; a
published list is frozen, and later removals (credit restoration) are
recorded on the listing with their date, never by editing the list."""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.models import Unit
from wenming.accounts.scoping import can_see_unit
from wenming.audit.services import record, snapshot
from wenming.core import states
from wenming.core.errors import DomainError, require
from wenming.core.idcard import check_phone
from wenming.core.public_forms import check_form_token, check_rate, tracking_code
from wenming.core.text import check_text, chinese_date
from wenming.core.uscc import normalize_code
from wenming.credit import bases, imports, publication
from wenming.credit.models import (
    CreditList,
    Entity,
    Listing,
    Objection,
    Report,
    Restoration,
    Upload,
)
from wenming.credit.names import name_key
from wenming.credit.reports import new_verification_code, render_report_pdf, report_content
from wenming.tasks.progress import Progress

# The list state machine: status → statuses it may move to.
TRANSITIONS = {
    CreditList.Status.COLLECTING: {CreditList.Status.IN_REVIEW},
    CreditList.Status.IN_REVIEW: {CreditList.Status.COLLECTING, CreditList.Status.NOTICE},
    CreditList.Status.NOTICE: {CreditList.Status.IN_REVIEW, CreditList.Status.PUBLISHED},
    # Only the publication of its correction moves a published list on.
    CreditList.Status.PUBLISHED: {CreditList.Status.SUPERSEDED},
    CreditList.Status.SUPERSEDED: set(),
}
MANAGERS = roles.OFFICE_EDITORS
PUBLISHERS = (roles.ADMIN, roles.APPROVER)
MAX_NOTICE_DAYS = 60
LISTING_FIELDS = ["credit_list", "entity", "basis", "department", "document_number",
                  "decided_on", "valid_until", "status"]


def _check_manager(user):
    require(roles.is_office_editor(user), "只有文明办管理员或编辑可以管理红黑榜。")


def can_act_for(user, department):
    """Office managers act for any department; a liaison for its own."""
    return roles.is_office_editor(user) or (user.has_role(roles.LIAISON) and department is not None
                                and can_see_unit(user, department))


def _move(credit_list, to_status):
    return states.move(credit_list, TRANSITIONS, to_status, f"《{credit_list.title}》")


def _locked(credit_list):
    return CreditList.objects.select_for_update().get(pk=credit_list.pk)


def default_title(year, color, subject):
    city = Unit.objects.filter(kind=Unit.Kind.CITY, parent__isnull=True).order_by("pk").first()
    kind = f"{CreditList.Subject(subject).label}{CreditList.Color(color).label}"
    return f"{city.name if city else ''}{year}年度诚信建设{kind}"


@transaction.atomic
def create_list(actor, *, year, color, subject=CreditList.Subject.LEGAL, title=""):
    _check_manager(actor)
    if not 2000 <= int(year) <= 2100:
        raise DomainError("年度应为2000至2100之间的年份。", field="year")
    if color not in CreditList.Color.values or subject not in CreditList.Subject.values:
        raise DomainError("名单类别不正确。")
    title = check_text(title, "名称", max_length=100).strip() or default_title(year, color, subject)
    existing = CreditList.objects.filter(year=year, color=color, subject=subject).first()
    if existing:
        raise DomainError(f"{year}年度{existing.kind_label}已存在：《{existing.title}》。",
                          field="color")
    credit_list = CreditList.objects.create(year=year, color=color, subject=subject, title=title,
                                            created_by=actor)
    record(actor, "credit_list.create", credit_list,
           after=snapshot(credit_list, ["year", "color", "subject", "title"]))
    return credit_list


# Department uploads

WRITE_CHUNK = 500


def upload_listings(actor, credit_list, department, uploaded, progress=None):
    """Check every row of a department's sheet, then write all of it or
    nothing. Returns (upload, warnings). `uploaded` is a Django file;
    `progress` (wenming.tasks.progress) hears how far it got and may stop it.

    Reading and checking happen outside any transaction: a large file takes
    seconds, and on SQLite a transaction that long would hold the one write
    lock against every other user. The rows are then written in short
    transactions of WRITE_CHUNK rows. All or nothing still holds: until the
    last step the upload is undone (its listings, the upload and the
    entities it created deleted) on any failure or cancel, and the last
    step, with the list row locked, re-checks what another upload could
    have changed meanwhile (the list closing, the same entity listed twice)
    before the import counts."""
    progress = progress or Progress()
    require(department is not None and can_act_for(actor, department),
            "只能以本部门名义报送名单。")
    _check_collecting(credit_list)
    content = uploaded.read()
    filename = getattr(uploaded, "name", "upload.xlsx")
    rows = imports.parse_upload(credit_list, department, content, filename, progress=progress)
    with transaction.atomic():
        upload = Upload(credit_list=credit_list, department=department,
                        filename=filename[:200], rows=len(rows), uploaded_by=actor)
        upload.file.save(filename, ContentFile(content), save=False)
        upload.save()
    created = []
    try:
        warnings = []
        for start in range(0, len(rows), WRITE_CHUNK):
            progress.update(f"正在写入第{start + 1:,}至{min(start + WRITE_CHUNK, len(rows)):,}条",
                            done=start, total=len(rows))
            with transaction.atomic():
                for row in rows[start:start + WRITE_CHUNK]:
                    # Another upload may have created the entity since the
                    # checks; its listing then fails the last step.
                    entity = row.entity or _known_entity(row)
                    if entity:
                        _fill_blanks(entity, row)
                    else:
                        entity = _new_entity(row)
                        created.append(entity.pk)
                    Listing.objects.create(
                        credit_list=credit_list, entity=entity, basis=row.basis,
                        basis_detail=row.basis_detail, department=department,
                        document_number=row.document_number, decided_on=row.decided_on,
                        valid_until=row.valid_until, upload=upload, row_number=row.number)
                    warnings += row.warnings
        progress.update("正在确认导入", done=len(rows), total=len(rows))
        with transaction.atomic():
            credit_list = _locked(credit_list)
            _check_collecting(credit_list)
            _check_no_double_listing(upload)
            record(actor, "credit_list.upload", credit_list,
                   after={"upload": upload.pk, "department": department.pk, "rows": len(rows),
                          "file": upload.file.name})
    except BaseException:
        _undo_upload(upload, created)
        raise
    return upload, warnings


def _check_collecting(credit_list):
    if credit_list.status != CreditList.Status.COLLECTING:
        raise DomainError(f"《{credit_list.title}》{credit_list.get_status_display()}，"
                          "已停止接收报送。")


def _check_no_double_listing(upload):
    """An entity this upload listed that another upload, written meanwhile,
    listed on the same list too: the later one to get here is refused."""
    twice = Listing.objects.filter(
        credit_list=upload.credit_list, status=Listing.Status.ACTIVE,
        entity__in=upload.listings.values("entity")).exclude(upload=upload).select_related(
        "entity", "department").first()
    if twice:
        raise DomainError(f"“{twice.entity.name}”已由{twice.department.name}在本次导入期间"
                          "报送列入本名单，本次导入已撤销，请核对后重新上传。")


def _undo_upload(upload, created_entities):
    with transaction.atomic():
        file_name = upload.file.name
        Listing.objects.filter(upload=upload).delete()
        Upload.objects.filter(pk=upload.pk).delete()
        Entity.objects.filter(pk__in=created_entities, listings__isnull=True).delete()
    if file_name:
        upload.file.storage.delete(file_name)


def _known_entity(row):
    lookup = {"id_number": row.id_number} if row.id_number else {"code": row.code}
    return Entity.objects.filter(**lookup).first() if row.identity else None


def _new_entity(row):
    return Entity.objects.create(
        name=row.name, code=row.code, kind=row.kind,
        legal_representative=row.legal_representative, address=row.address,
        district=row.district, id_number=row.id_number, phone=row.phone)


def _fill_blanks(entity, row):
    changed = False
    for name in ("legal_representative", "address", "phone"):
        value = getattr(row, name)
        if value and not getattr(entity, name):
            setattr(entity, name, value)
            changed = True
    if row.district and not entity.district_id:
        entity.district = row.district
        changed = True
    if changed:
        entity.save()


@transaction.atomic
def withdraw_listing(actor, listing, reason):
    """Take a listing off a list that is not yet published (不予列入)."""
    listing = Listing.objects.select_for_update().select_related("credit_list").get(pk=listing.pk)
    credit_list = listing.credit_list
    require(roles.is_office_editor(actor) or (credit_list.status == CreditList.Status.COLLECTING
                                  and can_act_for(actor, listing.department)),
            "无权撤回该列入记录。")
    if credit_list.is_frozen:
        raise DomainError("名单已发布，不能撤回；已发布的记录只能通过信用修复等方式移出。")
    if listing.status != Listing.Status.ACTIVE:
        raise DomainError(f"该记录已{listing.get_status_display()}。")
    listing.withdrawn_reason = check_text(reason, "理由", max_length=2000, required=True)
    listing.status = Listing.Status.WITHDRAWN
    listing.save()
    record(actor, "listing.withdraw", listing, before={"status": Listing.Status.ACTIVE},
           after={"status": listing.status, "reason": listing.withdrawn_reason})
    return listing


MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


@transaction.atomic
def attach_evidence(actor, listing, uploaded):
    """The listing department's evidence file (决定书 scan etc.), kept with
    the listing; not after publication, when the listing is frozen."""
    listing = Listing.objects.select_for_update().select_related(
        "credit_list", "department").get(pk=listing.pk)
    require(can_act_for(actor, listing.department), "只有认定部门或文明办可以上传证明材料。")
    if listing.credit_list.is_frozen:
        raise DomainError("名单已发布，列入记录不能再修改。")
    if uploaded.size > MAX_EVIDENCE_BYTES:
        raise DomainError("证明材料不能超过10 MB。", field="attachment")
    before = listing.attachment.name
    listing.attachment.save(uploaded.name, uploaded, save=False)
    listing.save()
    record(actor, "listing.attach_evidence", listing, before={"attachment": before},
           after={"attachment": listing.attachment.name})
    return listing


# The path to publication

@transaction.atomic
def submit_for_review(actor, credit_list):
    _check_manager(actor)
    credit_list = _locked(credit_list)
    if not credit_list.listings.filter(status=Listing.Status.ACTIVE).exists():
        raise DomainError(f"《{credit_list.title}》还没有任何列入记录，不能提交审核。")
    before = _move(credit_list, CreditList.Status.IN_REVIEW)
    credit_list.save()
    record(actor, "credit_list.submit_for_review", credit_list, before={"status": before},
           after={"status": credit_list.status})
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
    return objection


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
