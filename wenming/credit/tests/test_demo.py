"""The demo lists load through the real services, once."""

from wenming.accounts import demo as accounts_demo
from wenming.credit import demo
from wenming.credit.models import CreditList, Entity, Listing, Report, Restoration
from wenming.credit.publication import year_summary


def test_demo_loads_2023_lists_once(db):
    accounts_demo.load()
    demo.load()
    counts = (CreditList.objects.count(), Entity.objects.count(), Listing.objects.count(),
              Restoration.objects.count(), Report.objects.count())
    demo.load()
    assert counts == (CreditList.objects.count(), Entity.objects.count(),
                      Listing.objects.count(), Restoration.objects.count(),
                      Report.objects.count())
    published = CreditList.objects.filter(year=2023, status="published").order_by("-color")
    assert year_summary([c.snapshot for c in published]) == \
        "4 个市场、30 家企业被列入法人红名单，21 家企业被列入法人黑名单。"
    assert {r.status for r in Restoration.objects.all()} == {"approved", "rejected",
                                                             "submitted"}
    assert Listing.objects.filter(status="removed").count() == 1
    assert CreditList.objects.get(year=2024).status == "collecting"
    assert all(e.code for e in Entity.objects.all())
