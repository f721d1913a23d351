"""One-file backups: a portable JSON dump of every row plus the uploaded
files, restorable into an empty database of either engine."""

import io
import json
import os
import tempfile
import zipfile

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

FORMAT_VERSION = 1
# Rebuilt by migrate or meaningless elsewhere (sessions, login throttling).
_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


class RestoreError(Exception):
    pass


def _walk(storage, top=""):
    dirs, files = storage.listdir(top) if storage.exists(top or ".") else ([], [])
    for name in files:
        yield f"{top}/{name}" if top else name
    for d in dirs:
        yield from _walk(storage, f"{top}/{d}" if top else d)


def _own_models():
    return [m for m in apps.get_models() if m.__module__.startswith("wenming.")]


def row_counts():
    return {m._meta.label: m._base_manager.count() for m in _own_models()}


def create_backup(path, progress=None):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        dump_path = tmp.name
    try:
        # Primary keys are kept as they are; only references to content types
        # and permissions, which each database numbers on its own, go by name.
        call_command("dumpdata", natural_foreign=True, exclude=_EXCLUDE, output=dump_path,
                     verbosity=0)
        files = list(_walk(default_storage))
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "rows": row_counts(),
            "files": len(files),
        }
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(dump_path, "data.json")
            for i, name in enumerate(files, start=1):
                with default_storage.open(name, "rb") as f:
                    zf.writestr(f"media/{name}", f.read())
                if progress:
                    progress(i, len(files))
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    finally:
        os.unlink(dump_path)
    return manifest


def restore_backup(path):
    non_empty = {label: n for label, n in row_counts().items() if n}
    if non_empty:
        listing = "、".join(f"{label}（{n}行）" for label, n in sorted(non_empty.items()))
        raise RestoreError(f"目标数据库不是空库，已拒绝恢复：{listing}。请在新建并完成迁移的空库上恢复。")
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as e:
        raise RestoreError(f"无法读取备份文件 {path}：{e}") from None
    with zf:
        names = set(zf.namelist())
        if "manifest.json" not in names or "data.json" not in names:
            raise RestoreError("备份文件缺少 manifest.json 或 data.json，不是本平台的备份。")
        manifest = json.loads(zf.read("manifest.json"))
        if manifest.get("format") != FORMAT_VERSION:
            raise RestoreError(f"不支持的备份格式版本：{manifest.get('format')}。")
        with tempfile.TemporaryDirectory() as tmpdir:
            dump_path = os.path.join(tmpdir, "data.json")
            with open(dump_path, "wb") as f:
                f.write(zf.read("data.json"))
            with transaction.atomic():
                # migrate made the role groups afresh; the backup brings them
                # back with their original ids.
                Group.objects.filter(user__isnull=True).delete()
                call_command("loaddata", dump_path, verbosity=0)
        media = [n for n in names if n.startswith("media/") and not n.endswith("/")]
        for name in media:
            target = name[len("media/"):]
            if default_storage.exists(target):
                default_storage.delete(target)
            default_storage.save(target, ContentFile(zf.read(name)))
    return manifest


def backup_bytes():
    """For tests and the web: the archive as bytes."""
    buf = io.BytesIO()
    create_backup(buf)
    return buf.getvalue()
