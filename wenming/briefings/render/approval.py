"""The 审批单 of an issue: the core approval-sheet template (shared with
通报) filled from the issue and its audit history. Text goes as data only."""

from django.utils import timezone

from wenming.core.text import chinese_date
from wenming.core.typst import render

TEMPLATE = "approval_sheet.typ"


def _who_when(step):
    if step is None:
        return ["", ""]
    return [step.actor, chinese_date(timezone.localtime(step.at).date())]


def _last(history, verb):
    found = [s for s in history if s.verb == verb]
    return found[-1] if found else None


def approval_sheet_data(issue, history):
    titles = list(issue.articles.order_by("column__order", "column_id", "order", "id")
                  .values_list("title", flat=True))
    signed = _last(history, "issue.sign_off") if issue.signed_off_by_id else None
    return {
        "title": f"{issue.series.kind}签发审批单",
        "fields": [
            ["简报名称", f"《{issue.series.title}》"],
            ["期号", f"{issue.year}年{issue.number_text}"
                     + (f"（更正版{issue.version}）" if issue.correction_of_id else "")],
            ["编发单位", issue.series.issuer],
            ["印发日期", issue.date_text],
        ],
        "items_label": "稿件目录",
        "items": titles,
        "steps": [
            ["拟稿", *_who_when(_last(history, "issue.create")
                                or _last(history, "issue.create_correction"))],
            ["审核", *_who_when(_last(history, "issue.submit_for_review"))],
            ["签发", *_who_when(signed)],
        ],
        "opinion": issue.sign_off_opinion if signed else "",
        "history": [[timezone.localtime(s.at).strftime("%Y-%m-%d %H:%M"), s.actor, s.label,
                     s.comment] for s in history],
        "printed": chinese_date(timezone.localdate()),
    }


def render_approval_sheet(issue, history):
    return render(TEMPLATE, approval_sheet_data(issue, history))
