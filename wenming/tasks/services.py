"""Starting, running and cancelling background tasks.

A view calls `start_task` with the name of a handler (a function marked
with `@task_handler`), a Chinese title, JSON parameters and optionally the
uploaded file; the user is sent to the task's page. A worker (`wenming
worker`) picks the queue entry up and calls `run_task`, which calls the
handler with the Task and a progress reporter. The handler does the work
through its own app's services and returns an `Outcome`."""

import logging
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from wenming.audit.services import record
from wenming.core.errors import DomainError, require
from wenming.tasks.models import Task
from wenming.tasks.progress import Cancelled, TaskProgress, task_failure_message

logger = logging.getLogger(__name__)
S = Task.Status


@dataclass
class Outcome:
    summary: str = ""
    url: str = ""
    # What the link to `url` says on the task page: the default suits the
    # imports; a handler whose page is something else names it.
    link_label: str = ""
    file: bytes | None = None
    file_name: str = ""
    notes: list = field(default_factory=list)
    # A result the handler already saved (too big to hold as bytes, or a
    # cached file shared by several tasks): its name in STORAGES[storage].
    stored_name: str = ""
    storage: str = ""


def task_handler(func):
    """Marks a function a task may run: `kind` names it by import path, and
    only marked functions are ever called from the queue."""
    func.is_task_handler = True
    return func


def start_task(actor, kind, title, params=None, upload=None):
    """Record the task and put it on the queue; returns the Task."""
    require(actor.is_authenticated, "请先登录。")
    _handler(kind)
    with transaction.atomic():
        task = Task(owner=actor, kind=kind, title=title[:200], params=params or {},
                    stage="排队等待处理")
        if upload is not None:
            task.source_name = getattr(upload, "name", "")[:200]
            task.source.save(task.source_name or "upload", upload, save=False)
        task.save()
        record(actor, "task.start", task, after={"kind": kind, "file": task.source_name})
    # Enqueued after the commit above, so a worker polling the queue always
    # finds the Task row. (The immediate backend used by tests runs it here.)
    from wenming.tasks.runner import run

    result = run.enqueue(task.pk)
    Task.objects.filter(pk=task.pk).update(backend_id=str(result.id)[:64])
    task.refresh_from_db()
    return task


def cancel_task(actor, task):
    """Ask a task to stop: one still queued is cancelled at once, a running
    one stops (and undoes its writes) at its next progress report."""
    require(task.owner_id == actor.pk, "只能取消自己发起的任务。")
    with transaction.atomic():
        task = Task.objects.select_for_update().get(pk=task.pk)
        if task.finished:
            raise DomainError(f"任务已{task.get_status_display()}，无法取消。")
        if task.status == S.QUEUED:
            task.status, task.stage, task.finished_at = S.CANCELLED, "已取消", timezone.now()
        else:
            task.stage = "正在取消……"
        task.cancel_requested = True
        task.save(update_fields=["status", "stage", "finished_at", "cancel_requested"])
        record(actor, "task.cancel", task)
    return task


def run_task(task_id):
    """Run one queued task to its end: succeeded, failed with a Chinese
    message, or cancelled. Called by the worker, never by a request."""
    claimed = Task.objects.filter(pk=task_id, status=S.QUEUED).update(
        status=S.RUNNING, started_at=timezone.now(), stage="开始处理")
    if not claimed:
        return  # cancelled while queued
    task = Task.objects.select_related("owner").get(pk=task_id)
    try:
        outcome = _handler(task.kind)(task, TaskProgress(task.pk))
    except Cancelled:
        _finish(task, status=S.CANCELLED, stage="已取消，未保存任何数据")
    except BaseException as e:  # noqa: B036 - MemoryError too must end the task, not the worker
        if not isinstance(e, DomainError):
            logger.exception("Task %s (%s) failed", task.pk, task.kind)
        if isinstance(e, KeyboardInterrupt | SystemExit):
            _finish(task, status=S.FAILED, stage="失败", error="任务被中断，请重新提交。")
            raise
        notes = [str(n) for n in getattr(e, "errors", [])][:500]
        _finish(task, status=S.FAILED, stage="失败", error=task_failure_message(e), notes=notes)
    else:
        if outcome.stored_name:
            task.result_file.name = outcome.stored_name
        elif outcome.file is not None:
            task.result_file.save(outcome.file_name or "result", ContentFile(outcome.file),
                                  save=False)
        _finish(task, status=S.SUCCEEDED, stage="已完成", summary=outcome.summary[:500],
                result_url=outcome.url[:300], result_label=outcome.link_label[:60],
                result_name=outcome.file_name[:200],
                result_file=task.result_file.name or "", result_storage=outcome.storage,
                notes=outcome.notes[:500], done=F("total"))


def open_result(actor, task):
    """The result file of the actor's own finished task, opened for reading,
    or None when there is none (any more). Each download is audited: a
    result may hold a whole screening list or the whole database."""
    require(task.owner_id == actor.pk, "只能下载自己发起的任务的结果。")
    if task.status != S.SUCCEEDED or not task.result_file:
        return None
    store = task.result_store()
    if not store.exists(task.result_file.name):
        return None
    with transaction.atomic():
        record(actor, "task.download", task, after={"file": task.result_name})
    return store.open(task.result_file.name, "rb")


def source_file(task):
    """The uploaded file a task works on, under the name the user gave it."""
    with task.source.open("rb") as f:
        return ContentFile(f.read(), name=task.source_name or "upload")


def _finish(task, **changes):
    if task.source:
        # The uploaded file was only input; the app that imported it keeps
        # its own copy where the records need one.
        task.source.delete(save=False)
        changes["source"] = ""
    changes["finished_at"] = timezone.now()
    Task.objects.filter(pk=task.pk).update(**changes)


def _handler(kind):
    try:
        func = import_string(kind)
    except ImportError as e:
        raise ValueError(f"{kind} is not a task handler: {e}") from e
    if not getattr(func, "is_task_handler", False):
        raise ValueError(f"{kind} is not a task handler")
    return func
