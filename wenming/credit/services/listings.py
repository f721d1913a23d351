"""Credit lists: department uploads (checked outside the write transaction, written in chunks), withdrawals and evidence."""

from django.core.files.base import ContentFile
from django.db import transaction

from wenming.accounts import roles
from wenming.audit.services import record
from wenming.core.errors import DomainError, require
from wenming.core.text import check_text
from wenming.credit import imports
from wenming.credit.models import (
    CreditList,
    Entity,
    Listing,
    Upload,
)
from wenming.credit.names import name_key
from wenming.credit.services.base import _locked, can_act_for
from wenming.tasks.progress import Progress

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
                created += _write_chunk(credit_list, department, upload,
                                        rows[start:start + WRITE_CHUNK])
            warnings += [w for row in rows[start:start + WRITE_CHUNK] for w in row.warnings]
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


def _write_chunk(credit_list, department, upload, rows):
    """One short transaction's rows: their new entities and their listings,
    each in one bulk insert. Returns the ids of the entities it created."""
    # Another upload may have created an entity since the checks; its
    # listing then fails the last step.
    missing = [row for row in rows if row.entity is None and row.identity]
    known = {}
    for field_name in ("code", "id_number"):
        values = [getattr(row, field_name) for row in missing if getattr(row, field_name)]
        for entity in Entity.objects.filter(**{f"{field_name}__in": values}):
            known.setdefault(getattr(entity, field_name), entity)
    new, filled = {}, {}
    for row in rows:
        entity = row.entity or known.get(row.identity) or new.get(row.identity)
        if entity is None:
            entity = new[row.identity or f"#{row.number}"] = _new_entity(row)
        elif entity.pk and _fill_blanks(entity, row):
            filled[entity.pk] = entity
        row.entity = entity
    Entity.objects.bulk_create(new.values())
    for entity in filled.values():
        # One UPDATE each: Django's bulk_update builds CASE expressions that
        # cost more than they save at this size (measured).
        entity.save(update_fields=FILLED_FIELDS)
    Listing.objects.bulk_create([Listing(
        credit_list=credit_list, entity=row.entity, basis=row.basis,
        basis_detail=row.basis_detail, department=department,
        document_number=row.document_number, decided_on=row.decided_on,
        valid_until=row.valid_until, upload=upload, row_number=row.number) for row in rows])
    return [e.pk for e in new.values()]


def _new_entity(row):
    # Not saved here: written in bulk, so the derived name key is set by hand.
    return Entity(
        name=row.name, name_key=name_key(row.name), code=row.code, kind=row.kind,
        legal_representative=row.legal_representative, address=row.address,
        district=row.district, id_number=row.id_number, phone=row.phone)


FILLED_FIELDS = ["legal_representative", "address", "phone", "district"]


def _fill_blanks(entity, row):
    """What the row knows that the entity lacks; True when it changed
    (the caller saves the changed entities together)."""
    changed = False
    for name in ("legal_representative", "address", "phone"):
        value = getattr(row, name)
        if value and not getattr(entity, name):
            setattr(entity, name, value)
            changed = True
    if row.district and not entity.district_id:
        entity.district = row.district
        changed = True
    return changed


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


