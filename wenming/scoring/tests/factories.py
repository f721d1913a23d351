"""A small ledger with timestamps chosen by the test. Problems and their
timelines are written directly: what is under test is the arithmetic over
a history, not the workflow that records it (campaign's tests cover that)."""

import io
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile

from wenming.campaign.models import (
    Campaign,
    Problem,
    ProblemEvent,
    ProblemPhoto,
    Site,
    SiteCategory,
)
from wenming.core.photos import prepare, save_to

TZ = ZoneInfo("Asia/Shanghai")


def at(text):
    """'2024-01-10 09:00' in Beijing time."""
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def make_campaign():
    return Campaign.objects.get_or_create(name="创建全国文明城市", defaults={"year": 2024})[0]


def make_site(name, district, unit, category="农贸市场"):
    category, _ = SiteCategory.objects.get_or_create(name=category)
    return Site.objects.create(name=name, category=category, district=district,
                               responsible_unit=unit)


def ledger_problem(campaign, site, events, severity="normal", repeat=False, description="问题"):
    """events: [(action, '2024-01-10 09:00', to_status, extra data)]; a
    dispatch's extra data needs its 'deadline'."""
    found = at(events[0][1])
    problem = Problem.objects.create(
        campaign=campaign, site=site, category=site.category, district=site.district,
        responsible_unit=site.responsible_unit, description=description, severity=severity,
        found_at=found, is_repeat=repeat)
    status = ""
    for action, when, to_status, extra in events:
        data = dict(extra or {})
        if action == "create":
            data.setdefault("severity", severity)
        if action in ("dispatch", "reassign"):
            data.setdefault("unit", site.responsible_unit.name)
            data["deadline"] = at(data["deadline"]).isoformat()
            if action == "dispatch":
                problem.deadline = at(extra["deadline"])
        ProblemEvent.objects.create(problem=problem, action=action, from_status=status,
                                    to_status=to_status or status, at=at(when), data=data)
        status = to_status or status
    problem.status = status
    problem.last_transition_at = max(at(when) for action, when, *_ in events
                                     if action in ProblemEvent.TRANSITION_ACTIONS)
    problem.save()
    return problem


def add_event(problem, action, when, to_status="", **data):
    ProblemEvent.objects.create(problem=problem, action=action, from_status=problem.status,
                                to_status=to_status or problem.status, at=at(when), data=data)
    if to_status:
        problem.status = to_status
    if action in ProblemEvent.TRANSITION_ACTIONS:
        problem.last_transition_at = max(problem.last_transition_at, at(when))
    problem.save()


def publish(client, people, bulletin, opinion="同意印发。"):
    """Through the pages, as the office does it: the editor submits, the
    approver signs off with an opinion and publishes with the confirmation."""
    client.force_login(people["editor"])
    client.post(f"/scoring/bulletins/{bulletin.pk}/workflow/submit/")
    client.force_login(people["approver"])
    client.post(f"/scoring/bulletins/{bulletin.pk}/workflow/sign_off/", {"comment": opinion})
    client.post(f"/scoring/bulletins/{bulletin.pk}/workflow/publish/", {"confirmed": "on"})
    bulletin.refresh_from_db()
    return bulletin


def found_photo(problem, picture, **jpeg):
    """`picture` (a PIL image) as a phone photo of `problem`, through the
    campaign's own path: checked, re-encoded, stored. `jpeg`: save options."""
    raw = io.BytesIO()
    picture.save(raw, "JPEG", **jpeg)
    photo = prepare(SimpleUploadedFile("现场.jpg", raw.getvalue(), "image/jpeg"))
    row = ProblemPhoto(problem=problem, stage=ProblemPhoto.Stage.FOUND, width=photo.width,
                       height=photo.height)
    save_to(row.image, photo, uuid.uuid4().hex)
    row.save()
    return row
