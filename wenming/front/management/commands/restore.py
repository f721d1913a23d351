from django.core.management.base import BaseCommand, CommandError

from wenming.front.backup import LEGACY_FORMATS, RestoreError, restore_backup, row_counts


class Command(BaseCommand):
    help = ("把备份文件恢复到空数据库（需先执行 migrate）。先校验整个备份文件，"
            "任何一处出错都不做改动；非空数据库将被拒绝。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件路径")

    def handle(self, *args, **options):
        try:
            manifest = restore_backup(options["file"])
        except RestoreError as e:
            raise CommandError(str(e)) from None
        if manifest["format"] in LEGACY_FORMATS:
            self.stdout.write(self.style.WARNING(
                "这是旧格式的备份（没有逐个文件的校验值），只检查了文件名、文件数和压缩包自带的 CRC 校验。"))
        rows = sum(row_counts().values())
        self.stdout.write(self.style.SUCCESS(
            f"恢复完成：数据 {rows} 行，文件 {manifest['files']} 个"
            f"（备份于 {manifest['created_at']}，来源 {manifest['engine']}）。"))
