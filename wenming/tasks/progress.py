"""How long work tells someone how far it got. The same work runs as a
background task (progress written to its Task row, read by the polling page)
or from the command line (a bar on the terminal); it only ever calls
`progress.update(...)`, which also raises `Cancelled` once the user asked."""

import sys
import time

from wenming.core.errors import DomainError


class Cancelled(Exception):
    """The user cancelled the task; the work stops and undoes itself."""


class Progress:
    """Nobody watching: the default for services called directly."""

    def update(self, stage=None, done=None, total=None):
        pass

    def rows(self, what="文件"):
        """A callback for the Excel reader: stage text per rows read."""
        def report(count):
            self.update(f"正在读取{what}第{count:,}行")
        return report


class TaskProgress(Progress):
    """Writes to the Task row at most every `interval` seconds, each write
    its own short autocommit UPDATE, so a worker on SQLite never holds the
    write lock for long; the same write reads back the cancel flag."""

    def __init__(self, task_id, interval=0.5):
        self.task_id = task_id
        self.interval = interval
        self._last = 0.0
        self._stage = None

    def update(self, stage=None, done=None, total=None):
        from wenming.tasks.models import Task

        now = time.monotonic()
        if stage == self._stage and now - self._last < self.interval:
            return
        self._last, self._stage = now, stage
        changes = {}
        if stage is not None:
            changes["stage"] = stage[:200]
        if done is not None:
            changes["done"] = done
        if total is not None:
            changes["total"] = total
        if changes:
            Task.objects.filter(pk=self.task_id).update(**changes)
        if Task.objects.filter(pk=self.task_id, cancel_requested=True).exists():
            raise Cancelled


class ConsoleProgress(Progress):
    """A one-line bar on a terminal for the management commands."""

    def __init__(self, stream=None, width=30):
        self.stream = stream or sys.stderr
        self.width = width
        self._total = 0
        self._done = 0

    def update(self, stage=None, done=None, total=None):
        if total is not None:
            self._total = total
        if done is not None:
            self._done = done
        if self._total:
            filled = int(self.width * min(self._done, self._total) / self._total)
            bar = "█" * filled + "░" * (self.width - filled)
            line = f"{bar} {self._done * 100 // self._total:3d}% {stage or ''}"
        else:
            line = stage or ""
        self.stream.write("\r" + line[:120].ljust(60))
        self.stream.flush()

    def finish(self):
        self.stream.write("\n")
        self.stream.flush()


def task_failure_message(exc):
    """What the user reads when a task failed."""
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, MemoryError):
        from django.conf import settings

        return (f"处理时超出了每个任务的内存上限（{settings.WENMING_TASK_MEMORY_MB} MB），"
                "文件可能过大，请拆分后分批上传。")
    return "处理时发生内部错误，已记录在日志中。请稍后重试，或联系系统管理员。"
