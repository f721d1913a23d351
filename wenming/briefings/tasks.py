"""Briefing work that runs in the background (see wenming.tasks)."""

from wenming.briefings import compilation
from wenming.briefings.models import Series
from wenming.tasks.services import Outcome, task_handler


@task_handler
def compile_year(task, progress):
    series = Series.objects.get(pk=task.params["series"])
    year = task.params["year"]
    name, count, typeset = compilation.build(series, year, progress)
    how = "" if typeset else "（内容未变，沿用已生成的文件）"
    return Outcome(summary=f"《{series.title}》{year}年合订本已生成：共{count}期{how}。",
                   stored_name=name, file_name=compilation.file_name(series, year))
