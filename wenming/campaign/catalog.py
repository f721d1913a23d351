"""Services for what the loop works on: the campaign and its yearly index,
site categories, sites, inspection plans and the field inspections that
produce problems."""

import uuid

from django.db import transaction
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.models import Unit
from wenming.audit.services import record, snapshot
from wenming.campaign.models import (
    CATEGORY_NAMES,
    Area,
    Campaign,
    Criterion,
    Finding,
    Index,
    Inspection,
    InspectionPlan,
    Item,
    Problem,
    Site,
    SiteCategory,
)
from wenming.campaign.services import create_problem
from wenming.core import geo
from wenming.core.errors import DomainError, require
from wenming.core.photos import cleanup_on_error, prepare_all
from wenming.core.text import check_text
from wenming.tasks.progress import Progress

SITE_FIELDS = ["name", "category", "address", "lat", "lng", "district", "responsible_unit",
               "is_active"]
DISTRICT_KINDS = (Unit.Kind.DISTRICT, Unit.Kind.COUNTY, Unit.Kind.ZONE)


def _check_manager(actor, what):
    require(roles.is_office_inspector(actor), f"只有督查员或管理员可以{what}。")


def ensure_categories():
    """The site categories the index uses; safe to call any number of times."""
    for i, name in enumerate(CATEGORY_NAMES, start=1):
        SiteCategory.objects.get_or_create(name=name, defaults={"sort_order": i})
    return SiteCategory.objects.all()


def active_campaign():
    return Campaign.objects.filter(is_active=True).order_by("-year", "id").first()


@transaction.atomic
def create_campaign(actor, *, name, year, **fields):
    _check_manager(actor, "创建活动")
    name = check_text(name, "名称", max_length=100, required=True).strip()
    campaign = Campaign.objects.create(name=name, year=year, **fields)
    record(actor, "campaign.create", campaign, after=snapshot(campaign))
    return campaign


CAMPAIGN_SETTINGS = ["hours_immediate", "hours_normal", "hours_serious", "remind_before_hours",
                     "level2_after_days", "level3_after_days", "issuer", "notice_prefix"]


@transaction.atomic
def update_campaign(actor, campaign, **fields):
    """The office's settings: deadlines by severity, reminders, escalation, notice heading."""
    require(actor.has_role(roles.ADMIN), "只有管理员可以修改创建活动设置。")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = snapshot(campaign, CAMPAIGN_SETTINGS)
    for name in ("issuer", "notice_prefix"):
        if name in fields:
            fields[name] = check_text(fields[name], Campaign._meta.get_field(name).verbose_name,
                                      max_length=100, required=True).strip()
    for name in ("hours_immediate", "hours_normal", "hours_serious"):
        if name in fields and not fields[name]:
            raise DomainError(f"“{Campaign._meta.get_field(name).verbose_name}”应大于0。",
                              field=name)
    if fields.get("level3_after_days", campaign.level3_after_days) <= \
            fields.get("level2_after_days", campaign.level2_after_days):
        raise DomainError("升为三级督办的天数应大于升为二级督办的天数。", field="level3_after_days")
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.save()
    record(actor, "campaign.update", campaign, before=before,
           after=snapshot(campaign, CAMPAIGN_SETTINGS))
    return campaign


# ---------------------------------------------------------------- index


