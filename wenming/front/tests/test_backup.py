import hashlib
import json
import shutil
import zipfile

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from wenming.accounts.models import Unit, User
from wenming.audit.models import AuditEvent
from wenming.audit.services import record
from wenming.front.backup import row_counts, walk_storage

PHOTO = "photos/2024/现场.jpg"


def _rows():
    return {
        "units": sorted(Unit.objects.values_list("pk", "name", "path")),
        "users": sorted(User.objects.values_list("pk", "username", "password", "unit_id")),
        "roles": sorted(User.objects.values_list("username", "groups__name")),
        "events": sorted(AuditEvent.objects.values_list("pk", "verb", "object_id")),
    }


def _members(path):
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _repack(path, members, *, resign=True):
    """Write `members` (in order) as an archive; with `resign` the manifest
    lists them with matching checksums, as a careful forger would."""
    members = dict(members)
    manifest = json.loads(members.pop("manifest.json"))
    if resign:
        manifest["members"] = {name: {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                               for name, data in members.items()}
        manifest["files"] = sum(1 for name in members if name != "data.json")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", json.dumps(manifest))
    return path


def _assert_untouched():
    assert not any(row_counts().values())
    assert not AuditEvent.objects.exists()
    assert list(walk_storage(default_storage)) == []


@pytest.fixture
def archive(tmp_path, people):
    """A backup of a small city with one photo, and an emptied target."""
    record(people["admin"], "unit.update", Unit.objects.get(name="川汇区"), after={"x": 1})
    default_storage.save(PHOTO, ContentFile(b"\xff\xd8photo"))
    path = tmp_path / "backup.zip"
    call_command("backup", str(path))
    if connection.in_atomic_block:
        # Inside the test's transaction PostgreSQL refuses to truncate tables
        # with foreign-key checks still pending; run them now.
        connection.check_constraints()
    call_command("flush", interactive=False)
    default_storage.delete(PHOTO)
    _assert_untouched()
    return path


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_row_and_file_into_an_empty_database(tmp_path):
    from wenming.accounts.tests.factories import make_city, make_people

    people = make_people(make_city())
    record(people["admin"], "unit.update", Unit.objects.get(name="川汇区"), after={"x": 1})
    default_storage.save(PHOTO, ContentFile(b"\xff\xd8photo"))
    before, counts = _rows(), row_counts()
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive))
    manifest = json.loads(_members(archive)["manifest.json"])
    assert manifest["members"][f"media/{PHOTO}"] == {
        "size": 7, "sha256": hashlib.sha256(b"\xff\xd8photo").hexdigest()}

    call_command("flush", interactive=False)
    default_storage.delete(PHOTO)
    assert not Unit.objects.exists() and not default_storage.exists(PHOTO)

    call_command("restore", str(archive))
    assert _rows() == before and row_counts() == counts
    with default_storage.open(PHOTO) as f:
        assert f.read() == b"\xff\xd8photo"
    # Sequences follow the restored ids, so new rows do not collide.
    assert Unit.objects.create(name="新单位", kind="other").pk > max(r[0] for r in before["units"])


def test_restore_into_a_non_empty_database_is_refused(tmp_path, people):
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive))
    count = Unit.objects.count()
    with pytest.raises(CommandError, match="目标数据库不是空库"):
        call_command("restore", str(archive))
    assert Unit.objects.count() == count


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, db):
    bogus = tmp_path / "x.zip"
    bogus.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="无法读取备份文件"):
        call_command("restore", str(bogus))


def test_truncated_archive_is_refused_and_nothing_changes(archive):
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match="文件不完整"):
        call_command("restore", str(archive))
    _assert_untouched()


@pytest.mark.parametrize("name", [
    "media/../escape.txt", "media/photos/../../escape.txt", "media//tmp/escape.txt",
    "media/C:/escape.txt", "../escape.txt", "/tmp/escape.txt",
])
def test_member_outside_the_media_folder_is_refused_before_anything_is_written(archive, name):
    members = _members(archive)
    members[name] = b"payload"
    _repack(archive, members)
    with pytest.raises(CommandError, match="已拒绝恢复，数据库和文件均未改动") as refused:
        call_command("restore", str(archive))
    assert name in str(refused.value)
    _assert_untouched()
    assert not (settings.MEDIA_ROOT.parent / "escape.txt").exists()


