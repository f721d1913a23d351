from django.core.management.base import BaseCommand

from wenming.front.backup import create_backup


class Command(BaseCommand):
    help = "把数据库（可在 SQLite 与 PostgreSQL 间迁移的 JSON 格式）和上传文件备份到一个文件。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件路径（.zip）")

    def handle(self, *args, **options):
        def progress(i, n):
            if i == n or i % 100 == 0:
                self.stdout.write(f"  文件 {i}/{n}")

        manifest = create_backup(options["file"], progress=progress)
        rows = sum(manifest["rows"].values())
        self.stdout.write(self.style.SUCCESS(
            f"备份完成：{options['file']}，数据 {rows} 行，文件 {manifest['files']} 个。"))