def import_index(actor, campaign, year, rows, name="", progress=None):
    """Load one year's index from parsed rows (see excel.read_index), all or
    nothing. A version that problems already point at is never replaced.
    The rows were read and checked before (outside any transaction); the
    write is one transaction of a few bulk inserts, short even for the
    largest sheet the reader accepts, so it is also what makes it all or
    nothing: a failure or a cancel at the last progress report leaves the
    previous version as it was."""
    _check_manager(actor, "导入测评体系")
    progress = progress or Progress()
    ensure_categories()
    categories = {c.name: c for c in SiteCategory.objects.all()}
    progress.update(f"正在写入{len(rows):,}条测评标准", done=0, total=len(rows))
    with transaction.atomic():
        index = Index.objects.select_for_update().filter(campaign=campaign, year=year).first()
        if index is not None:
            used = (Problem.objects.filter(criterion__index=index).exists()
                    or Finding.objects.filter(criterion__index=index).exists())
            if used:
                raise DomainError(f"{year}年版测评体系已有问题引用，不能整体替换；"
                                  "请导入为新的年度版本。", field="year")
            index.areas.all().delete()
            index.name = name or index.name
            index.save()
        else:
            index = Index.objects.create(campaign=campaign, year=year,
                                         name=name or f"{year}年版测评体系")
        areas = {}
        for r in rows:
            areas.setdefault(r["area_code"], Area(index=index, code=r["area_code"],
                                                  name=r["area_name"]))
        Area.objects.bulk_create(list(areas.values()))
        areas = {a.code: a for a in Area.objects.filter(index=index)}
        items = {}
        for r in rows:
            items.setdefault(r["item_code"], Item(index=index, area=areas[r["area_code"]],
                                                  code=r["item_code"], name=r["item_name"]))
        Item.objects.bulk_create(list(items.values()))
        items = {i.code: i for i in Item.objects.filter(index=index)}
        Criterion.objects.bulk_create([
            Criterion(index=index, area=areas[r["area_code"]], item=items[r["item_code"]],
                      code=r["code"], text=r["text"], method=r["method"], weight=r["weight"])
            for r in rows], batch_size=1000)
        ids = dict(Criterion.objects.filter(index=index).values_list("code", "pk"))
        Through = Criterion.categories.through
        Through.objects.bulk_create([
            Through(criterion_id=ids[r["code"]], sitecategory_id=categories[n].pk)
            for r in rows for n in r["categories"]], batch_size=2000)
        record(actor, "index.import", index, after={"year": year, "criteria": len(rows)})
    return index


# ---------------------------------------------------------------- sites


def _clean_site(fields):
    for name, label, length in [("name", "点位名称", 100), ("address", "地址", 200)]:
        if name in fields:
            fields[name] = check_text(fields[name], label, max_length=length,
                                      required=name == "name").strip()
    return fields


def to_wgs84(lat, lng, system):
    """Form or sheet coordinates → stored WGS-84, rounded to the column."""
    if lat in (None, "") and lng in (None, ""):
        return None, None
    if lat in (None, "") or lng in (None, ""):
        raise DomainError("经度和纬度要么都填，要么都不填。", field="lat")
    try:
        lat, lng = geo.check_lat_lng(lat, lng)
    except (TypeError, ValueError) as e:
        raise DomainError(f"坐标有误：{e}。", field="lat") from None
    lat, lng = geo.to_wgs84(lat, lng, system)
    return round(lat, 6), round(lng, 6)


@transaction.atomic
def save_site(actor, site=None, **fields):
    _check_manager(actor, "维护点位")
    fields = _clean_site(fields)
    before = snapshot(site, SITE_FIELDS) if site else None
    site = site or Site()
    for name, value in fields.items():
        setattr(site, name, value)
    clash = Site.objects.filter(district=site.district, name=site.name).exclude(pk=site.pk)
    if clash.exists():
        raise DomainError(f"{site.district.name}已有点位“{site.name}”。", field="name")
    site.save()
    record(actor, "site.update" if before else "site.create", site, before=before,
           after=snapshot(site, SITE_FIELDS))
    return site


@transaction.atomic
def import_sites(actor, rows):
    """Create or update sites from parsed rows (see excel.read_sites), all or
    nothing. A site is matched by district and name."""
    _check_manager(actor, "导入点位")
    created = updated = 0
    for row in rows:
        site = Site.objects.filter(district=row["district"], name=row["name"]).first()
        if site is None:
            site, created = Site(), created + 1
        else:
            updated += 1
        for name in ("name", "category", "address", "lat", "lng", "district",
                     "responsible_unit"):
            setattr(site, name, row[name])
        site.save()
    record(actor, "site.import", None, object_type="campaign.site",
           after={"created": created, "updated": updated})
    return created, updated


def find_unit(text, label, row=None):
    """A unit named in a sheet: a unique name, or a path like ××区/××街道."""
    where = f"第{row}行：" if row else ""
    text = (text or "").strip()
    if not text:
        raise DomainError(f"{where}“{label}”不能为空。")
    parts = [p.strip() for p in text.replace("／", "/").split("/") if p.strip()]
    candidates = Unit.objects.filter(name=parts[-1])
    matches = [u for u in candidates if _ends_with_path(u, parts)]
    if not matches:
        raise DomainError(f"{where}找不到{label}“{text}”。")
    if len(matches) > 1:
        raise DomainError(f"{where}{label}“{text}”有{len(matches)}个同名单位，"
                          "请写上级单位，如“××区/××街道”。")
    return matches[0]


def _ends_with_path(unit, parts):
    if len(parts) == 1:
        return True
    names = [u.name for u in unit.ancestors()] + [unit.name]
    return names[-len(parts):] == parts


