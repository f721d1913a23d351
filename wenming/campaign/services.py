"""The problem workflow: every change to a problem goes through the one
state table below. Each service takes the acting user (None for the
scheduled tick), checks permission, works in one transaction, writes the
timeline event and one audit event, and returns the problem."""

import uuid
from collections import namedtuple
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.models import User
from wenming.accounts.scoping import can_see_unit
from wenming.audit.services import record
from wenming.campaign import desk
from wenming.campaign.models import (
    Campaign,
    NoticeCounter,
    Notification,
    Problem,
    ProblemEvent,
    ProblemPhoto,
    Rectification,
    SupervisionNotice,
)
from wenming.core import states
from wenming.core.errors import DomainError, require
from wenming.core.photos import cleanup_on_error, prepare_all, store_all
from wenming.core.text import check_text
from wenming.inbox.services import robot_muted

MANAGERS = roles.OFFICE_INSPECTORS
OFFICE, UNIT, SYSTEM = "office", "unit", "system"
REPEAT_WINDOW = timedelta(days=30)

Transition = namedtuple("Transition", "sources target who label")
# Every transition of a problem. `target` None keeps the status (a flag or
# an escalation). `who`: the office's campaign staff, the liaison of the
# responsible unit, or the scheduled tick (which the office may also do).
TRANSITIONS = {
    "create": Transition((), Problem.Status.FOUND, {OFFICE}, "发现问题"),
    "dispatch": Transition({Problem.Status.FOUND}, Problem.Status.DISPATCHED, {OFFICE}, "交办"),
    "submit": Transition({Problem.Status.DISPATCHED, Problem.Status.REJECTED},
                         Problem.Status.SUBMITTED, {UNIT}, "提交整改"),
    "dispute": Transition({Problem.Status.DISPATCHED, Problem.Status.REJECTED},
                          Problem.Status.DISPUTED, {UNIT}, "申诉"),
    "reassign": Transition({Problem.Status.DISPUTED, Problem.Status.DISPATCHED,
                            Problem.Status.REJECTED},
                           Problem.Status.DISPATCHED, {OFFICE}, "改派"),
    "dismiss": Transition({Problem.Status.DISPUTED}, Problem.Status.DISPATCHED, {OFFICE}, "驳回申诉"),
    "verify": Transition({Problem.Status.SUBMITTED}, Problem.Status.CLOSED, {OFFICE},
                         "复查通过，销号"),
    "reject": Transition({Problem.Status.SUBMITTED}, Problem.Status.REJECTED, {OFFICE},
                         "复查未通过，退回整改"),
    "cancel": Transition({Problem.Status.FOUND, Problem.Status.DISPATCHED, Problem.Status.REJECTED,
                          Problem.Status.DISPUTED, Problem.Status.SUBMITTED},
                         Problem.Status.CANCELLED, {OFFICE}, "撤销"),
    "remind": Transition(set(Problem.OPEN_FOR_UNIT), None, {SYSTEM}, "到期提醒"),
    "overdue": Transition(set(Problem.OPEN_FOR_UNIT), None, {SYSTEM}, "逾期"),
    "escalate": Transition({Problem.Status.DISPATCHED, Problem.Status.REJECTED,
                            Problem.Status.DISPUTED, Problem.Status.SUBMITTED},
                           None, {OFFICE, SYSTEM}, "督办"),
}
ACTION_LABELS = {name: t.label for name, t in TRANSITIONS.items()}


def allowed_actions(user, problem):
    """The transitions `user` may take on `problem` now (for the page's buttons)."""
    return {name for name, t in TRANSITIONS.items()
            if problem.status in t.sources and _may(user, problem, t)}


def _may(user, problem, t):
    if user is None:
        return SYSTEM in t.who
    if OFFICE in t.who and roles.is_office_inspector(user):
        return True
    return (UNIT in t.who and user.has_role(roles.LIAISON)
            and problem.responsible_unit_id is not None
            and can_see_unit(user, problem.responsible_unit))


def _deny_message(t):
    if t.who == {UNIT}:
        return f"只有责任单位的联络员可以{t.label}。"
    return f"只有督查员或管理员可以{t.label}。"


def _lock(problem):
    # of=self: the joined rows are read, not locked (PostgreSQL refuses to
    # lock the nullable side of an outer join).
    return Problem.objects.select_for_update(of=("self",)).select_related(
        "campaign", "responsible_unit", "site").get(pk=problem.pk)


