"""Who finds a problem on their desk after each step, told in their inbox
(and by 短信 if they chose it); and the citizen who left a phone number on
a 随手拍, told by 短信 when their report changes.

The workflow services and the tick call these inside their transactions;
each message is keyed by the event it reports, so nothing lands twice."""

from django.urls import reverse
from django.utils import timezone

from wenming.accounts import roles
from wenming.accounts.people import liaisons_over, with_roles
from wenming.inbox.services import deliver, deliver_many, queue_texts, sms_text

# action → (who, title); the unit's liaisons get the unit's work, the
# office's inspectors what waits for re-inspection.
UNIT, OFFICE = "unit", "office"
_STEPS = {
    "dispatch": (UNIT, "新交办问题"),
    "reassign": (UNIT, "新交办问题"),
    "reject": (UNIT, "复查未通过，整改被退回"),
    "escalate": (UNIT, "问题被督办"),
    "submit": (OFFICE, "整改待复查"),
    "dispute": (OFFICE, "单位申诉待处理"),
    "dismiss": (UNIT, "申诉被驳回"),
}
# What the citizen is told, by action of the problem their report became.
_CITIZEN = {
    "submit": "您反映的问题责任单位已整改，等待文明办复查",
    "verify": "您反映的问题已整改完毕，经复查销号",
    "cancel": "您反映的问题经核实已撤销",
}


def _url(problem):
    return reverse("campaign:problem_detail", args=[problem.pk])


def _local(moment):
    return f"{timezone.localtime(moment):%m月%d日 %H:%M}" if moment else ""


def _inspectors():
    return list(with_roles(*roles.OFFICE_INSPECTORS))


def _text(problem, action, note):
    unit = problem.responsible_unit.name if problem.responsible_unit_id else ""
    if action in ("dispatch", "reassign"):
        return f"{problem.title}。请于{_local(problem.deadline)}前整改并上传整改照片。"
    if action == "reject":
        return f"{problem.title}。退回理由：{note}"
    if action == "escalate":
        return f"{problem.title}。{note}，请立即整改。"
    if action == "dispute":
        return f"{unit}申诉：{problem.title}。申诉理由：{note}"
    if action == "dismiss":
        return f"{problem.title}。驳回理由：{note}。请于{_local(problem.deadline)}前整改。"
    return f"{unit}已提交整改：{problem.title}"


def problem_moved(problem, event):
    """After one step of the workflow (services._move)."""
    step = _STEPS.get(event.action)
    if step:
        who, title = step
        recipients = _inspectors() if who == OFFICE else list(
            liaisons_over(problem.responsible_unit))
        deliver(recipients, f"problem:{problem.pk}:event:{event.pk}", f"{title}：{problem}",
                _text(problem, event.action, event.note), _url(problem), actor=event.actor)
    if event.action in _CITIZEN:
        report = getattr(problem, "citizen_report", None)
        if report is not None:
            tell_citizen(report, event.action, _CITIZEN[event.action])


def problems_due(problems, kind):
    """The tick's reminders ("remind") and escalations ("overdue", with
    the level reached), one message per problem to the unit's liaisons."""
    liaisons, items = {}, []
    for problem, extra in problems:
        unit = problem.responsible_unit
        if unit is None:
            continue
        if unit.pk not in liaisons:
            liaisons[unit.pk] = list(liaisons_over(unit))
        deadline = problem.deadline.isoformat() if problem.deadline else ""
        if kind == "remind":
            key = f"problem:{problem.pk}:remind:{deadline}"
            title = f"问题即将到期：{problem}"
            text = f"{problem.title}。整改时限{_local(problem.deadline)}，请抓紧整改。"
        else:
            key = f"problem:{problem.pk}:overdue:{deadline}:{extra}"
            title = f"问题已逾期：{problem}"
            text = f"{problem.title}。已超过整改时限，已下发{extra}级督办单，请立即整改。"
        items.append((liaisons[unit.pk], key, title, text, _url(problem)))
    return deliver_many(items)


def report_received(report):
    deliver(_inspectors(), f"report:{report.pk}:received", f"待分拣的随手拍：{report.tracking_code}",
            report.description[:100], reverse("campaign:report_detail", args=[report.pk]))


def report_triaged(report):
    """Accepted or not: the citizen hears it by 短信 (if they left a mobile)."""
    if report.status == report.Status.ACCEPTED:
        tell_citizen(report, "accepted", "您反映的问题已受理，已交责任单位整改")
    elif report.status == report.Status.REJECTED:
        tell_citizen(report, "rejected", f"您反映的问题不予受理：{report.reject_reason[:60]}")


def tell_citizen(report, what, body):
    """One 短信 per report and status, never shown anywhere but the log."""
    if report.contact_phone:
        queue_texts([(f"report:{report.pk}", report.contact_phone, f"report:{report.pk}:{what}",
                      sms_text(f"{body}。查询码{report.tracking_code}，可在随手拍页面查询进度。"))])
