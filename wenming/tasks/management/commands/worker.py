"""`wenming worker`: runs background tasks (django-tasks' db_worker) with a
memory ceiling. Start one beside the web server on SQLite; on PostgreSQL as
many as wanted, on as many machines."""

import resource

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "运行后台任务（导入、筛查、汇编等）。每个进程一次执行一个任务。"

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="执行完队列中现有的任务后退出")
        parser.add_argument("--max-tasks", type=int, default=None, help="执行这么多个任务后退出")
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒）")
        parser.add_argument("--memory-mb", type=int, default=settings.WENMING_TASK_MEMORY_MB,
                            help="每个任务（进程）的内存上限，单位 MB；0 表示不限")

    def handle(self, *args, **options):
        limit_memory(options["memory_mb"])
        extra = {"max_tasks": options["max_tasks"]} if options["max_tasks"] else {}
        call_command("db_worker", batch=options["batch"], interval=options["interval"],
                     verbosity=options["verbosity"], **extra)


def limit_memory(megabytes):
    """A worker runs one task at a time, so capping the process caps the
    task: past the ceiling an allocation raises MemoryError, the task fails
    with a Chinese message and the worker goes on, instead of the machine
    swapping or the kernel killing it."""
    if not megabytes:
        return
    ceiling = megabytes * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
