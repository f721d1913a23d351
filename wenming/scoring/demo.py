"""Demo scoring: the first version of each campaign's rule and the monthly
bulletin of the latest month with problems. Loading twice changes nothing.

Runs after the campaign's demo (apps load in INSTALLED_APPS order), through
the services, as the demo admin."""

from datetime import date

from django.db.models import Max
from django.utils import timezone

from wenming.accounts.models import User
from wenming.campaign.models import Campaign, Problem
from wenming.core.periods import Period
from wenming.scoring import services
from wenming.scoring.models import Bulletin, ScoringRule

RULE_NOTE = ("按问题等级扣分，逾期每天加扣，重复发现的问题加倍扣分，复查未通过另行扣分；"
             "按期整改销号的返还一半扣分。县区得分为辖区内各单位得分的平均。")


def load(stdout=None):
    admin = User.objects.get(username="admin")
    for campaign in Campaign.objects.all():
        if not ScoringRule.objects.filter(campaign=campaign).exists():
            services.save_rule(admin, campaign, effective_from=date(campaign.year, 1, 1),
                               note=RULE_NOTE)
        if not Bulletin.objects.filter(campaign=campaign).exists():
            _monthly_bulletin(admin, campaign)
    if stdout:
        stdout.write(f"  考核规则 {ScoringRule.objects.count()} 版，通报 {Bulletin.objects.count()} 期")


def _monthly_bulletin(admin, campaign):
    latest = Problem.objects.filter(campaign=campaign).aggregate(at=Max("found_at"))["at"]
    if latest is None:
        return None
    period = Period.containing("month", timezone.localtime(latest).date())
    bulletin = services.generate_bulletin(admin, campaign, period)
    # A month is reported once it is over; the current month's stays a draft.
    approver = User.objects.filter(username="approver").first()
    if period.end <= timezone.localdate() and approver is not None:
        bulletin = services.submit_bulletin(admin, bulletin)
        bulletin = services.sign_off_bulletin(approver, bulletin, "同意印发。")
        bulletin = services.publish_bulletin(approver, bulletin, confirmed=True)
    return bulletin
