"""Campaign work that runs in the background (see wenming.tasks)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from wenming.campaign import catalog, excel
from wenming.campaign.models import Campaign
from wenming.tasks.services import Outcome, source_file, task_handler


@task_handler
def import_sites(task, progress):
    progress.update("正在读取点位表")
    rows = excel.read_sites(source_file(task), task.params["coordinate_system"])
    progress.update(f"正在写入{len(rows):,}个点位", done=0, total=len(rows))
    created, updated = catalog.import_sites(task.owner, rows)
    return Outcome(summary=f"点位已导入：新增{created}个，更新{updated}个。",
                   url=reverse("campaign:site_list"), link_label="查看点位")


@task_handler
def import_index(task, progress):
    year, name = task.params["year"], task.params.get("name", "")
    progress.update("正在读取测评体系表")
    rows = excel.read_index(source_file(task), progress=progress)
    campaign = (Campaign.objects.filter(pk=task.params["campaign"]).first()
                if task.params.get("campaign") else catalog.active_campaign())
    if campaign is None:
        campaign = catalog.create_campaign(task.owner, name="创建全国文明城市", year=year)
    index = catalog.import_index(task.owner, campaign, year, rows, name, progress=progress)
    return Outcome(summary=f"已导入{index}，共{len(rows)}条测评标准。",
                   url=reverse("campaign:index_detail", args=[index.pk]),
                   link_label="查看测评体系")


@task_handler
def import_ledger(task, progress):
    from wenming.campaign import ledger_import

    progress.update("正在读取台账表")
    content = source_file(task).read()
    rows = ledger_import.read_ledger(content, task.source_name, progress=progress)
    problems = ledger_import.import_ledger(task.owner, rows, filename=task.source_name,
                                           progress=progress)
    days = sorted(timezone.localdate(p.found_at) for p in problems)
    query = urlencode({"date_from": days[0].isoformat(), "date_to": days[-1].isoformat()})
    return Outcome(summary=f"台账已导入：{len(problems)}个问题已登记并交办责任单位。",
                   url=reverse("campaign:problem_list") + "?" + query)
