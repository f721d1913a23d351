"""One-file backups: a portable JSON dump of every row plus the uploaded
files, restorable into an empty database of either engine.

A restore is all or nothing. The whole archive is checked first (member
names, and each member's size and SHA-256 against the list the backup wrote
into manifest.json); only then are the rows loaded, in one transaction, and
the files written inside that same transaction, so a failure anywhere rolls
the rows back and removes the files already written."""

import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from collections import Counter
from pathlib import PurePosixPath

from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.utils import validate_file_name
from django.core.management import call_command
from django.core.management.utils import parse_apps_and_model_labels
from django.db import connection, transaction
from django.utils import timezone

from wenming.tasks.progress import Progress

# 2 added the member list with sizes and checksums. Format 1 archives (made
# before it) are still accepted, since the daily cron keeps a month of them:
# their names and file count are checked and every member is read through
# once, which makes zip check its own CRC-32, but there is nothing to compare
# a tampered member against.
FORMAT_VERSION = 2
LEGACY_FORMATS = {1}
MANIFEST, DATA, MEDIA = "manifest.json", "data.json", "media/"
# Rebuilt by migrate or meaningless elsewhere (sessions, login throttling;
# the search index's version, which the database replaces as the restored
# documents arrive).
_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes",
            "search.indexversion"]
_CHUNK = 1024 * 1024
_UNCHANGED = "已拒绝恢复，数据库和文件均未改动。"


class RestoreError(Exception):
    pass


def walk_storage(storage, top=""):
    """Every file name in a storage, through its listdir (works for object
    storage, where there is no directory tree to walk)."""
    dirs, files = storage.listdir(top) if storage.exists(top or ".") else ([], [])
    for name in files:
        yield f"{top}/{name}" if top else name
    for d in dirs:
        yield from walk_storage(storage, f"{top}/{d}" if top else d)


def _own_models():
    excluded, _ = parse_apps_and_model_labels(_EXCLUDE)
    return [m for m in apps.get_models()
            if m.__module__.startswith("wenming.") and m not in excluded]


def row_counts():
    return {m._meta.label: m._base_manager.count() for m in _own_models()}


