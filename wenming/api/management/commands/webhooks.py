"""wenming webhooks deliver: post every webhook whose (re)try is due. Run
from cron every minute; running it twice at once posts nothing twice."""

from django.core.management.base import BaseCommand

from wenming.api.services import deliver_due


class Command(BaseCommand):
    help = "发送到期的 webhook 回调（失败的按退避时间重试）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["deliver"])

    def handle(self, *args, action, **options):
        tried, delivered = deliver_due()
        self.stdout.write(f"尝试 {tried} 条，送达 {delivered} 条。")
