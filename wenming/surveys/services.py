"""Every change to surveys: permission check, transaction, audit event.
Writing questionnaires is in questionnaires.py and re-exported here."""

import uuid

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.scoping import can_see_unit
from wenming.audit.services import record, snapshot
from wenming.core.errors import DomainError, require
from wenming.core.public_forms import check_rate
from wenming.core.text import check_text
from wenming.inbox.services import deliver
from wenming.surveys.answers import clean_answers, rate_flags
from wenming.surveys.models import (
    Assignment,
    DistrictPopulation,
    IssueRaised,
    Questionnaire,
    Response,
    Visit,
)
from wenming.surveys.questionnaires import (
    TRANSITIONS,
    activate_questionnaire,
    add_question,
    close_questionnaire,
    create_questionnaire,
    missing_for_activation,
    move_question,
    new_version,
    remove_question,
    remove_variant,
    set_variant,
    update_question,
    update_questionnaire,
)
from wenming.surveys.selectors import can_assign, locate

__all__ = [
    "TRANSITIONS", "activate_questionnaire", "add_question", "close_questionnaire",
    "create_questionnaire", "missing_for_activation", "move_question", "new_version",
    "remove_question", "remove_variant", "set_variant", "update_question",
    "update_questionnaire",
    "assign_visits", "can_raise_to_ledger", "ledger_enabled",
    "raise_to_ledger", "record_visit", "set_assignment_status", "set_population",
    "submit_online_response",
]

MAX_ISSUES = 20
# Issues raised in visits become ledger problems under this namespace, so a
# repeated click makes the same problem, never a second one.
_LEDGER_NAMESPACE = uuid.UUID("6f7a4c52-3b0e-4d5e-9a57-2c1f3a0d8e61")


# ---------------------------------------------------------------- assignments


@transaction.atomic
def assign_visits(actor, *, questionnaire, area, assignee, households="", target=0,
                  due_date=None, note=""):
    require(can_assign(actor), "只有文明办或单位联络员可以派发走访任务。")
    require(can_see_unit(actor, area), "只能派发本单位区域内的走访任务。")
    if not area.is_area or area.kind == area.Kind.CITY:
        raise DomainError("走访区域应为县区、街道（乡镇）或社区（村）。", field="area")
    if questionnaire.status != Questionnaire.Status.ACTIVE:
        raise DomainError(f"{questionnaire}未启用，不能派发走访。", field="questionnaire")
    if not assignee.is_active:
        raise DomainError(f"{assignee}的账号已停用。", field="assignee")
    if not roles.can_manage(actor) and not (assignee.unit_id and can_see_unit(actor, assignee.unit)):
        raise DomainError("只能派给本单位及下级单位的人员。", field="assignee")
    households = check_text(households, "走访户", max_length=20000)
    assignment = Assignment.objects.create(
        questionnaire=questionnaire, area=area, assignee=assignee, households=households,
        target=target or len([h for h in households.splitlines() if h.strip()]),
        due_date=due_date, note=check_text(note, "备注", max_length=200).strip(),
        created_by=actor)
    record(actor, "assignment.create", assignment, after=snapshot(
        assignment, ["questionnaire", "area", "assignee", "target", "due_date"]))
    due = f"，请于{assignment.due_date:%Y年%m月%d日}前完成" if assignment.due_date else ""
    deliver([assignee], f"assignment:{assignment.pk}:new", f"新的入户走访任务：{area.name}",
            f"{actor}派发{questionnaire}走访{assignment.target or ''}户{due}。",
            reverse("surveys:home"), actor=actor)
    return assignment


@transaction.atomic
def set_assignment_status(actor, assignment, status):
    mine = assignment.assignee_id == actor.pk
    require(mine or (can_assign(actor) and can_see_unit(actor, assignment.area)),
            "只有走访人员或派发单位可以变更任务状态。")
    if status not in Assignment.Status.values:
        raise DomainError("未知的任务状态。")
    before = assignment.status
    assignment.status = status
    assignment.save(update_fields=["status"])
    record(actor, "assignment.status", assignment, before={"status": before},
           after={"status": status})
    return assignment


# ---------------------------------------------------------------- visits


