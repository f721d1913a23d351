"""我的任务: starting a task, following its progress, its result or error,
cancelling it, and nobody else seeing it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from wenming.audit.models import AuditEvent
from wenming.tasks.models import Task
from wenming.tasks.services import cancel_task, start_task

H = "wenming.tasks.tests.handlers."
DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _start(user, handler, content=b"a\nb\nc"):
    return start_task(user, H + handler, "测试任务",
                      upload=SimpleUploadedFile("数据.txt", content))


def test_task_runs_and_shows_its_result(client, people):
    task = _start(people["editor"], "count_lines")
    assert task.status == Task.Status.SUCCEEDED
    assert (task.done, task.total, task.summary) == (3, 3, "共3行。")
    assert not task.source  # the input is not kept once done
    assert AuditEvent.objects.filter(verb="task.start", object_id=str(task.pk)).exists()
    client.force_login(people["editor"])
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert "已完成" in page and "共3行。" in page and "第2行：提示" in page
    assert 'hx-trigger="every 1s"' not in page  # a finished task is not polled
    download = client.get(reverse("tasks:result", args=[task.pk]))
    assert download.content == b"A\nB\nC"
    assert "filename*=UTF-8''%E7%BB%93%E6%9E%9C.txt" in download["Content-Disposition"]
    listing = client.get(reverse("tasks:list")).content.decode()
    assert "测试任务" in listing


def test_queued_task_page_polls_its_progress(client, people, settings):
    settings.TASKS = DB_BACKEND
    task = _start(people["editor"], "count_lines")
    assert task.status == Task.Status.QUEUED and task.backend_id
    client.force_login(people["editor"])
    page = client.get(reverse("tasks:detail", args=[task.pk])).content.decode()
    assert f'hx-get="{reverse("tasks:progress", args=[task.pk])}"' in page
    assert "排队中" in page and "取消任务" in page


def test_domain_error_is_shown_as_is(people):
    task = _start(people["editor"], "refuse")
    assert task.status == Task.Status.FAILED
    assert task.error == "文件超过200000行数据，请拆分后分批上传。"


def test_unexpected_error_is_a_plain_chinese_message(people):
    task = _start(people["editor"], "crash")
    assert task.status == Task.Status.FAILED
    assert "内部错误" in task.error and "secret" not in task.error


def test_running_out_of_memory_fails_the_task_not_the_worker(people):
    task = _start(people["editor"], "run_out_of_memory")
    assert task.status == Task.Status.FAILED and "内存上限" in task.error


def test_cancel_stops_a_running_task(people):
    task = _start(people["editor"], "cancelled_midway")
    assert task.status == Task.Status.CANCELLED and task.finished_at


def test_cancel_a_queued_task_it_never_runs(client, people, settings):
    settings.TASKS = DB_BACKEND
    task = _start(people["editor"], "count_lines")
    client.force_login(people["editor"])
    response = client.post(reverse("tasks:cancel", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED
    from wenming.tasks.services import run_task

    run_task(task.pk)  # what the worker does when it reaches the entry
    task.refresh_from_db()
    assert task.status == Task.Status.CANCELLED and not task.summary
    assert AuditEvent.objects.filter(verb="task.cancel").count() == 1


def test_finished_task_cannot_be_cancelled(people):
    from wenming.core.errors import DomainError

    task = _start(people["editor"], "count_lines")
    with pytest.raises(DomainError, match="已完成"):
        cancel_task(people["editor"], task)


def test_another_users_task_is_not_found(client, people):
    task = _start(people["editor"], "count_lines")
    client.force_login(people["liaison"])
    for name in ("detail", "progress", "result"):
        assert client.get(reverse(f"tasks:{name}", args=[task.pk])).status_code == 404
    assert client.post(reverse("tasks:cancel", args=[task.pk])).status_code == 404
    assert "测试任务" not in client.get(reverse("tasks:list")).content.decode()


def test_only_marked_handlers_can_be_queued(people):
    with pytest.raises(ValueError):
        _start(people["editor"], "not_a_handler")
    with pytest.raises(ValueError):
        start_task(people["editor"], "os.system", "x")
    assert not Task.objects.exists()


def test_my_tasks_is_in_everyones_menu(client, people):
    client.force_login(people["liaison"])
    assert "我的任务" in client.get("/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_database_queue_and_worker_run_the_task(people, settings):
    settings.TASKS = DB_BACKEND
    task = _start(people["editor"], "count_lines")
    assert task.status == Task.Status.QUEUED
    call_command("worker", "--batch", "--memory-mb", "0", "--interval", "0.1", verbosity=0)
    task.refresh_from_db()
    assert task.status == Task.Status.SUCCEEDED and task.summary == "共3行。"
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get(id=task.backend_id).status == "SUCCESSFUL"


def test_result_link_says_view_imported_records_unless_the_handler_names_it(client, people):
    client.force_login(people["editor"])
    default = _start(people["editor"], "count_lines")
    named = _start(people["editor"], "open_a_page")
    page = client.get(reverse("tasks:detail", args=[default.pk])).content.decode()
    assert '<a href="/">查看导入的记录</a>' in page
    page = client.get(reverse("tasks:detail", args=[named.pk])).content.decode()
    assert '<a href="/">查看报告</a>' in page and "查看导入的记录" not in page
