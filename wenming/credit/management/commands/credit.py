import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenming.core.errors import DomainError
from wenming.core.uscc import check_code
from wenming.tasks.progress import ConsoleProgress


class Command(BaseCommand):
    help = "诚信红黑榜：核验统一社会信用代码（check）、按已发布名单筛查名单文件（screen）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="核验并解析一个统一社会信用代码或15位工商注册号，输出 JSON")
        check.add_argument("code")
        screen = sub.add_parser("screen", help="用已发布的红黑榜筛查一个 .xlsx/.csv 文件")
        screen.add_argument("file")
        screen.add_argument("-o", "--output", required=True, help="结果文件（.xlsx）")
        screen.add_argument("--min-score", type=float, default=None,
                            help="最低匹配分（默认 88；调低可看到更多疑似匹配）")

    def handle(self, *args, **options):
        getattr(self, f"do_{options['action']}")(options)

    def do_check(self, options):
        result = check_code(options["code"])
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        if not result.valid:
            # JSON first, then a non-zero exit for scripts.
            raise SystemExit(1)

    def do_screen(self, options):
        from wenming.credit.screenfile import read_screen_rows, results_xlsx
        from wenming.credit.screening import DEFAULT_MIN_SCORE, build_index, screen_rows

        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        # The same progress the web task shows, as a bar on the terminal.
        progress = ConsoleProgress()
        try:
            numbered = read_screen_rows(path.read_bytes(), path.name, progress=progress)
        except DomainError as e:
            raise CommandError(e.message) from None
        started = time.perf_counter()
        index = build_index()
        min_score = options["min_score"] or DEFAULT_MIN_SCORE
        results = screen_rows(index, [row for _, row in numbered], min_score=min_score,
                              progress=progress)
        progress.update("比对完成", done=len(numbered), total=len(numbered))
        progress.finish()
        elapsed = time.perf_counter() - started
        content, counts = results_xlsx(numbered, results)
        Path(options["output"]).write_bytes(content)
        self.stdout.write(
            f"已按 {len(index)} 个在榜主体筛查 {len(numbered)} 行（{elapsed:.2f} 秒）："
            f"命中 {counts['命中']}，疑似 {counts['疑似']}，未命中 {counts['未命中']} → "
            f"{options['output']}")
