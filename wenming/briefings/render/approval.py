"""The 审批单 of an issue, in the shape every approval sheet has
(wenming.core.approval), filled from the issue and its audit history."""

from wenming.core.approval import last_step, render_sheet, sheet_data, step_row


def approval_sheet_data(issue, history):
    titles = issue.articles.order_by("column__order", "column_id", "order", "id") \
        .values_list("title", flat=True)
    signed = last_step(history, "issue.sign_off") if issue.signed_off_by_id else None
    version = f"（更正版{issue.version}）" if issue.correction_of_id else ""
    return sheet_data(
        title=f"{issue.series.kind}签发审批单",
        fields=[("简报名称", f"《{issue.series.title}》"),
                ("期号", f"{issue.year}年{issue.number_text}{version}"),
                ("编发单位", issue.series.issuer), ("印发日期", issue.date_text)],
        items_label="稿件目录", items=titles,
        steps=[step_row("拟稿", last_step(history, "issue.create", "issue.create_correction")),
               step_row("审核", last_step(history, "issue.submit_for_review")),
               step_row("签发", signed)],
        opinion=issue.sign_off_opinion if signed else "", history=history)


def render_approval_sheet(issue, history):
    return render_sheet(approval_sheet_data(issue, history))
