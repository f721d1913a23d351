"""The 审批单 (approval sheet) every signed-off document prints the same
way: a briefing issue, a 通报. The caller names the document and its
people; history steps are anything with at/actor/label/comment (the audit
trail's steps). User text reaches Typst only as data."""

from django.utils import timezone

from wenming.core.text import chinese_date
from wenming.core.typst import render

TEMPLATE = "approval_sheet.typ"


def step_row(role, step):
    """[role, who, date] of one step, blank when it has not happened."""
    if step is None:
        return [role, "", ""]
    return [role, step.actor, chinese_date(timezone.localtime(step.at).date())]


def last_step(history, *verbs):
    found = [s for s in history if s.verb in verbs]
    return found[-1] if found else None


def sheet_data(*, title, fields, items_label, items, steps, opinion, history):
    return {
        "title": title, "fields": [list(f) for f in fields], "items_label": items_label,
        "items": list(items), "steps": steps, "opinion": opinion,
        "history": [[timezone.localtime(s.at).strftime("%Y-%m-%d %H:%M"), s.actor, s.label,
                     s.comment] for s in history],
        "printed": chinese_date(timezone.localdate()),
    }


def render_sheet(data):
    return render(TEMPLATE, data)
