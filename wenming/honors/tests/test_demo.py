from wenming.accounts import demo as accounts_demo
from wenming.honors import demo
from wenming.honors.models import HigherHonor, HonorRoll, Nomination


def test_demo_loads_a_published_roll_and_one_in_progress_once(db):
    accounts_demo.load()
    demo.load()
    counts = (HonorRoll.objects.count(), Nomination.objects.count())
    demo.load()
    assert (HonorRoll.objects.count(), Nomination.objects.count()) == counts
    published = HonorRoll.objects.get(year=2023, period="h2")
    assert published.is_published and published.entries.count() == 5
    assert HigherHonor.objects.filter(title="2023年下半年“河南好人榜”").count() == 3
    current = HonorRoll.objects.exclude(pk=published.pk).get()
    assert not current.is_published
    assert set(current.nominations.values_list("status", flat=True)) == {
        "submitted", "verified", "rejected"}
