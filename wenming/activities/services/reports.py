"""Activity reports (活动报送) of units into a themed campaign, with rosters and photos."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from wenming.accounts import roles
from wenming.accounts.scoping import can_see_unit
from wenming.activities.models import (
    Activity,
    ActivityPhoto,
    ThemedCampaign,
    VolunteerRecord,
)
from wenming.activities.services.base import (
    ACTIVITY_FIELDS,
    MAX_COUNT,
)
from wenming.audit.services import record, snapshot
from wenming.core.errors import DomainError, require
from wenming.core.photos import prepare_all, store_all
from wenming.core.text import check_text

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

