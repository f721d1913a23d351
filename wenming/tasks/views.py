from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from wenming.core.errors import DomainError
from wenming.core.web import CONTENT_TYPES, file_response
from wenming.tasks import services
from wenming.tasks.models import Task


def _own(request, pk):
    # Another user's task answers 404, as if it did not exist.
    return get_object_or_404(Task, pk=pk, owner=request.user)


@login_required
def task_list(request):
    page = Paginator(Task.objects.filter(owner=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "tasks/task_list.html", {"page": page})


@login_required
def task_detail(request, pk):
    return render(request, "tasks/task_detail.html", {"task": _own(request, pk)})


@login_required
def task_progress(request, pk):
    """The part of the task page the browser polls until the task ends."""
    return render(request, "tasks/_progress.html", {"task": _own(request, pk)})


@require_POST
@login_required
def task_cancel(request, pk):
    try:
        services.cancel_task(request.user, _own(request, pk))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "已请求取消任务。")
    return redirect("tasks:detail", pk)


@login_required
def task_result(request, pk):
    task = _own(request, pk)
    result = services.open_result(request.user, task)
    if result is None:
        if task.status == Task.Status.SUCCEEDED and task.result_file:
            messages.error(request, "结果文件已不存在（可能已按保留期限清理），请重新发起任务。")
        return redirect("tasks:detail", pk)
    fmt = task.result_name.rsplit(".", 1)[-1].lower()
    fmt = fmt if fmt in CONTENT_TYPES else "txt"
    if _small(task):
        with result:
            return file_response(result.read(), task.result_name, fmt)
    # Streamed: a backup archive may be larger than a worker's memory.
    response = FileResponse(result, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(task.result_name)}"
    return response


def _small(task):
    return task.result_store().size(task.result_file.name) <= 8 * 1024 * 1024
