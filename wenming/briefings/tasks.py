"""Briefing work that runs in the background (see wenming.tasks): the
yearly compilation, parsing many legacy files, and importing the clean ones
of a batch."""

from django.urls import reverse

from wenming.briefings import compilation
from wenming.briefings.importer import batch as batches
from wenming.briefings.importer import bundle
from wenming.briefings.models import ImportBatch, Series
from wenming.tasks.services import Outcome, source_file, task_handler


@task_handler
def compile_year(task, progress):
    series = Series.objects.get(pk=task.params["series"])
    year = task.params["year"]
    name, count, typeset = compilation.build(series, year, progress)
    how = "" if typeset else "（内容未变，沿用已生成的文件）"
    return Outcome(summary=f"《{series.title}》{year}年合订本已生成：共{count}期{how}。",
                   stored_name=name, file_name=compilation.file_name(series, year))


@task_handler
def parse_many(task, progress):
    progress.update("正在解压和检查文件")
    files = bundle.expand(bundle.unpack(source_file(task).read()))
    batch = batches.parse_files(task.owner, files, progress=progress)
    return Outcome(summary=_summary(task.owner, batch), link_label="查看识别结果",
                   url=reverse("briefings:import_batch", args=[batch.pk]))


@task_handler
def import_clean(task, progress):
    batch = ImportBatch.objects.get(pk=task.params["batch"])
    issues, notes = batches.import_clean_files(task.owner, batch, progress=progress)
    summary = f"已导入并发布{len(issues)}期简报。" + (f"{len(notes)}个文件未能导入，见提示。"
                                                 if notes else "")
    return Outcome(summary=summary, url=reverse("briefings:import_batch", args=[batch.pk]),
                   link_label="查看导入结果", notes=notes)


def _summary(actor, batch):
    files = list(batch.files.all())
    refused = sum(bool(f.refusal) for f in files)
    clean = sum(batches.review(actor, f)["clean"] for f in files if not f.refusal)
    return (f"已识别{len(files)}个文件：{clean}个可直接导入，{len(files) - clean - refused}个需要核对，"
            f"{refused}个无法识别。")