def _move(actor, problem, action, note="", data=None, photos=(), stage=None, at=None,
          tell=True):
    """Check and apply one transition on a locked problem; write its
    timeline event (with photos) and its audit event. `tell=False` leaves
    the inbox messages to a caller that may still undo the step."""
    t = TRANSITIONS[action]
    require(_may(actor, problem, t), _deny_message(t))
    # A reminder or an escalation keeps the status: it is a step to itself.
    target = problem.status if t.target is None else t.target
    before = states.move(problem, {s: {t.target or s} for s in t.sources}, target,
                         action=t.label if t.target is None else None)
    at = at or timezone.now()
    if t.target is not None:
        problem.last_transition_at = max(problem.last_transition_at, at)
    problem.save()
    event = ProblemEvent.objects.create(
        problem=problem, action=action, from_status=before, to_status=problem.status,
        actor=actor, at=at, note=note, data=data or {})
    _store_photos(problem, photos, stage, event=event)
    record(actor, f"problem.{action}", problem, before={"status": before},
           after={"status": problem.status, "note": note, **(data or {})})
    if tell:
        desk.problem_moved(problem, event)
    return event


def _store_photos(problem, photos, stage, event=None, rectification=None):
    store_all(photos, lambda photo, _order: ProblemPhoto(
        problem=problem, event=event, rectification=rectification, stage=stage,
        width=photo.width, height=photo.height))


def _deadline(campaign, severity, start):
    return start + timedelta(hours=campaign.deadline_hours(severity))


def _clean_note(note, label, required=False):
    return check_text(note, label, max_length=2000, required=required).strip()


# ---------------------------------------------------------------- finding


def create_problem(actor, *, site, criterion, description, severity=Problem.Severity.NORMAL,
                   photos=(), client_id=None, found_at=None,
                   inspection=None, lat=None, lng=None, campaign=None,
                   source=Problem.Source.INSPECTION, responsible_unit=None, district=None,
                   integrator=None):
    """A finding becomes a problem (待交办). Idempotent by `client_id`: a
    retried submit of the same form returns the problem made the first time.
    `integrator` (an active API key with ledger:write, no user as `actor`)
    files one for a unit within the key's owner unit."""
    require(roles.is_office_inspector(actor) or _integrator_may_file(integrator, responsible_unit),
            "只有督查员或管理员可以登记问题。")
    client_id = uuid.UUID(str(client_id)) if client_id else uuid.uuid4()
    existing = Problem.objects.filter(client_id=client_id).first()
    if existing:
        return existing
    description = _clean_note(description, "问题描述", required=True)
    if severity not in Problem.Severity.values:
        raise DomainError("请选择问题等级。", field="severity")
    prepared = prepare_all(photos, "问题照片", keep_gps=True)
    campaign = campaign or (criterion.index.campaign if criterion else None) or \
        Campaign.objects.filter(is_active=True).first()
    if campaign is None:
        raise DomainError("还没有创建活动，请先建立测评体系。")
    with cleanup_on_error(), transaction.atomic():
        # A concurrent retry may have committed meanwhile; the unique client_id decides.
        existing = Problem.objects.select_for_update().filter(client_id=client_id).first()
        if existing:
            return existing
        found_at = found_at or timezone.now()
        problem = Problem(
            campaign=campaign, site=site, criterion=criterion, client_id=client_id,
            area_id=criterion.area_id if criterion else None,
            category_id=site.category_id if site else None,
            district=district or (site.district if site else None),
            responsible_unit=responsible_unit or (site.responsible_unit if site else None),
            inspection=inspection, inspector=actor, source=source, description=description,
            severity=severity, found_at=found_at, last_transition_at=found_at,
        )
        _place(problem, site, prepared, lat, lng)
        _mark_repeat(problem)
        problem.save()
        event = ProblemEvent.objects.create(
            problem=problem, action="create", to_status=problem.status, actor=actor,
            at=found_at, note=description,
            data={"severity": severity, "repeat": problem.is_repeat,
                  **({"by": integrator.name} if integrator else {})})
        _store_photos(problem, prepared, ProblemPhoto.Stage.FOUND, event=event)
        record(actor, "problem.create", problem, actor_name=f"接口密钥 {integrator}"
               if integrator else None, after={
            "site": site.pk if site else None, "criterion": criterion.pk if criterion else None,
            "severity": severity, "repeat": problem.is_repeat, "photos": len(prepared),
            **({"key": integrator.prefix, "unit": responsible_unit.pk} if integrator else {})})
    return problem


def _integrator_may_file(key, unit):
    # Scoped like its owner unit: a key files only for that unit or below.
    return (key is not None and key.is_active and "ledger:write" in key.scopes
            and unit is not None and unit.path.startswith(key.owner_unit.path))


def _place(problem, site, photos, lat, lng):
    """Where the problem is: what the inspector entered, else the first
    photo's GPS, else the site's coordinates."""
    gps = next((p.gps for p in photos if p.gps), None)
    if lat is not None and lng is not None:
        problem.lat, problem.lng = lat, lng
        problem.location_source = Problem.LocationSource.CITIZEN if \
            problem.source == Problem.Source.CITIZEN else Problem.LocationSource.PHOTO
    elif gps:
        problem.lat, problem.lng = gps
        problem.location_source = Problem.LocationSource.PHOTO
    elif site and site.lat is not None:
        problem.lat, problem.lng = site.lat, site.lng
        problem.location_source = Problem.LocationSource.SITE


