"""Campaign work that runs in the background (see wenming.tasks)."""

from django.urls import reverse

from wenming.campaign import catalog, excel
from wenming.tasks.services import Outcome, source_file, task_handler


@task_handler
def import_sites(task, progress):
    progress.update("正在读取点位表")
    rows = excel.read_sites(source_file(task), task.params["coordinate_system"])
    progress.update(f"正在写入{len(rows):,}个点位", done=0, total=len(rows))
    created, updated = catalog.import_sites(task.owner, rows)
    return Outcome(summary=f"点位已导入：新增{created}个，更新{updated}个。",
                   url=reverse("campaign:site_list"))
