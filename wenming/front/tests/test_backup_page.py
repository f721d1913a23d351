"""系统备份: an administrator backs up from the web page, watches it as a
task and downloads the archive; nobody else can start one or fetch it."""

import io
import json
import os
import zipfile

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.urls import reverse

from wenming.accounts import roles
from wenming.accounts.tests.factories import make_user
from wenming.audit.models import AuditEvent
from wenming.tasks.models import Task

PHOTO = "photos/2024/现场.jpg"
URL = "/system/backups/"


def _back_up(client, user):
    client.force_login(user)
    response = client.post(URL)
    task = Task.objects.filter(owner=user).latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    return task


def _download(client, task):
    response = client.get(reverse("tasks:result", args=[task.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def test_admin_backs_up_from_the_page_and_downloads_the_archive(client, people):
    default_storage.save(PHOTO, ContentFile(b"\xff\xd8photo"))
    task = _back_up(client, people["admin"])

    task.refresh_from_db()
    assert task.status == Task.Status.SUCCEEDED, task.error
    assert task.result_storage == "backups"
    assert "备份完成" in task.summary and "上传文件1个" in task.summary
    # Kept in the backups store, not among the media files the next backup copies.
    assert storages["backups"].exists(task.result_file.name)
    assert not default_storage.exists(task.result_file.name)

    response, content = _download(client, task)
    assert response["Content-Type"] == "application/zip"
    assert "wenming-backup-" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert zf.read("media/" + PHOTO) == b"\xff\xd8photo"
        users = [o for o in json.loads(zf.read("data.json")) if o["model"] == "accounts.user"]
    assert manifest["format"] == 2 and manifest["files"] == 1
    assert manifest["rows"]["accounts.User"] == len(users) == len(people)
    assert manifest["tables"] > 20
    assert set(manifest["members"]) == {"data.json", "media/" + PHOTO}

    verbs = list(AuditEvent.objects.filter(object_id=str(task.pk)).values_list("verb", flat=True))
    assert sorted(verbs) == ["backup.create", "task.download", "task.start"]

    page = client.get(URL).content.decode()
    assert "最近的备份" in page and "已完成" in page and task.result_name in page


def test_backup_progress_names_tables_and_files(people, settings):
    """What the polling page shows while the worker runs: each table, then
    the files counted."""
    from wenming.front.backup import create_backup
    from wenming.tasks.progress import Progress

    default_storage.save(PHOTO, ContentFile(b"x"))
    seen = []

    class Watch(Progress):
        def update(self, stage=None, done=None, total=None):
            seen.append((stage, done, total))

    create_backup(io.BytesIO(), Watch())
    stages = [s for s, _, _ in seen]
    assert any(s.startswith("正在导出数据表“用户”") for s in stages)
    assert ("正在打包上传的文件", 0, 1) in seen and ("正在写入清单", 1, 1) in seen


def test_only_administrators_reach_the_backup_page(client, people):
    for who in ("editor", "liaison", "viewer"):
        client.force_login(people[who])
        assert client.get(URL).status_code == 403
        assert client.post(URL).status_code == 403
    assert not Task.objects.exists()
    client.logout()
    assert client.get(URL).status_code == 302  # to the login page


def test_another_administrator_cannot_download_my_backup(client, people):
    task = _back_up(client, people["admin"])
    other = make_user("alan", roles.ADMIN, unit=people["admin"].unit)
    client.force_login(other)
    assert client.get(reverse("tasks:result", args=[task.pk])).status_code == 404
    page = client.get(URL).content.decode()
    # Listed (who backed up when), but no download link for someone else's archive.
    assert "系统备份" in page and reverse("tasks:result", args=[task.pk]) not in page
    client.force_login(people["liaison"])
    assert client.get(reverse("tasks:result", args=[task.pk])).status_code == 404
    assert not AuditEvent.objects.filter(verb="task.download").exists()


def test_old_archives_are_removed_past_the_number_kept(client, people, settings):
    settings.WENMING_BACKUPS_KEPT = 2
    first, second, third = (_back_up(client, people["admin"]) for _ in range(3))
    first.refresh_from_db()
    assert not first.result_file and "已按保留数量清理" in first.summary
    assert not storages["backups"].listdir(str(first.pk))[1]
    for task in (second, third):
        task.refresh_from_db()
        assert storages["backups"].exists(task.result_file.name)
    assert AuditEvent.objects.filter(verb="backup.prune").count() == 1
    # A pruned archive answers with the task page, not an error.
    response = client.get(reverse("tasks:result", args=[first.pk]))
    assert response.status_code == 302


def test_backup_command_shows_a_bar_and_a_summary(people, tmp_path, capsys):
    out = tmp_path / "b.zip"
    call_command("backup", str(out))
    captured = capsys.readouterr()
    assert "备份完成" in captured.out and "张表" in captured.out and "用时" in captured.out
    assert "█" in captured.err or "░" in captured.err
    assert "正在导出数据表" in captured.err
    assert zipfile.ZipFile(out).testzip() is None


def test_backups_dir_is_outside_the_media_and_static_roots():
    backups = settings.BACKUP_DIR
    for root in (settings.DATA_DIR / "media", settings.STATIC_ROOT):
        assert not str(backups).startswith(str(root))


def test_a_cancelled_backup_leaves_no_archive(people):
    from wenming.front.services import BACKUP_TASK
    from wenming.front.tasks import make_backup
    from wenming.tasks.progress import Cancelled, Progress

    default_storage.save(PHOTO, ContentFile(b"x"))

    class CancelWhilePacking(Progress):
        """The administrator presses 取消 while the files are being packed."""

        def update(self, stage=None, done=None, total=None):
            if stage == "正在打包上传的文件":
                raise Cancelled

    task = Task.objects.create(owner=people["admin"], kind=BACKUP_TASK, title="系统备份",
                               status=Task.Status.RUNNING)
    with pytest.raises(Cancelled):
        make_backup(task, CancelWhilePacking())
    assert not os.path.exists(storages["backups"].location)  # nothing ever written there
    assert not AuditEvent.objects.filter(verb="backup.create").exists()
