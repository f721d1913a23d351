from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from wenming.accounts.people import command_actor
from wenming.campaign.tick import run_tick
from wenming.core.errors import DomainError
from wenming.tasks.progress import ConsoleProgress


class Command(BaseCommand):
    help = ("创文创卫：定时任务（tick：标记逾期、下发督办单、到期提醒、发送通知），"
            "导入测评体系（import-index）和台账（import-ledger）。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        tick = sub.add_parser("tick", help="由 cron 定时运行；重复运行不会重复下发或发送")
        tick.add_argument("--no-send", action="store_true",
                          help="只处理台账，不发送机器人消息")
        index = sub.add_parser("import-index", help="导入一个年度版本的测评体系（.xlsx）")
        index.add_argument("file")
        index.add_argument("--year", type=int, required=True, help="年度版本")
        index.add_argument("--name", default="", help="名称；默认为“某年版测评体系”")
        index.add_argument("--user", help="导入人的用户名；默认为第一个超级用户")
        ledger = sub.add_parser("import-ledger",
                                help="导入一轮督查的问题台账（.xlsx/.csv），逐个登记并交办")
        ledger.add_argument("file")
        ledger.add_argument("--user", help="导入人的用户名；默认为第一个超级用户")

    def handle(self, *args, **options):
        getattr(self, f"do_{options['action'].replace('-', '_')}")(options)

    def do_tick(self, options):
        totals = run_tick(deliver=not options["no_send"])
        self.stdout.write(
            f"新逾期 {totals['overdue']} 个，下发督办单 {totals['notices']} 份，"
            f"到期提醒 {totals['reminded']} 个问题；消息发送成功 {totals['sent']} 条，"
            f"失败 {totals['failed']} 条；短信发送成功 {totals['sms_sent']} 条，"
            f"失败 {totals['sms_failed']} 条。")

    def do_import_index(self, options):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from wenming.campaign import catalog, excel

        path, actor = self._file(options), command_actor(options["user"])
        progress = ConsoleProgress()
        with self._errors(progress):
            rows = excel.read_index(SimpleUploadedFile(path.name, path.read_bytes()),
                                    progress=progress)
            campaign = catalog.active_campaign() or catalog.create_campaign(
                actor, name="创建全国文明城市", year=options["year"])
            index = catalog.import_index(actor, campaign, options["year"], rows,
                                         options["name"], progress=progress)
            progress.update("已完成", done=len(rows), total=len(rows))
        progress.finish()
        self.stdout.write(self.style.SUCCESS(f"已导入{index}，共{len(rows)}条测评标准。"))

    def do_import_ledger(self, options):
        from wenming.campaign import ledger_import

        path, actor = self._file(options), command_actor(options["user"])
        progress = ConsoleProgress()
        with self._errors(progress):
            rows = ledger_import.read_ledger(path.read_bytes(), path.name, progress=progress)
            problems = ledger_import.import_ledger(actor, rows, filename=path.name,
                                                   progress=progress)
            progress.update("已完成", done=len(rows), total=len(rows))
        progress.finish()
        units = len({p.responsible_unit_id for p in problems})
        self.stdout.write(self.style.SUCCESS(
            f"台账已导入：{len(problems)}个问题已登记并交办{units}个责任单位。"))

    def _file(self, options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"文件不存在：{path}")
        return path

    @contextmanager
    def _errors(self, progress):
        """A refused file ends the bar and lists its errors, row by row."""
        try:
            yield
        except (DomainError, PermissionDenied) as e:
            progress.finish()
            for line in getattr(e, "errors", [])[:50]:
                self.stderr.write(line)
            raise CommandError(getattr(e, "message", str(e))) from None

