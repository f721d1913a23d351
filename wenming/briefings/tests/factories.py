from datetime import date

from wenming.briefings import services
from wenming.briefings.models import Series


def make_series(actor, title="周口精神文明建设"):
    return services.create_series(
        actor, title=title, kind="简报", issuer="周口市文明办",
        default_report_to="市委、市政府领导", default_copy_to="市文明委各成员单位",
        default_issue_to="各县（市、区）文明办", default_print_run=100)


def build_issue(editor, series, data, *, number=None, on=None):
    """An issue built through the services from a render-data dict (the
    shape the seed parser returns)."""
    issue = services.create_issue(
        editor, series, date=on or date.fromisoformat(data["date"]),
        number=number or data.get("number"), note=data.get("note", ""),
        columns=[(c["name"], any(a.get("lead_in") for a in c["articles"]))
                 for c in data["columns"]],
    )
    for c in data["columns"]:
        column = issue.columns.get(name=c["name"])
        for a in c["articles"]:
            services.add_article(editor, column, title=a["title"], body="\n".join(a["paragraphs"]))
    return issue


def small_issue(editor, series, number=None, on=date(2024, 3, 1), title="全市召开文明城市创建调度会"):
    data = {
        "date": on.isoformat(),
        "columns": [
            {"name": "工作动态", "articles": [
                {"title": title, "paragraphs": ["3月1日，全市文明城市创建调度会召开。",
                                                "会议要求各单位对照测评体系逐项整改。"]}]},
            {"name": "文明时讯", "articles": [
                {"title": "川汇区开展志愿服务进社区活动", "lead_in": True,
                 "paragraphs": ["近日，川汇区组织志愿者走进德化社区开展服务。"]}]},
        ],
    }
    return build_issue(editor, series, data, number=number, on=on)


def publish(editor, approver, issue):
    services.submit_for_review(editor, issue)
    services.sign_off_issue(approver, issue, "同意印发。")
    return services.publish_issue(approver, issue)


__all__ = ["Series", "build_issue", "make_series", "publish", "small_issue"]
