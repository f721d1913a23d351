"""Themed campaigns (专项活动): create, update, open and close."""

from django.db import transaction

from wenming.activities.models import (
    ContentArea,
    ThemedCampaign,
)
from wenming.activities.services.base import (
    MAX_AREAS,
    THEMED_CAMPAIGN_FIELDS,
    TRANSITIONS,
    _check_office,
)
from wenming.audit.services import record, snapshot
from wenming.core import states
from wenming.core.errors import DomainError
from wenming.core.text import check_text

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


