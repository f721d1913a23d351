import os
import time

from django.core.management.base import BaseCommand

from wenming.front.backup import create_backup
from wenming.tasks.progress import ConsoleProgress, Progress


class Command(BaseCommand):
    help = "把数据库（可在 SQLite 与 PostgreSQL 间迁移的 JSON 格式）和上传文件备份到一个文件。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件路径（.zip）")

    def handle(self, *args, **options):
        path = options["file"]
        # The bar goes to stderr, so a cron job's log keeps only the summary.
        progress = ConsoleProgress(self.stderr._out) if options["verbosity"] > 0 else Progress()
        started = time.monotonic()
        manifest = create_backup(path, progress=progress)
        if isinstance(progress, ConsoleProgress):
            progress.finish()
        rows = sum(manifest["rows"].values())
        size = os.path.getsize(path)
        self.stdout.write(self.style.SUCCESS(
            f"备份完成：{path}，数据 {manifest['tables']} 张表 {rows} 行，"
            f"文件 {manifest['files']} 个，共 {size:,} 字节，用时 {time.monotonic() - started:.1f} 秒。"))
