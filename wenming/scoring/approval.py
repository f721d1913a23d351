"""The 审批单 of a 通报, in the shape every approval sheet has
(wenming.core.approval), the same as a briefing issue's."""

from wenming.core.approval import last_step, render_sheet, sheet_data, step_row
from wenming.core.text import chinese_date
from wenming.scoring.selectors import bulletin_history


def approval_sheet_data(bulletin):
    history = bulletin_history(bulletin)
    signed = last_step(history, "bulletin.sign_off") if bulletin.signed_off_by_id else None
    return sheet_data(
        title="通报签发审批单",
        fields=[("通报名称", bulletin.title), ("期号", f"{bulletin.year}年第{bulletin.number}期"),
                ("数据截至", chinese_date(bulletin.as_of.date()))],
        items_label="更正说明" if bulletin.correction_note else "内容",
        items=[bulletin.correction_note] if bulletin.correction_note else [bulletin.title],
        steps=[step_row("拟稿", last_step(history, "bulletin.create", "bulletin.correct")),
               step_row("审核", last_step(history, "bulletin.submit")),
               step_row("签发", signed)],
        opinion=bulletin.sign_off_opinion if signed else "", history=history)


def render_approval_sheet(bulletin):
    return render_sheet(approval_sheet_data(bulletin))
