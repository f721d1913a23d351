import os
import time
from io import StringIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from wenming.audit.models import AuditEvent
from wenming.briefings.models import Issue
from wenming.briefings.tests.factories import make_series, small_issue

OLD = time.time() - 2 * 86400


def _save(name, content, *, old=True):
    name = default_storage.save(name, ContentFile(content))
    if old:
        os.utime(default_storage.path(name), (OLD, OLD))
    return name


def _sweep(*args):
    out = StringIO()
    call_command("storage", "sweep", *args, stdout=out)
    return out.getvalue()


def _issue_with_pdf(people, name):
    issue = small_issue(people["editor"], make_series(people["admin"]))
    Issue.objects.filter(pk=issue.pk).update(pdf=name)  # as a finished publish leaves it


def test_old_orphan_is_reported_then_removed_with_delete(people):
    referenced = _save("briefings/2024/第1期.pdf", b"%PDF-1.7 kept")
    _issue_with_pdf(people, referenced)
    orphan = _save("briefings/2024/第1期_crash.pdf", b"%PDF-1.7 orphan")
    young = _save("briefings/2024/第2期.pdf", b"%PDF-1.7 still being published", old=False)

    out = _sweep("--list")
    assert "孤立文件 1 个，共 15 字节" in out and "较新而未处理的未引用文件 1 个" in out
    assert orphan in out and referenced not in out and young not in out
    assert "未删除任何文件" in out and default_storage.exists(orphan)
    assert not AuditEvent.objects.filter(verb="storage.sweep").exists()

    out = _sweep("--delete")
    assert "已删除 1 个" in out
    assert not default_storage.exists(orphan)
    assert default_storage.exists(referenced) and default_storage.exists(young)
    event = AuditEvent.objects.get(verb="storage.sweep")
    assert event.after == {"deleted": 1, "bytes": 15, "names": [orphan]}
    assert "孤立文件 0 个" in _sweep()


def test_file_fields_of_every_app_are_found_without_a_hand_kept_list():
    from wenming.front.sweep import file_fields

    labels = {model._meta.label: names for model, names in file_fields()}
    assert labels["briefings.Issue"] == ["pdf", "docx"]
    assert labels["campaign.ProblemPhoto"] == ["image"]
    assert labels["campaign.CitizenReport"] == ["photo"]
    assert labels["credit.Restoration"] == ["evidence"]
    assert labels["honors.NominationPhoto"] == ["image"]


def test_sweep_works_through_the_storage_api(people, settings):
    # Object storage has no folder to walk: everything goes through listdir.
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    referenced = default_storage.save("credit/reports/2024/报告.pdf", ContentFile(b"kept"))
    _issue_with_pdf(people, referenced)
    orphan = default_storage.save("credit/reports/2024/残留.pdf", ContentFile(b"orphan"))
    assert not os.path.exists(settings.MEDIA_ROOT)

    out = _sweep("--delete", "--min-age-hours", "0")
    assert "孤立文件 1 个" in out and "已删除 1 个" in out
    assert not default_storage.exists(orphan) and default_storage.exists(referenced)
