from datetime import date

from django.core.management.base import BaseCommand

from wenming.activities.models import CivilizedUnit
from wenming.activities.selectors import expiring_titles, expiry_horizon_days


class Command(BaseCommand):
    help = "列出即将到期的文明称号（默认提前天数取 WENMING_TITLE_EXPIRY_DAYS，90 天）。可用于定时任务。"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="提前多少天列出")

    def handle(self, *args, **options):
        days = options["days"] if options["days"] is not None else expiry_horizon_days()
        today = date.today()
        titles = list(expiring_titles(CivilizedUnit.objects.select_related("unit"), days, today))
        if not titles:
            self.stdout.write(f"{days}天内没有到期的文明称号。")
            return
        self.stdout.write(f"{days}天内到期的文明称号共{len(titles)}个：")
        for t in titles:
            self.stdout.write(f"  {t.valid_until_text}  剩{(t.valid_until - today).days}天  "
                              f"{t.holder_name}（{t.title_name}，{t.unit.name}）")
