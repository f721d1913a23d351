"""Honor rolls: public notice, objections, publication, corrections and what follows it."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.people import with_roles
from wenming.audit.services import record, snapshot
from wenming.core.errors import DomainError, require
from wenming.core.idcard import check_no_private_numbers, require_phone
from wenming.core.public_forms import check_form_token, check_rate, tracking_code
from wenming.core.text import check_text, chinese_date
from wenming.honors.models import (
    Category,
    HigherHonor,
    HonorEntry,
    HonorRoll,
    Nomination,
    Objection,
)
from wenming.honors.render import render_roll_pdf
from wenming.honors.services.base import (
    MIN_NOTICE_DAYS,
    _check_not_frozen,
    _check_office,
    _move,
    _reject,
)
from wenming.inbox.services import deliver

# Step 3: public notice and objections

@transaction.atomic
def start_notice(actor, roll, *, starts_on, ends_on):
    _check_office(actor, "发布公示")
    roll = HonorRoll.objects.select_for_update().get(pk=roll.pk)
    _check_not_frozen(roll)
    if roll.notice_starts_on:
        raise DomainError(f"{roll}已于{roll.notice_text}公示，不能重复公示。")
    waiting = roll.nominations.filter(status__in=[Nomination.Status.SUBMITTED, Nomination.Status.VERIFIED]).count()
    if waiting:
        raise DomainError(f"还有{waiting}条推荐未完成核实或评议，请处理后再公示。")
    shortlisted = list(roll.nominations.filter(status=Nomination.Status.SHORTLISTED))
    if not shortlisted:
        raise DomainError("没有评议通过的人选，无法公示。")
    if (ends_on - starts_on).days + 1 < MIN_NOTICE_DAYS:
        raise DomainError(f"公示期不少于{MIN_NOTICE_DAYS}天。", field="ends_on")
    roll.notice_starts_on, roll.notice_ends_on = starts_on, ends_on
    roll.save()
    for nomination in shortlisted:
        _move(nomination, Nomination.Status.ON_NOTICE)
        nomination.save()
    record(actor, "roll.start_notice", roll,
           after={"notice": [starts_on.isoformat(), ends_on.isoformat()],
                  "nominations": [n.pk for n in shortlisted]})
    return roll


def notice_is_open(roll, today=None):
    today = today or date.today()
    return bool(roll.notice_starts_on) and not roll.is_published and \
        roll.notice_starts_on <= today <= roll.notice_ends_on


@transaction.atomic
def file_objection(nomination, *, content, token, contact_name="", contact_phone="", ip=None):
    """Anyone may object to a person on notice while the notice runs."""
    check_form_token(token, f"objection:{nomination.roll_id}")
    check_rate(Objection.objects.all(), ip,
               settings.WENMING_PUBLIC_OBJECTIONS_PER_HOUR)
    nomination = Nomination.objects.select_for_update().select_related("roll").get(
        pk=nomination.pk)
    if nomination.status != Nomination.Status.ON_NOTICE or not notice_is_open(nomination.roll):
        raise DomainError("该人选不在公示期内，不能提出异议。")
    objection = Objection.objects.create(
        nomination=nomination,
        content=check_text(content, "异议内容", max_length=3000, required=True).strip(),
        contact_name=check_text(contact_name, "联系人", max_length=50).strip(),
        contact_phone=require_phone(contact_phone, "联系电话", field="contact_phone"),
        submitter_ip=ip,
        tracking_code=tracking_code(
            "YY", lambda code: Objection.objects.filter(tracking_code=code).exists()))
    record(None, "objection.file", nomination,
           after={"objection": objection.pk, "tracking_code": objection.tracking_code}, ip=ip)
    deliver(with_roles(*roles.OFFICE_EDITORS), f"honors_objection:{objection.pk}",
            f"好人榜公示异议待处理：{nomination.roll}", f"有人对“{nomination}”提出异议。",
            reverse("honors:roll_detail", args=[nomination.roll_id]))
    return objection


@transaction.atomic
def handle_objection(actor, objection, *, upheld, resolution):
    """The office's finding on an objection. An upheld objection takes the
    person off the roll."""
    _check_office(actor, "处理异议")
    objection = Objection.objects.select_for_update().select_related(
        "nomination__roll").get(pk=objection.pk)
    nomination = objection.nomination
    _check_not_frozen(nomination.roll)
    if objection.status != Objection.Status.PENDING:
        raise DomainError(f"该异议已处理（{objection.get_status_display()}）。")
    resolution = check_text(resolution, "处理意见", max_length=2000, required=True).strip()
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    objection.resolution = resolution
    objection.handled_by, objection.handled_at = actor, timezone.now()
    objection.save()
    if upheld:
        _reject(nomination, f"公示期间异议成立：{resolution}")
        nomination.save()
    record(actor, "objection.handle", nomination,
           after={"objection": objection.pk, "status": objection.status,
                  "resolution": resolution, "nomination_status": nomination.status})
    return objection


# Step 4: publication

def _entry_order(n):
    return (Category.values.index(n.category), n.area.sort_order, n.area.path, n.pk)


@transaction.atomic
def publish_roll(actor, roll, today=None):
    """Publish the roll (or a correction of it) as web page and PDF; from
    then on it is frozen. `today` is the day of publication."""
    require(actor.has_role(roles.APPROVER, roles.ADMIN), "只有签发人或管理员可以发布好人榜。")
    today = today or date.today()
    roll = HonorRoll.objects.select_for_update().get(pk=roll.pk)
    _check_not_frozen(roll)
    if roll.correction_of_id is None:
        if not roll.notice_ends_on:
            raise DomainError("尚未公示，不能发布。")
        if today <= roll.notice_ends_on:
            raise DomainError(f"公示期至{chinese_date(roll.notice_ends_on)}，期满后才能发布。")
        pending = Objection.objects.filter(nomination__roll=roll,
                                           status=Objection.Status.PENDING).count()
        if pending:
            raise DomainError(f"还有{pending}条异议未处理，处理后才能发布。")
        chosen = sorted(roll.nominations.filter(status=Nomination.Status.ON_NOTICE).select_related("area"),
                        key=_entry_order)
        if not chosen:
            raise DomainError("没有公示期满的人选，无法发布。")
        for i, nomination in enumerate(chosen, start=1):
            _move(nomination, Nomination.Status.PUBLISHED)
            nomination.save()
            HonorEntry.objects.create(
                roll=roll, nomination=nomination, order=i, category=nomination.category,
                name=nomination.name, gender=nomination.gender, workplace=nomination.workplace,
                area=nomination.area, summary=nomination.summary)
    elif not roll.entries.exists():
        raise DomainError("更正版本中没有人物，无法发布。")
    roll.published_at, roll.published_by = _publication_time(today), actor
    name = f"{roll.year}-{roll.period}-v{roll.version}"
    roll.pdf.save(f"{name}.pdf", ContentFile(render_roll_pdf(roll)), save=False)
    roll.save()
    record(actor, "roll.publish", roll,
           after={"entries": list(roll.entries.values_list("name", flat=True)),
                  "pdf": roll.pdf.name, "version": roll.version})
    return roll


def _publication_time(day):
    """Now, or office hours of `day` for a roll published on an earlier day
    (e.g. when past rolls are entered)."""
    if day == date.today():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def latest_published(roll):
    original = roll.original
    versions = [original, *original.corrections.all()]
    published = [v for v in versions if v.is_published]
    return max(published, key=lambda v: v.version) if published else None


@transaction.atomic
def create_correction(actor, roll, note):
    """A published roll is corrected by a new version with the same people,
    which the editor fixes and then publishes; the old version stays."""
    _check_office(actor, "更正好人榜")
    roll = HonorRoll.objects.select_for_update().get(pk=roll.pk)
    original = roll.original
    if not roll.is_published:
        raise DomainError("只有已发布的好人榜需要更正；未发布的可以直接修改。")
    if original.corrections.filter(published_at__isnull=True).exists():
        raise DomainError(f"{original}已有未发布的更正版本，请先完成它。")
    note = check_text(note, "更正说明", max_length=2000, required=True).strip()
    latest = latest_published(original)
    version = (original.corrections.aggregate(v=Max("version"))["v"] or 1) + 1
    copy = HonorRoll.objects.create(
        title=original.title, issuer=original.issuer, year=original.year,
        period=original.period, review_method=original.review_method,
        pass_score=original.pass_score, notice_starts_on=original.notice_starts_on,
        notice_ends_on=original.notice_ends_on, correction_of=original,
        correction_note=note, version=version, created_by=actor)
    for entry in latest.entries.all():
        HonorEntry.objects.create(
            roll=copy, nomination=entry.nomination, order=entry.order, category=entry.category,
            name=entry.name, gender=entry.gender, workplace=entry.workplace, area=entry.area,
            summary=entry.summary)
    record(actor, "roll.create_correction", copy,
           after={"correction_of": original.pk, "version": version, "note": note})
    return copy


@transaction.atomic
def update_entry(actor, entry, **fields):
    _check_office(actor, "修改榜单人物")
    entry = HonorEntry.objects.select_for_update().select_related("roll").get(pk=entry.pk)
    _check_not_frozen(entry.roll)
    before = snapshot(entry, ["name", "workplace", "summary", "category"])
    for name, label, limit in [("name", "姓名", 50), ("workplace", "工作单位及身份", 100),
                               ("summary", "简要事迹", 300)]:
        if name in fields:
            fields[name] = check_text(fields[name], label, max_length=limit,
                                      required=True).strip()
            check_no_private_numbers(fields[name], label, field=name)
    if "category" in fields and fields["category"] not in Category.values:
        raise DomainError("请选择类别。", field="category")
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    record(actor, "roll.update_entry", entry.roll, before=before,
           after=snapshot(entry, ["name", "workplace", "summary", "category"]))
    return entry


@transaction.atomic
def remove_entry(actor, entry):
    _check_office(actor, "修改榜单人物")
    entry = HonorEntry.objects.select_for_update().select_related("roll").get(pk=entry.pk)
    _check_not_frozen(entry.roll)
    record(actor, "roll.remove_entry", entry.roll, before={"entry": entry.name})
    entry.delete()


# After publication

@transaction.atomic
def record_higher_honor(actor, nomination, *, level, title, category, announced_on):
    """A person of a published roll entered a provincial or national roll."""
    _check_office(actor, "登记上级榜单入选情况")
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != Nomination.Status.PUBLISHED:
        raise DomainError(f"{nomination.name}未在已发布的好人榜上，不能登记上级榜单入选。")
    title = check_text(title, "上级榜单", max_length=100, required=True).strip()
    if level not in HigherHonor.Level.values:
        raise DomainError("请选择级别。", field="level")
    if category not in Category.values:
        raise DomainError("请选择入选类别。", field="category")
    if nomination.higher_honors.filter(title=title).exists():
        raise DomainError(f"{nomination.name}入选{title}已登记。", field="title")
    honor = HigherHonor.objects.create(nomination=nomination, level=level, title=title,
                                       category=category, announced_on=announced_on,
                                       recorded_by=actor)
    record(actor, "nomination.higher_honor", nomination,
           after={"level": level, "title": title, "category": category,
                  "announced_on": announced_on.isoformat()})
    return honor


def default_notice_window(today=None):
    today = today or date.today()
    return today, today + timedelta(days=6)