# ---------------------------------------------------------------- plans


@transaction.atomic
def create_plan(actor, *, campaign, title, starts_on, ends_on, inspectors, sites,
                is_undercover=False, note=""):
    _check_manager(actor, "制定督查计划")
    title = check_text(title, "计划名称", max_length=100, required=True).strip()
    note = check_text(note, "说明", max_length=2000)
    if ends_on < starts_on:
        raise DomainError("结束日期不能早于开始日期。", field="ends_on")
    if not inspectors:
        raise DomainError("请选择督查员。", field="inspectors")
    if not sites:
        raise DomainError("请选择点位。", field="sites")
    plan = InspectionPlan.objects.create(
        campaign=campaign, title=title, starts_on=starts_on, ends_on=ends_on,
        is_undercover=is_undercover, note=note, created_by=actor)
    plan.inspectors.set(inspectors)
    plan.sites.set(sites)
    record(actor, "plan.create", plan, after={
        "title": title, "undercover": is_undercover, "sites": len(sites)})
    return plan


@transaction.atomic
def complete_plan(actor, plan):
    """A finished plan; an undercover one becomes visible to the units."""
    _check_manager(actor, "完成督查计划")
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == InspectionPlan.Status.DONE:
        raise DomainError(f"督查计划“{plan.title}”已完成。")
    plan.status, plan.done_at = InspectionPlan.Status.DONE, timezone.now()
    plan.save()
    record(actor, "plan.complete", plan, after={"status": plan.status})
    return plan


# ---------------------------------------------------------------- field form


def checklist(site, index):
    """The field-inspection criteria of `index` that apply to the site's category."""
    return list(index.criteria.filter(categories=site.category,
                                      method=Criterion.Method.FIELD)
                .select_related("item", "area").order_by("area_id", "item_id", "id"))


def record_inspection(actor, site, *, client_id, findings, plan=None, note="", index=None):
    """The field form: one visit, each criterion marked pass or problem.
    `findings`: [{"criterion", "result", "description", "severity", "photos"}].
    Idempotent by `client_id` (generated into the form when it was shown)."""
    _check_manager(actor, "登记督查结果")
    client_id = uuid.UUID(str(client_id))
    existing = Inspection.objects.filter(client_id=client_id).first()
    if existing:
        return existing
    if plan is not None:
        if plan.status == InspectionPlan.Status.DONE:
            raise DomainError(f"督查计划“{plan.title}”已完成，不能再登记。")
        if not plan.sites.filter(pk=site.pk).exists():
            raise DomainError(f"点位“{site.name}”不在督查计划“{plan.title}”中。")
    note = check_text(note, "备注", max_length=2000)
    allowed = {c.pk for c in checklist(site, index)} if index else None
    checked = []
    for r in findings:
        c = r["criterion"]
        if allowed is not None and c.pk not in allowed:
            raise DomainError(f"测评标准 {c.code} 不适用于{site.category.name}。")
        if r["result"] == Finding.Result.PROBLEM:
            r = {**r, "description": check_text(r.get("description"), f"{c.code} 问题描述",
                                                max_length=2000, required=True),
                 "photos": prepare_all(r.get("photos"), f"{c.code} 问题照片", keep_gps=True)}
        checked.append(r)
    if not checked:
        raise DomainError("请至少检查一项测评标准。")
    with cleanup_on_error(), transaction.atomic():
        existing = Inspection.objects.select_for_update().filter(client_id=client_id).first()
        if existing:
            return existing
        now = timezone.now()
        inspection = Inspection.objects.create(
            plan=plan, site=site, inspector=actor, inspected_at=now, note=note,
            client_id=client_id)
        for r in checked:
            finding = Finding(inspection=inspection, criterion=r["criterion"],
                              result=r["result"])
            if r["result"] == Finding.Result.PROBLEM:
                finding.problem = create_problem(
                    actor, site=site, criterion=r["criterion"], description=r["description"],
                    severity=r.get("severity") or Problem.Severity.NORMAL,
                    photos=r["photos"], found_at=now, inspection=inspection,
                    client_id=uuid.uuid5(client_id, str(r["criterion"].pk)),
                    campaign=r["criterion"].index.campaign)
            finding.save()
        record(actor, "inspection.create", inspection, after={
            "site": site.pk, "plan": plan.pk if plan else None, "checked": len(checked),
            "problems": sum(r["result"] == Finding.Result.PROBLEM for r in checked)})
    return inspection
