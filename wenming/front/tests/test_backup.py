import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from wenming.accounts.models import Unit, User
from wenming.audit.models import AuditEvent
from wenming.audit.services import record
from wenming.front.backup import row_counts


def _rows():
    return {
        "units": sorted(Unit.objects.values_list("pk", "name", "path")),
        "users": sorted(User.objects.values_list("pk", "username", "password", "unit_id")),
        "roles": sorted(User.objects.values_list("username", "groups__name")),
        "events": sorted(AuditEvent.objects.values_list("pk", "verb", "object_id")),
    }


@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_row_and_file_into_an_empty_database(tmp_path):
    from wenming.accounts.tests.factories import make_city, make_people

    people = make_people(make_city())
    record(people["admin"], "unit.update", Unit.objects.get(name="川汇区"), after={"x": 1})
    default_storage.save("photos/2024/现场.jpg", ContentFile(b"\xff\xd8photo"))
    before, counts = _rows(), row_counts()
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive))

    call_command("flush", interactive=False)
    default_storage.delete("photos/2024/现场.jpg")
    assert not Unit.objects.exists() and not default_storage.exists("photos/2024/现场.jpg")

    call_command("restore", str(archive))
    assert _rows() == before and row_counts() == counts
    with default_storage.open("photos/2024/现场.jpg") as f:
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