def _digest(stream, copy_to=None):
    h, size = hashlib.sha256(), 0
    while chunk := stream.read(_CHUNK):
        h.update(chunk)
        size += len(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return {"size": size, "sha256": h.hexdigest()}


def _dump_models():
    """The models dumpdata would write, in its order (dependencies first,
    for natural keys), without the excluded ones."""
    excluded_models, excluded_apps = parse_apps_and_model_labels(_EXCLUDE)
    app_list = {config: None for config in apps.get_app_configs()
                if config.models_module is not None and config not in excluded_apps}
    return [m for m in serializers.sort_dependencies(app_list.items(), allow_cycles=True)
            if m not in excluded_models and not m._meta.proxy]


def _dump(stream, progress):
    """Every row as dumpdata writes it, one table after another, telling
    `progress` which table is being read."""
    models = _dump_models()

    def objects():
        for i, model in enumerate(models, start=1):
            progress.update(f"正在导出数据表“{model._meta.verbose_name}”（{model._meta.label}）",
                            done=i - 1, total=len(models))
            yield from model._default_manager.order_by(model._meta.pk.name).iterator()
        progress.update("数据表已全部导出", done=len(models), total=len(models))

    # Primary keys are kept as they are; only references to content types
    # and permissions, which each database numbers on its own, go by name.
    serializers.serialize("json", objects(), use_natural_foreign_keys=True, stream=stream)
    return len(models)


def create_backup(path, progress=None):
    """Write the archive to `path` (a file name or a binary file object) and
    return its manifest. `progress` (a wenming.tasks.progress.Progress) is
    told each table and each file; its Cancelled stops the backup."""
    progress = progress or Progress()
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
        dump_path = tmp.name
    try:
        with open(dump_path, "w", encoding="utf-8") as f:
            tables = _dump(f, progress)
        files = list(walk_storage(default_storage))
        with open(dump_path, "rb") as f:
            members = {DATA: _digest(f)}
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(dump_path, DATA)
            for i, name in enumerate(files, start=1):
                progress.update("正在打包上传的文件", done=i - 1, total=len(files))
                with default_storage.open(name, "rb") as src, \
                        zf.open(MEDIA + name, "w", force_zip64=True) as dst:
                    members[MEDIA + name] = _digest(src, copy_to=dst)
            progress.update("正在写入清单", done=len(files), total=len(files))
            manifest = {
                "format": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "engine": connection.vendor,
                "rows": row_counts(),
                "tables": tables,
                "files": len(files),
                "members": members,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
    finally:
        os.unlink(dump_path)
    return manifest


def _storage_name(member):
    """The storage name a media/ member is restored to; RestoreError if it is
    absolute or climbs out of the media folder."""
    name = member[len(MEDIA):]
    parts = name.split("/")
    unsafe = (not name or "\\" in name or "\x00" in name or PurePosixPath(name).is_absolute()
              or (len(parts[0]) == 2 and parts[0][1] == ":")  # C:/…
              or any(p in ("", ".", "..") for p in parts))
    if not unsafe:
        try:
            validate_file_name(name, allow_relative_path=True)
        except SuspiciousFileOperation:
            unsafe = True
    if unsafe:
        raise RestoreError(f"备份中的文件名“{member}”不安全（绝对路径或跳出媒体目录），{_UNCHANGED}")
    return name


def _open(path):
    if not os.path.exists(path):
        raise RestoreError(f"备份文件 {path} 不存在。")
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError):
        raise RestoreError(
            f"无法读取备份文件 {path}：文件不完整（可能在复制时被截断）或不是本平台的备份。"
        ) from None


def _read_member(zf, name):
    """Digest of one member as stored; RestoreError if the archive is
    damaged there (zip checks its own CRC-32 as the member is read)."""
    try:
        with zf.open(name) as f:
            return _digest(f)
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
        raise RestoreError(f"备份文件已损坏，无法读出“{name}”，{_UNCHANGED}") from None


def _read_manifest(zf):
    names = set(zf.namelist())
    if MANIFEST not in names or DATA not in names:
        raise RestoreError("备份文件缺少 manifest.json 或 data.json，不是本平台的备份。")
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except (ValueError, OSError, zipfile.BadZipFile, zlib.error, EOFError):
        manifest = None
    if not isinstance(manifest, dict):
        raise RestoreError(f"备份文件中的 manifest.json 已损坏，{_UNCHANGED}")
    version = manifest.get("format")
    if version != FORMAT_VERSION and version not in LEGACY_FORMATS:
        raise RestoreError(f"不支持的备份格式版本：{version}。")
    if version == FORMAT_VERSION and not isinstance(manifest.get("members"), dict):
        raise RestoreError(f"备份文件中的 manifest.json 缺少文件清单，{_UNCHANGED}")
    return manifest


def _verify(zf, manifest):
    """Check every member before anything is changed; the media members as
    (member, storage name, digest) pairs."""
    names = zf.namelist()
    duplicated = sorted(n for n, count in Counter(names).items() if count > 1)
    if duplicated:
        raise RestoreError(f"备份中有重复的成员：{'、'.join(duplicated)}，{_UNCHANGED}")
    media = []
    for name in names:
        if name in (MANIFEST, DATA):
            continue
        if not name.startswith(MEDIA):
            raise RestoreError(f"备份中有不应出现的成员“{name}”，{_UNCHANGED}")
        media.append((name, _storage_name(name)))
    if manifest["format"] in LEGACY_FORMATS:
        if len(media) != manifest.get("files"):
            raise RestoreError(f"备份中的文件数（{len(media)}）与记录的"
                               f"（{manifest.get('files')}）不符，{_UNCHANGED}")
        digests = {name: _read_member(zf, name) for name in names if name != MANIFEST}
        return [(m, target, digests[m]) for m, target in media]
    recorded = manifest["members"]
    present = set(names) - {MANIFEST}
    missing, extra = sorted(set(recorded) - present), sorted(present - set(recorded))
    if missing or extra:
        listing = "；".join(filter(None, [
            missing and f"缺少 {'、'.join(missing[:5])}",
            extra and f"多出 {'、'.join(extra[:5])}"]))
        raise RestoreError(f"备份内容与清单不符（{listing}），{_UNCHANGED}")
    for name in sorted(present):
        found, expected = _read_member(zf, name), recorded[name]
        if not isinstance(expected, dict) or found != {"size": expected.get("size"),
                                                       "sha256": expected.get("sha256")}:
            raise RestoreError(f"“{name}”的大小或校验值与备份时记录的不符，"
                               f"备份文件可能已损坏或被改动，{_UNCHANGED}")
    return [(m, target, recorded[m]) for m, target in media]


def _refuse_non_empty_database():
    non_empty = {label: n for label, n in row_counts().items() if n}
    if non_empty:
        listing = "、".join(f"{label}（{n}行）" for label, n in sorted(non_empty.items()))
        raise RestoreError(f"目标数据库不是空库，已拒绝恢复：{listing}。请在新建并完成迁移的空库上恢复。")


def _files_to_write(media):
    """Media members not already in storage with the same content. A file
    there with other content is refused: overwriting it could not be undone."""
    to_write, clashes = [], []
    for member, target, digest in media:
        if not default_storage.exists(target):
            to_write.append((member, target))
            continue
        with default_storage.open(target, "rb") as f:
            if _digest(f) != digest:
                clashes.append(target)
    if clashes:
        raise RestoreError(f"文件存储中已有同名而内容不同的文件：{'、'.join(clashes[:5])}"
                           f"{'等' if len(clashes) > 5 else ''}，{_UNCHANGED}请先清空文件存储。")
    return to_write


def _short(error):
    text = " ".join(str(error).split())
    return text if len(text) <= 300 else text[:300] + "…"


def restore_backup(path):
    _refuse_non_empty_database()
    with _open(path) as zf:
        manifest = _read_manifest(zf)
        media = _verify(zf, manifest)
        to_write = _files_to_write(media)
        with tempfile.TemporaryDirectory() as tmpdir:
            dump_path = os.path.join(tmpdir, DATA)
            with zf.open(DATA) as src, open(dump_path, "wb") as dst:
                shutil.copyfileobj(src, dst, _CHUNK)
            written = []
            try:
                with transaction.atomic():
                    # migrate made the role groups afresh; the backup brings
                    # them back with their original ids.
                    Group.objects.filter(user__isnull=True).delete()
                    try:
                        call_command("loaddata", dump_path, verbosity=0)
                    except Exception as e:
                        raise RestoreError(f"载入数据失败，恢复已全部撤销，数据库仍为空库。"
                                           f"原因：{_short(e)}") from None
                    for member, target in to_write:
                        try:
                            saved = default_storage.save(target, ContentFile(zf.read(member)))
                        except Exception as e:
                            written.append(target)  # a part may have been written
                            raise RestoreError(f"写入文件“{target}”失败，恢复已全部撤销，"
                                               f"数据库仍为空库。原因：{_short(e)}") from None
                        written.append(saved)
                        if saved != target:
                            raise RestoreError(f"文件“{target}”在恢复过程中被其他进程写入，"
                                               f"恢复已全部撤销，数据库仍为空库。")
            except BaseException:
                for name in written:
                    try:
                        default_storage.delete(name)
                    except Exception:  # best effort: the error that matters is re-raised
                        pass
                raise
    return manifest


def backup_bytes():
    """For tests and the web: the archive as bytes."""
    buf = io.BytesIO()
    create_backup(buf)
    return buf.getvalue()
