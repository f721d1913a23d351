"""The admin site shows a task's result by name and links its task page,
never a /media/ address (a backup is not in the media store)."""

from django.urls import reverse

from wenming.front import services as backups
from wenming.tasks.models import Task


def test_backup_result_links_the_task_page_not_media(client, people, settings):
    admin = people["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    task = backups.start_backup(admin)
    assert task.status == Task.Status.SUCCEEDED and task.result_storage == "backups"
    client.force_login(admin)
    page = client.get(reverse("admin:tasks_task_change", args=[task.pk])).content.decode()
    assert "/media/" not in page
    assert task.result_file.name in page and "（存储：backups）" in page
    assert f'<a href="{reverse("tasks:detail", args=[task.pk])}">任务页面</a>' in page
