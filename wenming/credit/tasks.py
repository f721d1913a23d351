"""Credit work that runs in the background (see wenming.tasks): a
department's listing upload and screening a file against the lists."""

from django.urls import reverse
from django.utils import timezone

from wenming.accounts.models import Unit
from wenming.credit import services
from wenming.credit.models import CreditList
from wenming.tasks.services import Outcome, source_file, task_handler


@task_handler
def upload_listings(task, progress):
    credit_list = CreditList.objects.get(pk=task.params["credit_list"])
    department = Unit.objects.get(pk=task.params["department"])
    upload, warnings = services.upload_listings(task.owner, credit_list, department,
                                                source_file(task), progress=progress)
    return Outcome(summary=f"已导入{upload.department.name}报送的{upload.rows}条记录。",
                   url=reverse("credit:list_detail", args=[credit_list.pk]), notes=warnings)


@task_handler
def screen_file(task, progress):
    from wenming.credit.screenfile import read_screen_rows, results_xlsx
    from wenming.credit.screening import build_index, screen_rows

    numbered = read_screen_rows(source_file(task).read(), task.source_name, progress=progress)
    progress.update("正在比对红黑榜", done=0, total=len(numbered))
    options = {"min_score": task.params["min_score"]} if task.params.get("min_score") else {}
    results = screen_rows(build_index(), [r for _, r in numbered], progress=progress, **options)
    progress.update("正在生成结果文件", done=len(numbered), total=len(numbered))
    content, counts = results_xlsx(numbered, results)
    summary = (f"共筛查{len(numbered)}行：命中{counts['命中']}行，疑似{counts['疑似']}行，"
               f"未命中{counts['未命中']}行。")
    return Outcome(summary=summary, file=content,
                   file_name=f"筛查结果_{timezone.localdate():%Y%m%d}.xlsx")
