from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wenming.briefings.models import Issue, Series
from wenming.briefings.render import render_issue
from wenming.core.errors import DomainError


class Command(BaseCommand):
    help = "简报：排版输出（render）、年度合订本（compile）。"

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
        from wenming.briefings.selectors import compile_year, published_issues

        try:
            series = Series.objects.get(pk=options["series_id"])
        except Series.DoesNotExist:
            raise CommandError(f"没有编号为 {options['series_id']} 的简报系列。") from None
        n = len(published_issues(series, options["year"]))
        self.stdout.write(f"合订《{series.title}》{options['year']}年已发布的 {n} 期 …")
        try:
            pdf = compile_year(series, options["year"])
        except DomainError as e:
            raise CommandError(e.message) from None
        Path(options["output"]).write_bytes(pdf)
        self.stdout.write(f"合订本 → {options['output']}（{len(pdf):,} 字节）")