def _check_may_visit(actor, area, assignment):
    if assignment is not None:
        require(assignment.assignee_id == actor.pk or roles.can_manage(actor),
                "这不是派给您的走访任务。")
        if assignment.status != Assignment.Status.OPEN:
            raise DomainError("该走访任务已完成，不能再记录走访。")
        if not area.path.startswith(assignment.area.path):
            raise DomainError(f"走访区域应在任务区域“{assignment.area.name}”内。", field="area")
        return
    require(roles.can_manage(actor) or (actor.has_role(roles.LIAISON) and can_see_unit(actor, area)),
            "没有派给您的走访任务，不能记录该区域的走访。")


def _variant(questionnaire, letter):
    variant = questionnaire.variants.filter(letter=letter).first()
    if variant is None:
        raise DomainError(f"{questionnaire}没有{letter}卷。", field="variant")
    return variant


def _place(area):
    district, street = locate(area)
    if district is None:
        raise DomainError("请选择县区、街道（乡镇）或社区（村）。", field="area")
    return district, street


def _score(questionnaire, letter, raw_answers):
    questions = questionnaire.questions_for(letter)
    answers = clean_answers(questions, raw_answers)
    return answers, rate_flags(questions, answers)


def record_visit(actor, *, client_id, questionnaire, variant, area, answers, address="",
                 issues=(), visited_on=None, assignment=None, note=""):
    """Record one visit and its response. Idempotent by `client_id`: a form
    resent after a lost connection returns the visit made the first time.
    Returns (visit, created)."""
    try:
        client_id = uuid.UUID(str(client_id))
    except ValueError:
        raise DomainError("提交编号无效，请刷新页面后重新填写。") from None
    existing = Visit.objects.filter(client_id=client_id).first()
    if existing:
        return _replayed(actor, existing), False
    _check_may_visit(actor, area, assignment)
    if questionnaire.status != Questionnaire.Status.ACTIVE:
        raise DomainError(f"{questionnaire}未启用，不能记录走访。")
    if assignment is not None and assignment.questionnaire_id != questionnaire.pk:
        raise DomainError("问卷与走访任务不一致。", field="questionnaire")
    group = _variant(questionnaire, variant).group
    district, street = _place(area)
    visited_on = visited_on or timezone.localdate()
    if visited_on > timezone.localdate():
        raise DomainError("走访日期不能晚于今天。", field="visited_on")
    answers, flags = _score(questionnaire, variant, answers)
    address = check_text(address, "门牌地址", max_length=200).strip()
    note = check_text(note, "走访记录", max_length=2000)
    issue_texts = [check_text(t, f"反映的问题第{n}条", max_length=500).strip()
                   for n, t in enumerate(issues, start=1)]
    issue_texts = [t for t in issue_texts if t]
    if len(issue_texts) > MAX_ISSUES:
        raise DomainError(f"一次走访最多记录{MAX_ISSUES}条问题。", field="issues")
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                client_id=client_id, assignment=assignment, questionnaire=questionnaire,
                visitor=actor, area=area, address=address, visited_on=visited_on, note=note)
            Response.objects.create(
                questionnaire=questionnaire, variant=variant, group=group,
                channel=Response.Channel.VISIT, visit=visit, district=district, street=street,
                area=area, answered_on=visited_on, answers=answers, **flags)
            IssueRaised.objects.bulk_create([IssueRaised(visit=visit, text=t)
                                             for t in issue_texts])
            record(actor, "visit.create", visit, after={
                "client_id": str(client_id), "area": area.pk, "variant": variant,
                "assignment": assignment.pk if assignment else None,
                "issues": len(issue_texts), **flags})
    except IntegrityError:
        # The same form arrived twice at once; the first one made the visit.
        existing = Visit.objects.filter(client_id=client_id).first()
        if existing is None:
            raise
        return _replayed(actor, existing), False
    return visit, True


def _replayed(actor, visit):
    if visit.visitor_id != actor.pk:
        raise DomainError("该提交编号已被其他人使用，请刷新页面后重新填写。")
    return visit


def _ledger():
    """The campaign app's services, or None where it is not installed."""
    if not apps.is_installed("wenming.campaign"):
        return None
    try:
        from wenming.campaign import services as campaign
    except ImportError:
        return None
    return campaign if hasattr(campaign, "create_problem") else None


def ledger_enabled():
    return _ledger() is not None


def can_raise_to_ledger(user):
    ledger = _ledger()
    return ledger is not None and roles.is_office_inspector(user)