def _mark_repeat(problem):
    if not (problem.site_id and problem.criterion_id):
        return
    earlier = (Problem.objects
               .filter(site_id=problem.site_id, criterion_id=problem.criterion_id,
                       found_at__gte=problem.found_at - REPEAT_WINDOW,
                       found_at__lte=problem.found_at)
               .exclude(status=Problem.Status.CANCELLED).order_by("-found_at").first())
    if earlier:
        problem.is_repeat, problem.repeat_of = True, earlier


# ---------------------------------------------------------------- the loop


@transaction.atomic
def dispatch_problem(actor, problem, *, unit=None, severity=None, note="", deadline=None,
                     notify=True):
    """交办: to the responsible unit, with a deadline set by severity (or the
    one a ledger sheet gives). `notify=False` leaves the unit's message to
    the caller: an import queues them only once all of it is written."""
    problem = _lock(problem)
    unit = unit or problem.responsible_unit
    if unit is None:
        raise DomainError("请选择责任单位。", field="unit")
    if severity:
        if severity not in Problem.Severity.values:
            raise DomainError("请选择问题等级。", field="severity")
        problem.severity = severity
    now = timezone.now()
    problem.responsible_unit = unit
    problem.dispatched_at = now
    problem.deadline = deadline or _deadline(problem.campaign, problem.severity, now)
    event = _move(actor, problem, "dispatch", _clean_note(note, "交办意见"), data={
        "unit": unit.name, "unit_id": unit.pk, "deadline": problem.deadline.isoformat(),
        "severity": problem.get_severity_display()}, tell=notify)
    if notify:
        notify_dispatch(problem, event)
    return problem


def notify_dispatch(problem, event):
    """The responsible unit's robot message about a dispatch (its timeline event)."""
    local = timezone.localtime(problem.deadline)
    queue_notification(
        f"dispatch:{problem.pk}:{event.pk}", problem.responsible_unit, "dispatch",
        "新交办问题",
        f"【创文交办】{problem.responsible_unit.name}：{problem}（{problem.get_severity_display()}）"
        f"已交办贵单位，请于{local:%Y-%m-%d %H:%M}前整改并上传整改照片。\n问题：{problem.title}")


@transaction.atomic
def submit_rectification(actor, problem, *, text, photos):
    """The unit's fix: what was done, with after-photos."""
    text = _clean_note(text, "整改情况", required=True)
    prepared = prepare_all(photos, "整改照片")
    if not prepared:
        raise DomainError("请上传至少一张整改后的照片。", field="photos")
    with cleanup_on_error():
        problem = _lock(problem)
        event = _move(actor, problem, "submit", text, data={"photos": len(prepared)})
        rect = Rectification.objects.create(problem=problem, submitted_by=actor,
                                            submitted_at=event.at, text=text)
        _store_photos(problem, prepared, ProblemPhoto.Stage.AFTER, event=event,
                      rectification=rect)
    return problem


@transaction.atomic
def dispute_problem(actor, problem, *, reason):
    """The unit says the problem is not theirs (or not a problem)."""
    reason = _clean_note(reason, "申诉理由", required=True)
    problem = _lock(problem)
    _move(actor, problem, "dispute", reason)
    return problem


@transaction.atomic
def reassign_problem(actor, problem, *, unit, note=""):
    """改派 to another unit, whose clock starts afresh."""
    problem = _lock(problem)
    if unit is None:
        raise DomainError("请选择改派的责任单位。", field="unit")
    if unit.pk == problem.responsible_unit_id:
        raise DomainError(f"该问题的责任单位已是{unit.name}，请选择其他单位，"
                          "或使用“驳回申诉”。", field="unit")
    now = timezone.now()
    old = problem.responsible_unit.name if problem.responsible_unit_id else ""
    problem.responsible_unit = unit
    problem.dispatched_at = now
    problem.deadline = _deadline(problem.campaign, problem.severity, now)
    problem.is_overdue, problem.escalation_level, problem.reminded_for = False, 0, None
    event = _move(actor, problem, "reassign", _clean_note(note, "改派说明"), data={
        "from_unit": old, "unit": unit.name, "unit_id": unit.pk,
        "deadline": problem.deadline.isoformat()})
    notify_dispatch(problem, event)
    return problem


@transaction.atomic
def dismiss_dispute(actor, problem, *, note):
    """The office keeps the problem with the unit; its deadline stands."""
    note = _clean_note(note, "驳回理由", required=True)
    problem = _lock(problem)
    _move(actor, problem, "dismiss", note)
    return problem


