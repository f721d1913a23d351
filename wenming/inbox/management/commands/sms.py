"""wenming sms send: send every 短信 whose (re)try is due. The campaign tick
does the same every half hour; run this from cron every minute for prompt
messages. Running it twice at once sends nothing twice."""

from django.core.management.base import BaseCommand

from wenming.inbox.sms import send_due


class Command(BaseCommand):
    help = "发送到期的短信（失败的按退避时间重试，不会重复发送）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["send"])

    def handle(self, *args, action, **options):
        sent, failed = send_due()
        self.stdout.write(f"短信发送成功 {sent} 条，失败 {failed} 条（稍后重试或已放弃）。")