@transaction.atomic
def raise_to_ledger(actor, issue_raised):
    """Pass an issue a respondent raised to the problem ledger as a new
    problem (待交办) in the visit's area. Clicking twice gives the same problem."""
    ledger = _ledger()
    if ledger is None:
        raise DomainError("创文台账模块未启用，无法转入问题台账。")
    from wenming.campaign.models import Problem

    require(roles.is_office_inspector(actor), "只有督查员或管理员可以把问题转入台账。")
    issue = IssueRaised.objects.select_for_update().get(pk=issue_raised.pk)
    if issue.ledger_problem_id:
        return issue
    visit = issue.visit
    where = visit.area.name + visit.address
    problem = ledger.create_problem(
        actor, site=None, criterion=None, description=f"入户走访群众反映：{issue.text}（{where}）",
        client_id=uuid.uuid5(_LEDGER_NAMESPACE, str(issue.pk)),
        source=Problem.Source.VISIT,
        district=visit.response.district, responsible_unit=visit.area,
        found_at=timezone.now())
    issue.ledger_problem_id = problem.pk
    issue.raised_by, issue.raised_at = actor, timezone.now()
    issue.save()
    record(actor, "issue_raised.to_ledger", issue, after={"problem": problem.pk,
                                                          "visit": visit.pk})
    return issue


# ---------------------------------------------------------------- online survey


def submit_online_response(*, questionnaire, device_token, variant, district, answers,
                           street=None, ip=None):
    """A response through the public link, sent from address `ip`. One per
    device token: the second one from the same device is refused; a new
    device token (cleared cookies) still counts against the address's limit."""
    if questionnaire.status != Questionnaire.Status.ACTIVE or not questionnaire.is_public:
        raise DomainError("该问卷目前未开放填写。")
    if not device_token or len(device_token) > 64:
        raise DomainError("无法识别您的设备，请允许浏览器保存 Cookie 后重新打开问卷链接。")
    if Response.objects.filter(questionnaire=questionnaire, channel=Response.Channel.ONLINE,
                               device_token=device_token).exists():
        raise DomainError("您已经填写过本问卷，感谢您的参与！每台设备只能填写一次。")
    # (online responses, seconds) allowed per address.
    limit, seconds = settings.WENMING_SURVEY_RATE_LIMIT
    check_rate(Response.objects.filter(channel=Response.Channel.ONLINE), ip, limit,
               seconds=seconds, message="提交过于频繁，请稍后再试。")
    group = _variant(questionnaire, variant).group
    if district is None or locate(district)[0] != district:
        raise DomainError("请选择所在县（市、区）。", field="district")
    if street is not None and not street.path.startswith(district.path):
        raise DomainError(f"“{street.name}”不在{district.name}，请重新选择。", field="street")
    answers, flags = _score(questionnaire, variant, answers)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                questionnaire=questionnaire, variant=variant, group=group,
                channel=Response.Channel.ONLINE, device_token=device_token,
                submitter_ip=ip or None, district=district,
                street=street, area=street or district, answered_on=timezone.localdate(),
                answers=answers, **flags)
            record(None, "response.online", response, after={
                "questionnaire": questionnaire.pk, "variant": variant, "district": district.pk,
                **flags})
    except IntegrityError:
        raise DomainError("您已经填写过本问卷，感谢您的参与！每台设备只能填写一次。") from None
    return response


# ---------------------------------------------------------------- populations


@transaction.atomic
def set_population(actor, district, *, population, year, source=""):
    require(roles.can_manage(actor), "只有文明办管理员、编辑或督查员可以录入人口。")
    if locate(district)[0] != district:
        raise DomainError(f"“{district.name}”不是县（市、区），不能录入人口。", field="district")
    if not population or population <= 0:
        raise DomainError("常住人口应为正整数。", field="population")
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise DomainError("请填写正确的统计年度。", field="year")
    row = DistrictPopulation.objects.filter(district=district).first()
    before = snapshot(row, ["population", "year", "source"]) if row else None
    row = row or DistrictPopulation(district=district)
    row.population, row.year = population, year
    row.source = check_text(source, "数据来源", max_length=100).strip()
    row.updated_by = actor
    row.save()
    record(actor, "population.set", row, before=before,
           after=snapshot(row, ["population", "year", "source"]))
    return row
