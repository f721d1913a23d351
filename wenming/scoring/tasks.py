"""Scoring work that runs in the background (see wenming.tasks)."""

from wenming.scoring import render, services
from wenming.scoring.models import Bulletin
from wenming.tasks.services import Outcome, task_handler


@task_handler
def render_bulletin(task, progress):
    bulletin = Bulletin.objects.get(pk=task.params["bulletin"])
    fmt = task.params["format"]
    make = render.render_pdf if fmt == "pdf" else render.render_docx
    content = make(bulletin, progress)
    photos = len(render.photo_names(render.document_content(bulletin)))
    name = services.file_name(bulletin, fmt)
    return Outcome(summary=f"{name}已生成（含现场照片{photos}张）。", file=content, file_name=name)
