"""Demo briefings: the series 《周口精神文明建设》, five published issues of
2024 written for the demo, a draft in progress and a few unit submissions."""

from datetime import date

from wenming.accounts.models import Unit, User
from wenming.briefings import services
from wenming.briefings.demo_content import ISSUES
from wenming.briefings.models import Issue, Series, Submission

SERIES = {
    "title": "周口精神文明建设", "kind": "简报", "issuer": "周口市文明办",
    "default_report_to": "市委、市政府领导，省文明办",
    "default_copy_to": "市文明委各成员单位",
    "default_issue_to": "各县（市、区）文明办，市直各单位",
    "default_print_run": 120,
}

SUBMISSIONS = [
    ("chuanhui", "川汇区开展背街小巷环境整治“回头看”",
     "近日，川汇区组织城管、住建、街道等部门，对辖区背街小巷整治情况开展“回头看”，"
     "逐条核对问题清单，现场交办整改事项。\n"
     "此次“回头看”共检查背街小巷42条，发现路面破损、杂物堆放等问题17处，"
     "已全部建立台账、明确责任人和完成时限。"),
    ("huaiyang", "淮阳区志愿者走进柳湖社区开展文明交通劝导",
     "淮阳区组织30余名志愿者在柳湖社区周边路口开展文明交通劝导，"
     "引导群众自觉遵守交通信号、规范停放非机动车，发放宣传资料500余份。"),
]


def _user(username):
    return User.objects.get(username=username)


def load(stdout=None):
    editor, approver = _user("editor"), _user("approver")
    series = Series.objects.filter(title=SERIES["title"], kind=SERIES["kind"]).first()
    if series is None:
        series = services.create_series(
            editor, issuer_unit=Unit.objects.filter(name="周口市文明办").first(), **SERIES)
    for spec in ISSUES:
        if Issue.objects.filter(series=series, year=2024, number=spec["number"]).exists():
            continue
        _publish(series, spec, editor, approver)
        if stdout:
            stdout.write(f"  简报 2024年第{spec['number']}期")
    if not Issue.objects.filter(series=series, status=Issue.Status.DRAFT).exists():
        number = max(s["number"] for s in ISSUES) + 1
        draft = services.create_issue(editor, series, date=date(2024, 7, 10), number=number,
                                      columns=[("工作动态", False), ("文明时讯", True)])
        services.add_article(
            editor, draft.columns.get(name="工作动态"),
            title="全市上半年创文工作综述（初稿）",
            body="上半年，全市上下对照测评体系持续用力，创建工作取得阶段性进展。\n"
                 "（待补充各县（市、区）数据）",
        )
    if not Submission.objects.exists():
        for username, title, body in SUBMISSIONS:
            liaison = _user(username)
            services.submit_article(liaison, series, title=title, body=body, author=str(liaison))
    return series


def _publish(series, spec, editor, approver):
    issue = services.create_issue(
        editor, series, date=date.fromisoformat(spec["date"]), number=spec["number"],
        note=spec.get("note", ""),
        report_to=spec["footer"]["report_to"], copy_to=spec["footer"]["copy_to"],
        issue_to=spec["footer"]["issue_to"], print_run=spec["footer"]["print_run"],
        columns=[(c["name"], c.get("lead_in", False)) for c in spec["columns"]],
    )
    for c in spec["columns"]:
        column = issue.columns.get(name=c["name"])
        for a in c["articles"]:
            unit = Unit.objects.filter(name=a.get("source_unit") or "").first()
            services.add_article(editor, column, title=a["title"],
                                 body="\n".join(a["paragraphs"]), source_unit=unit,
                                 author=a.get("author", ""))
    services.submit_for_review(editor, issue)
    services.sign_off_issue(approver, issue, "同意印发。")
    services.publish_issue(approver, issue)
