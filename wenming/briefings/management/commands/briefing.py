from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenming.accounts.people import command_actor
from wenming.briefings.models import Issue, Series
from wenming.briefings.render import render_issue
from wenming.core.errors import DomainError


class Command(BaseCommand):
    help = "简报：排版输出（render）、年度合订本（compile）、识别旧简报（parse）、导入旧简报（import）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        render = sub.add_parser("render", help="把一期简报排版为 PDF/DOCX/HTML/TXT")
        render.add_argument("issue_id", type=int)
        render.add_argument("--format", choices=["pdf", "docx", "html", "txt"], default="pdf")
        render.add_argument("-o", "--output", required=True, help="输出文件")
        compile_ = sub.add_parser("compile", help="生成某系列某年度的合订本 PDF")
        compile_.add_argument("series_id", type=int)
        compile_.add_argument("year", type=int)
        compile_.add_argument("-o", "--output", required=True, help="输出文件")
        self._extend(sub)

    def _extend(self, sub):
        """Room for more subcommands (parse, import) next to these."""
        parse = sub.add_parser("parse", help="识别旧简报文件（TXT/PDF/DOCX）的结构，输出 JSON，不写数据库")
        parse.add_argument("path", help="简报文件")
        import_ = sub.add_parser("import", help="导入旧简报文件，保存为已发布的一期并输出其编号；"
                                                "可一次给多个文件或 ZIP 压缩包")
        import_.add_argument("path", nargs="+", help="简报文件（多个文件或 ZIP 时逐个导入，显示进度和汇总）")
        import_.add_argument("--series", help="导入到这个简报系列（名称）；默认按报头查找或新建")
        import_.add_argument("--dry-run", action="store_true", help="只识别和检查，不写数据库")
        import_.add_argument("--user", help="导入人的用户名；默认为第一个超级用户")

    def handle(self, *args, **options):
        getattr(self, f"do_{options['action']}")(options)

    def do_render(self, options):
        try:
            issue = Issue.objects.select_related("series").get(pk=options["issue_id"])
        except Issue.DoesNotExist:
            raise CommandError(f"没有编号为 {options['issue_id']} 的简报。") from None
        content = render_issue(issue, options["format"])
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"{issue} → {options['output']}（{len(content):,} 字节）")

    def do_compile(self, options):
        import time

        from wenming.briefings.compilation import gather, typeset
        from wenming.tasks.progress import ConsoleProgress

        try:
            series = Series.objects.get(pk=options["series_id"])
        except Series.DoesNotExist:
            raise CommandError(f"没有编号为 {options['series_id']} 的简报系列。") from None
        year, started = options["year"], time.monotonic()
        progress = ConsoleProgress(self.stderr._out)
        try:
            data = gather(series, year, progress)
            pdf = typeset(series, year, data, progress)
        except DomainError as e:
            raise CommandError(e.message) from None
        finally:
            progress.finish()
        Path(options["output"]).write_bytes(pdf)
        self.stdout.write(f"合订本《{series.title}》{year}年：{len(data)} 期 → {options['output']}"
                          f"（{len(pdf):,} 字节，用时 {time.monotonic() - started:.1f} 秒）")

    def _parse(self, path):
        from wenming.briefings.importer import ImportRefused, parse_file

        if not Path(path).is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            return parse_file(path)
        except ImportRefused as e:
            raise CommandError(f"{path}：{e.message}") from None

    def do_parse(self, options):
        import json

        result = self._parse(options["path"])
        for warning in result.warnings:
            self.stderr.write(f"注意：{warning}")
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))

    def do_import(self, options):
        from django.core.exceptions import PermissionDenied

        from wenming.briefings.importer.store import check_import, import_issue

        paths = options["path"]
        if len(paths) > 1 or (Path(paths[0]).suffix.lower() == ".zip"):
            return self._import_many(paths, options)
        path = paths[0]
        actor = command_actor(options["user"])
        self.stdout.write(f"读取 {path} …")
        result = self._parse(path)
        ex = result.extraction
        details = [ex.format_label]
        if ex.encoding:
            details.append(f"{ex.encoding} 编码")
        if ex.pages:
            details.append(f"{ex.pages}页")
        self.stdout.write(f"  格式：{'，'.join(details)}；{len(ex.source)}行")
        data = result.structure
        self.stdout.write(f"  识别：{len(data['columns'])}个栏目、{result.article_count}篇稿件")
        for warning in result.warnings:
            self.stdout.write(f"  注意：{warning}")
        series = None
        if options["series"]:
            series = Series.objects.filter(title=options["series"]).first()
            if series is None:
                data = {**data, "series": options["series"]}
        try:
            plan = check_import(actor, data, series)
            where = f"已有系列《{plan['series'].title}》" if plan["series"] else \
                f"新建系列《{data['series']}》"
            if options["dry_run"]:
                self.stdout.write(f"试运行：将作为{plan['label']}导入{where}，未写入数据库。")
                return
            self.stdout.write(f"  导入：{plan['label']}（{where}），排版 PDF 和 Word …")
            issue = import_issue(actor, data, series, source=Path(path).name)
        except DomainError as e:
            raise CommandError(e.message) from None
        except PermissionDenied as e:
            raise CommandError(str(e)) from None
        self.stdout.write(self.style.SUCCESS(f"已导入并发布：{issue}，编号 {issue.pk}"))
        self.stdout.write(str(issue.pk))

    def _import_many(self, paths, options):
        """Each file parsed and imported on its own: a refused file is
        reported and the others still go in; a bar, then a summary."""
        from django.core.exceptions import PermissionDenied

        from wenming.briefings.importer import ImportRefused
        from wenming.briefings.importer.batch import parse_payload
        from wenming.briefings.importer.bundle import expand
        from wenming.briefings.importer.store import check_import, import_issue
        from wenming.tasks.progress import ConsoleProgress

        actor = command_actor(options["user"])
        series = Series.objects.filter(title=options["series"]).first() \
            if options["series"] else None
        for path in paths:
            if not Path(path).is_file():
                raise CommandError(f"文件不存在：{path}")
        try:
            files = expand([(Path(p).name, Path(p).read_bytes()) for p in paths])
        except ImportRefused as e:
            raise CommandError(e.message) from None
        progress = ConsoleProgress()
        done, skipped, problems = [], [], []
        for n, f in enumerate(files, start=1):
            progress.update(f"{n}/{len(files)} {f.name}", done=n - 1, total=len(files))
            try:
                data = parse_payload(f.name, f.data)["structure"]
                if options["series"] and series is None:
                    data = {**data, "series": options["series"]}
                plan = check_import(actor, data, series)
                if not options["dry_run"]:
                    plan["issue"] = import_issue(actor, data, series, source=f.name)
                done.append((f.name, plan))
            except (ImportRefused, DomainError) as e:
                skipped.append(f"{f.name}：{e.message}")
            except PermissionDenied as e:
                raise CommandError(str(e)) from None
        progress.update("完成", done=len(files), total=len(files))
        progress.finish()
        for name, plan in done:
            issue = plan.get("issue")
            self.stdout.write(f"  {name} → {issue if issue else plan['label']}"
                              + (f"，编号 {issue.pk}" if issue else ""))
        for line in skipped + problems:
            self.stdout.write(f"  未导入：{line}")
        verb = "可导入" if options["dry_run"] else "已导入并发布"
        summary = f"共{len(files)}个文件：{verb}{len(done)}期，未导入{len(skipped)}个。"
        if options["dry_run"]:
            summary += "试运行，未写入数据库。"
        self.stdout.write(self.style.SUCCESS(summary) if not skipped else summary)