def _review(actor, problem, action, result, note, photos):
    prepared = prepare_all(photos, "复查照片")
    with cleanup_on_error():
        problem = _lock(problem)
        now = timezone.now()
        if action == "verify":
            problem.closed_at = now
        event = _move(actor, problem, action, note, at=now)
        _store_photos(problem, prepared, ProblemPhoto.Stage.REVIEW, event=event)
        rect = problem.rectifications.filter(result=Rectification.Result.PENDING).last()
        if rect:
            rect.result, rect.reviewed_by, rect.reviewed_at = result, actor, now
            rect.review_note = note
            rect.save()
    return problem


@transaction.atomic
def verify_problem(actor, problem, *, note="", photos=()):
    """复查 passed: the problem is closed (销号)."""
    return _review(actor, problem, "verify", Rectification.Result.VERIFIED,
                   _clean_note(note, "复查意见"), photos)


@transaction.atomic
def reject_rectification(actor, problem, *, reason, photos=()):
    """复查 failed: back to the unit, whose deadline stands."""
    return _review(actor, problem, "reject", Rectification.Result.REJECTED,
                   _clean_note(reason, "退回理由", required=True), photos)


@transaction.atomic
def cancel_problem(actor, problem, *, reason):
    reason = _clean_note(reason, "撤销理由", required=True)
    problem = _lock(problem)
    _move(actor, problem, "cancel", reason)
    return problem


# ---------------------------------------------------------------- supervision


@transaction.atomic
def issue_supervision_notice(actor, problem, *, reason="", level=None):
    """督办单: the next level of escalation, with the year's next number."""
    problem = _lock(problem)
    level = level or problem.escalation_level + 1
    if level > 3:
        raise DomainError(f"{problem}已是三级督办，不能再升级。")
    if level <= problem.escalation_level:
        raise DomainError(f"{problem}已下发{level}级督办单。")
    reason = _clean_note(reason, "督办事由") or _default_reason(problem)
    notice = _new_notice(actor, problem, level, reason)
    problem.escalation_level = level
    _move(actor, problem, "escalate", reason,
          data={"level": level, "notice": notice.number, "notice_id": notice.pk})
    queue_notification(f"notice:{notice.pk}", problem.responsible_unit, "notice",
                       notice.number, _notice_message(notice))
    return notice


def _default_reason(problem):
    if problem.is_overdue and problem.deadline:
        days = max(1, (timezone.now() - problem.deadline).days + 1)
        return f"逾期{days}天未完成整改"
    return "问题整改不力"


def _new_notice(actor, problem, level, reason, now=None):
    now = now or timezone.now()
    year = timezone.localtime(now).year
    counter, _ = NoticeCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save()
    return SupervisionNotice.objects.create(
        problem=problem, year=year, seq=counter.last, prefix=problem.campaign.notice_prefix,
        level=level, reason=reason[:200], issued_at=now, issued_by=actor,
        content=notice_content(problem, level, reason, now))


def notice_content(problem, level, reason, now):
    """What a notice says, fixed at issue time (the PDF is rendered from it)."""
    def local(dt):
        return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""
    return {
        "title": f"{problem.campaign.name}工作督办单",
        "issuer": problem.campaign.issuer,
        "unit": problem.responsible_unit.name if problem.responsible_unit_id else "",
        "site": problem.site.name if problem.site_id else "",
        "address": problem.site.address if problem.site_id else "",
        "criterion": (f"{problem.criterion.code} {problem.criterion.text}"
                      if problem.criterion_id else ""),
        "description": problem.description,
        "severity": problem.get_severity_display(),
        "found_at": local(problem.found_at),
        "deadline": local(problem.deadline),
        "reason": reason,
        "level": level,
        "level_text": SupervisionNotice.Level(level).label,
        "problem_id": problem.pk,
        "is_repeat": problem.is_repeat,
        "issued_on": timezone.localtime(now).date().isoformat(),
    }


def _notice_message(notice):
    c = notice.content
    return (f"【{notice.get_level_display()}】{notice.number}\n{c['unit']}：{c['site']}问题"
            f"（{c['reason']}），请立即整改并在平台提交整改情况。\n问题：{c['description'][:60]}")


# ---------------------------------------------------------------- notifications


def queue_notification(key, unit, kind, title, text):
    """Queue a message to a unit once per `key`; the tick delivers it."""
    mobiles = []
    if unit is not None:
        liaisons = dict(User.objects.filter(
            unit=unit, groups__name=roles.LIAISON, is_active=True).values_list("pk", "phone"))
        muted = robot_muted(liaisons)
        mobiles = [phone for pk, phone in liaisons.items() if phone and pk not in muted]
    notification, _ = Notification.objects.get_or_create(key=key[:200], defaults={
        "unit": unit, "kind": kind, "title": title[:200], "text": text, "mobiles": mobiles})
    return notification
