from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from wenming.front.sweep import MIN_AGE, sweep


def _size(n):
    for unit in ("字节", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "字节" else f"{n:.1f} {unit}"
        n /= 1024


class Command(BaseCommand):
    help = "文件存储维护。`wenming storage sweep` 查找没有任何记录引用的孤立文件，加 --delete 删除。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        s = sub.add_parser("sweep", help="查找（默认只列出，不删除）没有任何记录引用的孤立文件")
        s.add_argument("--delete", action="store_true", help="删除找到的孤立文件")
        s.add_argument("--min-age-hours", type=float, default=MIN_AGE.total_seconds() / 3600,
                       help="只处理早于这么多小时前写入的文件，默认 24；"
                            "较新的文件可能属于尚未提交的操作，一律保留")
        s.add_argument("--list", action="store_true", help="逐个列出孤立文件")

    def handle(self, *args, **options):
        getattr(self, f"do_{options['action']}")(options)

    def do_sweep(self, options):
        if options["min_age_hours"] < 0:
            raise CommandError("--min-age-hours 不能为负数。")

        def progress(checked, _name):
            if checked % 1000 == 0:
                self.stdout.write(f"  已检查 {checked} 个文件")

        result = sweep(delete=options["delete"], progress=progress,
                       min_age=timedelta(hours=options["min_age_hours"]))
        if options["list"] or options["delete"]:
            for name, size in result.orphans:
                self.stdout.write(f"  {name}（{_size(size)}）")
        summary = (f"共检查 {result.checked} 个文件，孤立文件 {len(result.orphans)} 个，"
                   f"共 {_size(result.orphan_bytes)}；较新而未处理的未引用文件 {result.young} 个。")
        if options["delete"]:
            self.stdout.write(self.style.SUCCESS(f"{summary}已删除 {result.deleted} 个。"))
        elif result.orphans:
            self.stdout.write(f"{summary}未删除任何文件；加 --delete 删除。")
        else:
            self.stdout.write(summary)
