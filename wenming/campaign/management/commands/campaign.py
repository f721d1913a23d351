from django.core.management.base import BaseCommand

from wenming.campaign.tick import run_tick


class Command(BaseCommand):
    help = "创文创卫：定时任务（tick：标记逾期、下发督办单、到期提醒、发送通知）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        tick = sub.add_parser("tick", help="由 cron 定时运行；重复运行不会重复下发或发送")
        tick.add_argument("--no-send", action="store_true",
                          help="只处理台账，不发送机器人消息")

    def handle(self, *args, **options):
        getattr(self, f"do_{options['action']}")(options)

    def do_tick(self, options):
        totals = run_tick(deliver=not options["no_send"])
        self.stdout.write(
            f"新逾期 {totals['overdue']} 个，下发督办单 {totals['notices']} 份，"
            f"到期提醒 {totals['reminded']} 个问题；消息发送成功 {totals['sent']} 条，"
            f"失败 {totals['failed']} 条；短信发送成功 {totals['sms_sent']} 条，"
            f"失败 {totals['sms_failed']} 条。")
