"""Task handlers used by the tests: small stand-ins for real work."""

from wenming.core.errors import DomainError
from wenming.tasks.models import Task
from wenming.tasks.services import Outcome, task_handler


@task_handler
def count_lines(task, progress):
    with task.source.open("rb") as f:
        lines = f.read().decode().splitlines()
    for n, _line in enumerate(lines, start=1):
        progress.update(f"正在读取第{n:,}行", done=n, total=len(lines))
    return Outcome(summary=f"共{len(lines)}行。", file="\n".join(lines).upper().encode(),
                   file_name="结果.txt", url="/", notes=["第2行：提示"])


@task_handler
def refuse(task, progress):
    raise DomainError("文件超过200000行数据，请拆分后分批上传。")


@task_handler
def crash(task, progress):
    raise RuntimeError("secret internal detail")


@task_handler
def run_out_of_memory(task, progress):
    raise MemoryError


@task_handler
def cancelled_midway(task, progress):
    # The user presses 取消 while the work is under way.
    Task.objects.filter(pk=task.pk).update(cancel_requested=True)
    progress.update("正在写入", done=1, total=2)
    raise AssertionError("the progress report must have stopped the work")


def not_a_handler(task, progress):
    return Outcome()


@task_handler
def open_a_page(task, progress):
    return Outcome(summary="报告已生成。", url="/", link_label="查看报告")
