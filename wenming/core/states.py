"""State tables. Each app's services.py keeps one ({status: the statuses it
may move to}) and moves its records with `move`, so that every refused step
is checked and worded the same way."""

from wenming.core.errors import DomainError


def move(obj, transitions, to_status, name=None, action=None):
    """Set `obj.status` to `to_status` if the table allows the step from its
    current status, and return the status it left. The refusal names the
    record as `name` (default: str(obj)) and both statuses by their labels;
    a step that keeps the status (a reminder, an escalation) is named by its
    `action` instead. A refused step has usually been overtaken by someone
    else's, so the user is asked to reload."""
    if to_status not in transitions.get(obj.status, ()):
        labels = dict(obj._meta.get_field("status").flatchoices)
        step = f"不能{action}" if action else f"不能变更为“{labels[to_status]}”"
        raise DomainError(f"{name or obj}当前状态为“{labels[obj.status]}”，{step}。"
                          "可能已被他人处理，请刷新页面后查看。")
    before = obj.status
    obj.status = to_status
    return before