def test_member_changed_after_backup_fails_its_checksum(archive):
    members = _members(archive)
    members[f"media/{PHOTO}"] = b"\xff\xd8phot0"  # same size, other bytes
    _repack(archive, members, resign=False)
    with pytest.raises(CommandError, match=f"“media/{PHOTO}”的大小或校验值与备份时记录的不符"):
        call_command("restore", str(archive))
    _assert_untouched()


def test_member_not_in_the_manifest_is_refused(archive):
    members = _members(archive)
    members["media/extra.pdf"] = b"%PDF"
    _repack(archive, members, resign=False)
    with pytest.raises(CommandError, match="备份内容与清单不符（多出 media/extra.pdf）"):
        call_command("restore", str(archive))
    _assert_untouched()


def test_file_in_storage_with_other_content_is_not_overwritten(archive):
    default_storage.save(PHOTO, ContentFile(b"newer"))
    with pytest.raises(CommandError, match="已有同名而内容不同的文件"):
        call_command("restore", str(archive))
    assert not any(row_counts().values())
    with default_storage.open(PHOTO) as f:
        assert f.read() == b"newer"


@pytest.mark.django_db(transaction=True)
def test_rows_that_fail_to_load_leave_the_database_empty_and_the_next_restore_works(
        archive, tmp_path):
    members = _members(archive)
    rows = json.loads(members["data.json"])
    # The bad row comes last, after every good one has been inserted.
    members["data.json"] = json.dumps([*rows, {"model": "front.nosuch", "pk": 1, "fields": {}}])
    broken = _repack(tmp_path / "broken.zip", {k: v if isinstance(v, bytes) else v.encode()
                                               for k, v in members.items()})
    with pytest.raises(CommandError, match="载入数据失败，恢复已全部撤销，数据库仍为空库"):
        call_command("restore", str(broken))
    _assert_untouched()

    call_command("restore", str(archive))
    assert Unit.objects.filter(name="川汇区").exists() and default_storage.exists(PHOTO)


@pytest.mark.django_db(transaction=True)
def test_file_that_fails_to_write_rolls_back_rows_and_files_written_before_it(archive):
    members = _members(archive)
    ordered = {"data.json": members.pop("data.json"), "media/a/first.txt": b"first",
               **members}
    _repack(archive, ordered)
    # A plain file where the photo's folder should be: the photo cannot be written.
    blocker = settings.MEDIA_ROOT / "photos"
    shutil.rmtree(blocker)  # the photo's empty folders, left by the fixture
    blocker.write_bytes(b"")
    with pytest.raises(CommandError, match="写入文件“photos/2024/现场.jpg”失败，恢复已全部撤销"):
        call_command("restore", str(archive))
    assert not any(row_counts().values()) and not AuditEvent.objects.exists()
    assert list(walk_storage(default_storage)) == ["photos"]


def test_format_1_archive_is_restored_with_names_and_count_checked(archive, capsys):
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    del manifest["members"]
    members["manifest.json"] = json.dumps({**manifest, "format": 1}).encode()
    _repack(archive, members, resign=False)
    call_command("restore", str(archive))
    assert "旧格式的备份" in capsys.readouterr().out
    assert Unit.objects.filter(name="川汇区").exists() and default_storage.exists(PHOTO)


def test_format_1_archive_with_an_escaping_name_is_refused(archive):
    members = _members(archive)
    manifest = json.loads(members["manifest.json"])
    del manifest["members"]
    members["manifest.json"] = json.dumps({**manifest, "format": 1, "files": 2}).encode()
    members["media/../escape.txt"] = b"payload"
    _repack(archive, members, resign=False)
    with pytest.raises(CommandError, match="不安全"):
        call_command("restore", str(archive))
    _assert_untouched()
