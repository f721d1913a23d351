"""Every change to titles, themed campaigns and activities: permission check,
transaction, audit event."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from wenming.accounts import roles
from wenming.accounts.scoping import can_see_unit
from wenming.activities.models import (
    Activity,
    ActivityPhoto,
    AnnualReview,
    CivilizedUnit,
    ContentArea,
    ThemedCampaign,
    VolunteerRecord,
)
from wenming.audit.services import record, snapshot
from wenming.core import states
from wenming.core.errors import DomainError, require
from wenming.core.photos import prepare_all, store_all
from wenming.core.text import check_text

TITLE_FIELDS = ["unit", "holder_name", "category", "level", "awarded_on", "valid_until",
                "batch", "document_no", "revoked_on", "revoke_reason"]
THEMED_CAMPAIGN_FIELDS = ["title", "short_name", "participants_label", "starts_on", "ends_on",
                   "purpose", "status"]
ACTIVITY_FIELDS = ["themed_campaign", "unit", "title", "date", "place", "content_area", "participants",
                   "volunteers", "volunteer_hours", "beneficiaries", "summary"]
# A title is named for three years unless the decision says otherwise.
DEFAULT_VALIDITY_YEARS = 3
MAX_AREAS = 20
MAX_COUNT = 1_000_000

# The themed campaign state machine: status → statuses it may move to.
TRANSITIONS = {
    ThemedCampaign.Status.OPEN: {ThemedCampaign.Status.CLOSED},
    ThemedCampaign.Status.CLOSED: {ThemedCampaign.Status.OPEN},
}


def _check_office(user, what):
    require(roles.is_office_editor(user), f"只有文明办管理员或编辑可以{what}。")


# Titles (文明称号)

def add_years(d, years):
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _clean_title(fields):
    for name, label, limit in [("holder_name", "称号获得者", 100), ("batch", "届次/批次", 50),
                               ("document_no", "命名文号", 100)]:
        if name in fields:
            fields[name] = check_text(fields[name], label, max_length=limit).strip()
    if fields.get("category") == CivilizedUnit.Category.FAMILY and not fields.get("holder_name"):
        raise DomainError("文明家庭请填写“称号获得者”（如：张某某家庭）。", field="holder_name")
    if not fields.get("holder_name") and fields.get("unit"):
        fields["holder_name"] = fields["unit"].name
    if fields.get("awarded_on") and not fields.get("valid_until"):
        fields["valid_until"] = add_years(fields["awarded_on"], DEFAULT_VALIDITY_YEARS)
    if fields["valid_until"] <= fields["awarded_on"]:
        raise DomainError("“有效期至”应晚于“命名日期”。", field="valid_until")
    return fields


def _duplicate_title(title):
    clash = CivilizedUnit.objects.filter(
        holder_name=title.holder_name, category=title.category, level=title.level,
        awarded_on=title.awarded_on).exclude(pk=title.pk)
    if clash.exists():
        raise DomainError(f"{title.holder_name}于{title.awarded_text}命名的{title.title_name}"
                          "已登记，不能重复。", field="holder_name")


@transaction.atomic
def award_title(actor, *, unit, category, level, awarded_on, valid_until=None, holder_name="",
                batch="", document_no=""):
    _check_office(actor, "登记文明称号")
    fields = _clean_title({"unit": unit, "category": category, "level": level,
                           "awarded_on": awarded_on, "valid_until": valid_until,
                           "holder_name": holder_name, "batch": batch,
                           "document_no": document_no})
    title = CivilizedUnit(created_by=actor, **fields)
    _duplicate_title(title)
    title.save()
    record(actor, "title.award", title, after=snapshot(title, TITLE_FIELDS))
    return title


def _check_not_revoked(title):
    if title.revoked_on:
        raise DomainError(f"{title}已于{title.revoked_on:%Y-%m-%d}撤销，不能再修改或复查。")


@transaction.atomic
def update_title(actor, title, **fields):
    _check_office(actor, "修改文明称号")
    title = CivilizedUnit.objects.select_for_update().get(pk=title.pk)
    _check_not_revoked(title)
    before = snapshot(title, TITLE_FIELDS)
    current = {name: getattr(title, name) for name in
               ["unit", "category", "level", "awarded_on", "valid_until", "holder_name", "batch",
                "document_no"]}
    current.update(fields)
    for name, value in _clean_title(current).items():
        setattr(title, name, value)
    _duplicate_title(title)
    title.save()
    record(actor, "title.update", title, before=before, after=snapshot(title, TITLE_FIELDS))
    return title


@transaction.atomic
def record_annual_review(actor, title, *, year, result, note="", reviewed_on=None):
    """The year's review result. A failed review ends the title: the
    office revokes it the same day."""
    _check_office(actor, "登记年度复查结果")
    title = CivilizedUnit.objects.select_for_update().get(pk=title.pk)
    _check_not_revoked(title)
    reviewed_on = reviewed_on or date.today()
    if not title.awarded_on.year <= year <= title.valid_until.year:
        raise DomainError(f"复查年度应在称号有效期内（{title.awarded_on.year}—"
                          f"{title.valid_until.year}年）。", field="year")
    if title.reviews.filter(year=year).exists():
        raise DomainError(f"{title.holder_name}{year}年度的复查结果已登记。", field="year")
    if result not in AnnualReview.Result.values:
        raise DomainError("请选择复查结果。", field="result")
    note = check_text(note, "复查意见", max_length=2000)
    if result == AnnualReview.Result.FAILED and not note.strip():
        raise DomainError("复查不合格时请填写复查意见。", field="note")
    review = AnnualReview.objects.create(title=title, year=year, result=result, note=note,
                                         reviewed_on=reviewed_on, reviewed_by=actor)
    after = {"year": year, "result": result, "note": note}
    if result == AnnualReview.Result.FAILED:
        title.revoked_on = reviewed_on
        title.revoke_reason = f"{year}年度复查不合格"
        title.save()
        after["revoked_on"] = reviewed_on.isoformat()
    record(actor, "title.annual_review", title, after=after)
    return review


@transaction.atomic
def revoke_title(actor, title, *, reason, on=None):
    _check_office(actor, "撤销文明称号")
    title = CivilizedUnit.objects.select_for_update().get(pk=title.pk)
    _check_not_revoked(title)
    title.revoke_reason = check_text(reason, "撤销原因", max_length=300, required=True).strip()
    title.revoked_on = on or date.today()
    title.save()
    record(actor, "title.revoke", title, after={"revoked_on": title.revoked_on.isoformat(),
                                                "reason": title.revoke_reason})
    return title


# Themed campaigns (专项活动)

def _clean_areas(areas):
    names = []
    for i, raw in enumerate(areas, start=1):
        name = check_text(raw, f"内容方面第{i}行", max_length=30).strip()
        if not name:
            continue
        if name in names:
            raise DomainError(f"内容方面“{name}”重复。", field="areas")
        names.append(name)
    if not names:
        raise DomainError("请至少填写一个活动内容方面。", field="areas")
    if len(names) > MAX_AREAS:
        raise DomainError(f"内容方面最多{MAX_AREAS}个。", field="areas")
    return names


def _clean_themed_campaign(fields):
    for name, label, limit, required in [
        ("title", "活动名称", 100, True), ("short_name", "简称", 20, False),
        ("participants_label", "参与范围", 50, True), ("purpose", "活动目的", 200, False),
    ]:
        if name in fields:
            fields[name] = check_text(fields[name], label, max_length=limit,
                                      required=required).strip()
    if fields["ends_on"] < fields["starts_on"]:
        raise DomainError("“结束日期”不能早于“开始日期”。", field="ends_on")
    return fields


@transaction.atomic
def create_themed_campaign(actor, *, title, starts_on, ends_on, areas, units=(), short_name="",
                    participants_label="市直文明单位", purpose=""):
    _check_office(actor, "创建专项活动")
    fields = _clean_themed_campaign({"title": title, "short_name": short_name, "starts_on": starts_on,
                              "ends_on": ends_on, "participants_label": participants_label,
                              "purpose": purpose})
    names = _clean_areas(areas)
    themed_campaign = ThemedCampaign.objects.create(created_by=actor, **fields)
    ContentArea.objects.bulk_create(
        ContentArea(themed_campaign=themed_campaign, name=name, order=i) for i, name in enumerate(names, 1))
    themed_campaign.units.set(units)
    record(actor, "themed_campaign.create", themed_campaign,
           after={**snapshot(themed_campaign, THEMED_CAMPAIGN_FIELDS), "areas": names,
                  "units": [u.pk for u in units]})
    return themed_campaign


@transaction.atomic
def update_themed_campaign(actor, themed_campaign, *, areas=None, units=None, **fields):
    """Change a themed campaign. Content areas are matched by name: new names are
    added, missing ones removed, which is refused once a unit reported
    under them."""
    _check_office(actor, "修改专项活动")
    themed_campaign = ThemedCampaign.objects.select_for_update().get(pk=themed_campaign.pk)
    before = {**snapshot(themed_campaign, THEMED_CAMPAIGN_FIELDS),
              "areas": list(themed_campaign.areas.values_list("name", flat=True))}
    current = {name: getattr(themed_campaign, name) for name in
               ["title", "short_name", "participants_label", "starts_on", "ends_on", "purpose"]}
    current.update(fields)
    for name, value in _clean_themed_campaign(current).items():
        setattr(themed_campaign, name, value)
    outside = themed_campaign.activities.exclude(date__range=(themed_campaign.starts_on, themed_campaign.ends_on))
    if outside.exists():
        a = outside.first()
        raise DomainError(f"已报送的活动“{a.title}”（{a.date_text}）不在新的起止日期内。",
                          field="starts_on")
    themed_campaign.save()
    if areas is not None:
        names = _clean_areas(areas)
        existing = {a.name: a for a in themed_campaign.areas.all()}
        for name, area in existing.items():
            if name not in names:
                if area.activities.exists():
                    raise DomainError(f"内容方面“{name}”下已有活动报送，不能删除。",
                                      field="areas")
                area.delete()
        for i, name in enumerate(names, start=1):
            area = existing.get(name) or ContentArea(themed_campaign=themed_campaign, name=name)
            area.order = i
            area.save()
    if units is not None:
        themed_campaign.units.set(units)
    record(actor, "themed_campaign.update", themed_campaign, before=before,
           after={**snapshot(themed_campaign, THEMED_CAMPAIGN_FIELDS),
                  "areas": list(themed_campaign.areas.values_list("name", flat=True))})
    return themed_campaign


@transaction.atomic
def set_themed_campaign_status(actor, themed_campaign, to_status):
    _check_office(actor, "开启或结束专项活动")
    themed_campaign = ThemedCampaign.objects.select_for_update().get(pk=themed_campaign.pk)
    before = states.move(themed_campaign, TRANSITIONS, to_status, "专项活动")
    themed_campaign.save()
    record(actor, "themed_campaign.set_status", themed_campaign, before={"status": before},
           after={"status": to_status})
    return themed_campaign


# Activities (活动报送)

_ROSTER_LINE = re.compile(r"^(?P<name>[^\s,，、;；:：]{1,50})[\s,，、;；:：]+(?P<hours>\S+?)(小时|h|H)?$")


def parse_roster(text):
    """Volunteer list as units type it, one volunteer a line: 姓名 时长.
    Returns [(name, hours)]; a bad line is named in the error."""
    rows = []
    for i, line in enumerate(check_text(text, "志愿者名单", max_length=20000).split("\n"), 1):
        line = line.strip()
        if not line:
            continue
        match = _ROSTER_LINE.match(line)
        if not match:
            raise DomainError(f"志愿者名单第{i}行应为“姓名 时长”，如“张三 2.5”。", field="roster")
        try:
            hours = Decimal(match["hours"])
        except InvalidOperation:
            raise DomainError(f"志愿者名单第{i}行的时长“{match['hours']}”不是数字。",
                              field="roster") from None
        if not Decimal("0") < hours <= Decimal("24"):
            raise DomainError(f"志愿者名单第{i}行的时长应在0到24小时之间。", field="roster")
        rows.append((match["name"], hours.quantize(Decimal("0.1"))))
    return rows


def _can_report_for(actor, unit):
    if roles.is_office_editor(actor):
        return True
    return actor.has_role(roles.LIAISON) and can_see_unit(actor, unit)


def _check_open(themed_campaign):
    if themed_campaign.status != ThemedCampaign.Status.OPEN:
        raise DomainError(f"“{themed_campaign.title}”已结束，不能再报送或修改活动。")


def _clean_activity(themed_campaign, fields, roster):
    for name, label, limit in [("title", "活动名称", 100), ("place", "活动地点", 100)]:
        fields[name] = check_text(fields[name], label, max_length=limit, required=True).strip()
    fields["summary"] = check_text(fields["summary"], "活动简介", max_length=5000,
                                   required=True).strip()
    if fields["content_area"].themed_campaign_id != themed_campaign.pk:
        raise DomainError("内容方面不属于本专项活动。", field="content_area")
    if not themed_campaign.starts_on <= fields["date"] <= themed_campaign.ends_on:
        raise DomainError(f"活动日期应在专项活动期间（{themed_campaign.period_text}）。", field="date")
    if fields["date"] > date.today():
        raise DomainError("活动日期不能晚于今天，请在活动开展后报送。", field="date")
    if roster:
        fields["volunteers"] = len(roster)
        fields["volunteer_hours"] = sum((h for _, h in roster), Decimal(0))
    fields["volunteer_hours"] = Decimal(fields.get("volunteer_hours") or 0).quantize(
        Decimal("0.1"))
    for name, label in [("participants", "参与人数"), ("volunteers", "志愿者人数"),
                        ("beneficiaries", "受益群众人数")]:
        value = fields.get(name) or 0
        if not 0 <= value <= MAX_COUNT:
            raise DomainError(f"“{label}”应在0到{MAX_COUNT}之间。", field=name)
        fields[name] = value
    if fields["participants"] < 1:
        raise DomainError("“参与人数”至少为1。", field="participants")
    if fields["volunteers"] > fields["participants"]:
        raise DomainError("“志愿者人数”不能多于“参与人数”（参与人数含志愿者）。",
                          field="volunteers")
    if fields["volunteer_hours"] and not fields["volunteers"]:
        raise DomainError("填写了志愿服务时长，请同时填写志愿者人数。", field="volunteers")
    if fields["volunteer_hours"] > fields["volunteers"] * 24:
        raise DomainError(f"志愿服务时长{fields['volunteer_hours']}小时超过"
                          f"{fields['volunteers']}名志愿者一天的上限。", field="volunteer_hours")
    if fields["volunteer_hours"] < 0:
        raise DomainError("“志愿服务时长”不能为负数。", field="volunteer_hours")
    return fields


def _save_roster(activity, roster):
    activity.volunteer_records.all().delete()
    VolunteerRecord.objects.bulk_create(
        VolunteerRecord(activity=activity, name=name, hours=hours, order=i)
        for i, (name, hours) in enumerate(roster, start=1))


def _add_photos(activity, uploads):
    have = activity.photos.count()
    prepared = prepare_all(uploads, "每项活动的照片", have=have)
    return store_all(prepared, lambda photo, order: ActivityPhoto(
        activity=activity, width=photo.width, height=photo.height, order=order), first=have + 1)


@transaction.atomic
def report_activity(actor, themed_campaign, *, unit, title, date, place, content_area, participants,
                    summary, volunteers=0, volunteer_hours=0, beneficiaries=0, partners=(),
                    roster="", photos=()):
    require(_can_report_for(actor, unit), "只能以本单位名义报送活动。")
    themed_campaign = ThemedCampaign.objects.select_for_update().get(pk=themed_campaign.pk)
    _check_open(themed_campaign)
    roster_rows = parse_roster(roster)
    fields = _clean_activity(themed_campaign, {
        "title": title, "date": date, "place": place, "content_area": content_area,
        "participants": participants, "volunteers": volunteers,
        "volunteer_hours": volunteer_hours, "beneficiaries": beneficiaries, "summary": summary,
    }, roster_rows)
    activity = Activity.objects.create(themed_campaign=themed_campaign, unit=unit, reported_by=actor, **fields)
    activity.partners.set([p for p in partners if p.pk != unit.pk])
    _save_roster(activity, roster_rows)
    added = _add_photos(activity, photos)
    record(actor, "activity.report", activity,
           after={**snapshot(activity, ACTIVITY_FIELDS), "photos": len(added),
                  "partners": [p.pk for p in partners]})
    return activity


@transaction.atomic
def update_activity(actor, activity, *, partners=None, roster=None, photos=(), **fields):
    activity = Activity.objects.select_for_update().select_related("themed_campaign").get(
        pk=activity.pk)
    require(_can_report_for(actor, activity.unit), "只能修改本单位报送的活动。")
    _check_open(activity.themed_campaign)
    before = snapshot(activity, ACTIVITY_FIELDS)
    current = {name: getattr(activity, name) for name in
               ["title", "date", "place", "content_area", "participants", "volunteers",
                "volunteer_hours", "beneficiaries", "summary"]}
    current.update(fields)
    roster_rows = parse_roster(roster) if roster is not None else None
    if roster_rows is None and activity.volunteer_records.exists():
        # Counts follow the stored list unless a new list is given.
        roster_rows = [(v.name, v.hours) for v in activity.volunteer_records.all()]
    for name, value in _clean_activity(activity.themed_campaign, current, roster_rows).items():
        setattr(activity, name, value)
    activity.save()
    if roster is not None:
        _save_roster(activity, roster_rows)
    if partners is not None:
        activity.partners.set([p for p in partners if p.pk != activity.unit_id])
    added = _add_photos(activity, photos)
    record(actor, "activity.update", activity, before=before,
           after={**snapshot(activity, ACTIVITY_FIELDS), "photos_added": len(added)})
    return activity


@transaction.atomic
def remove_photo(actor, photo):
    activity = photo.activity
    require(_can_report_for(actor, activity.unit), "只能修改本单位报送的活动。")
    _check_open(activity.themed_campaign)
    record(actor, "activity.remove_photo", activity, before={"photo": photo.image.name})
    photo.image.delete(save=False)
    photo.delete()
    return activity


@transaction.atomic
def withdraw_activity(actor, activity):
    activity = Activity.objects.select_for_update().select_related("themed_campaign").get(
        pk=activity.pk)
    require(_can_report_for(actor, activity.unit), "只能撤回本单位报送的活动。")
    _check_open(activity.themed_campaign)
    record(actor, "activity.withdraw", activity, before=snapshot(activity, ACTIVITY_FIELDS))
    files = [p.image for p in activity.photos.all()]
    activity.delete()
    # Files go only once the rows are gone for good.
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])
    return activity

