"""System work that runs in the background (see wenming.tasks)."""

import tempfile

from django.core.files import File
from django.core.files.storage import storages
from django.utils import timezone

from wenming.front import services
from wenming.front.backup import create_backup
from wenming.tasks.services import Outcome, task_handler


@task_handler
def make_backup(task, progress):
    """The same archive as `wenming backup`, kept in the backups store (never
    among the media files) for its owner to download."""
    name = f"wenming-backup-{timezone.localtime():%Y%m%d-%H%M%S}.zip"
    with tempfile.TemporaryFile(prefix="wenming-backup-") as tmp:
        manifest = create_backup(tmp, progress)
        size = tmp.seek(0, 2)
        tmp.seek(0)
        progress.update("正在保存备份文件")
        stored = storages[services.BACKUP_STORAGE].save(f"{task.pk}/{name}", File(tmp, name))
    services.record_backup(task.owner, task, manifest, size)
    rows = sum(manifest["rows"].values())
    return Outcome(summary=f"备份完成：数据{manifest.get('tables', 0)}张表共{rows:,}行，"
                           f"上传文件{manifest['files']:,}个，共{_size(size)}。",
                   file_name=name, stored_name=stored,
                   storage=services.BACKUP_STORAGE)


def _size(n):
    if n < 1024:
        return f"{n}字节"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"
