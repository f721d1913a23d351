from datetime import date, timedelta

from wenming.accounts import demo as accounts_demo
from wenming.activities import demo
from wenming.activities.drafts import summary_article
from wenming.activities.models import Activity, CivilizedUnit, ThemedCampaign
from wenming.activities.selectors import coverage, expiring_titles


def test_demo_loads_titles_and_the_themed_campaign_once(db):
    accounts_demo.load()
    demo.load()
    counts = (CivilizedUnit.objects.count(), Activity.objects.count())
    demo.load()
    assert (CivilizedUnit.objects.count(), Activity.objects.count()) == counts
    assert len(expiring_titles(CivilizedUnit.objects.all(), 90, date.today())) >= 2
    assert CivilizedUnit.objects.filter(valid_until__lt=date.today() + timedelta(days=3650),
                                        category="family").exists()
    themed_campaign = ThemedCampaign.objects.get()
    cov = coverage(themed_campaign)
    assert {r.unit.name for r in cov.reported_units} == {
        "市纪委监委", "市委宣传部", "市法院", "市残联", "周口监狱", "周口职业技术学院"}
    assert [r.unit.name for r in cov.missing_units] == ["市检察院", "市城市管理局"]
    assert themed_campaign.areas.count() == 10 and cov.totals["photos"] == 6
    assert len(summary_article(themed_campaign).paragraphs) == 7
