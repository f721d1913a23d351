"""System administration: backups made from the web page (系统备份)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from wenming.accounts import roles
from wenming.audit.services import record
from wenming.tasks.models import Task
from wenming.tasks.services import start_task

BACKUP_TASK = "wenming.front.tasks.make_backup"
BACKUP_STORAGE = "backups"


def can_back_up(user):
    """The system administrators: the archive holds every row of every user."""
    return user is not None and user.is_authenticated and user.has_role(roles.ADMIN)


def start_backup(actor):
    """Queue a full backup (rows and uploaded files) as the actor's task."""
    if not can_back_up(actor):
        raise PermissionDenied("只有系统管理员可以备份。")
    return start_task(actor, BACKUP_TASK, "系统备份")


def recent_backups(limit=20):
    return Task.objects.filter(kind=BACKUP_TASK).select_related("owner")[:limit]


def record_backup(actor, task, manifest, size):
    """A backup archive is done: audit what it holds, then let go of the
    oldest archives past WENMING_BACKUPS_KEPT."""
    with transaction.atomic():
        record(actor, "backup.create", task, after={
            "rows": sum(manifest["rows"].values()), "tables": manifest.get("tables"),
            "files": manifest["files"], "bytes": size})
        removed = _prune(keep=settings.WENMING_BACKUPS_KEPT - 1, exclude=task.pk)
        if removed:
            record(actor, "backup.prune", None, object_type="tasks.task",
                   after={"removed": removed})
    return removed


def _prune(keep, exclude):
    from django.core.files.storage import storages

    store = storages[BACKUP_STORAGE]
    kept = Task.objects.filter(kind=BACKUP_TASK, status=Task.Status.SUCCEEDED) \
        .exclude(pk=exclude).exclude(result_file="").order_by("-finished_at", "-pk")
    removed = []
    for old in kept[max(keep, 0):]:
        if store.exists(old.result_file.name):
            store.delete(old.result_file.name)
        removed.append(old.result_name)
        Task.objects.filter(pk=old.pk).update(
            result_file="", summary=(old.summary + "（备份文件已按保留数量清理）")[:500])
    return removed
