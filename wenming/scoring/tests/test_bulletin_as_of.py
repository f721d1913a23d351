"""A bulletin is true at its instant: generated on 20 January at 15:00,
while the month still runs, every figure in it is what the ledger says at
that moment, counted here straight from the problems and their events.
A problem due later that day, or next week, is not overdue yet."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from wenming.campaign.models import Problem, ProblemEvent
from wenming.core.periods import Period
from wenming.core.testing import pdf_text, squash
from wenming.scoring import services
from wenming.scoring.models import Bulletin
from wenming.scoring.tests.factories import at, ledger_problem, make_campaign, make_site, publish

JAN = Period.containing("month", date(2024, 1, 15))
AS_OF = at("2024-01-20 15:00")
RUNNING = {"dispatched", "rejected"}


def dispatched(campaign, site, found, deadline, *later, repeat=False):
    return ledger_problem(campaign, site, repeat=repeat, events=[
        ("create", f"2024-01-{found} 09:00", "found", None),
        ("dispatch", f"2024-01-{found} 10:00", "dispatched", {"deadline": deadline}),
        *later])


@pytest.fixture
def month(world):
    campaign = make_campaign()
    street = make_site("五一路农贸市场", world["chuanhui"], world["street"])
    community = make_site("德化小区", world["chuanhui"], world["community"], "居民小区")
    liuhu = make_site("柳湖市场", world["huaiyang"], world["hy_street"])
    dispatched(campaign, street, 10, "2024-01-15 10:00")  # due before the day: overdue
    dispatched(campaign, street, 12, "2024-01-20 10:00", repeat=True)  # due that morning
    dispatched(campaign, community, 18, "2024-01-20 18:00")  # due that evening: not yet
    dispatched(campaign, liuhu, 19, "2024-01-25 10:00")  # due next week
    dispatched(campaign, liuhu, 11, "2024-01-14 10:00",  # rectified before the day
               ("submit", "2024-01-13 10:00", "submitted", None),
               ("verify", "2024-01-16 10:00", "closed", None))
    dispatched(campaign, community, 12, "2024-01-15 10:00",  # late, waiting on the office
               ("submit", "2024-01-19 10:00", "submitted", None))
    dispatched(campaign, street, 15, "2024-01-17 10:00",  # closed only after the instant
               ("submit", "2024-01-21 10:00", "submitted", None),
               ("verify", "2024-01-22 10:00", "closed", None))
    dispatched(campaign, community, 16, "2024-01-18 10:00",  # rejected, clock running again
               ("submit", "2024-01-17 10:00", "submitted", None),
               ("reject", "2024-01-19 09:00", "rejected", None))
    ledger_problem(campaign, liuhu, events=[("create", "2024-01-24 09:00", "found", None)])
    ledger_problem(campaign, street, events=[("create", "2024-01-13 09:00", "found", None),
                                             ("cancel", "2024-01-14 09:00", "cancelled",
                                              None)])
    return campaign


def ledger_at(campaign, start, moment):
    """The ledger's figures at `moment`, each problem's state read from its
    own events up to then."""
    found, repeats, overdue, found_by_unit = 0, 0, set(), {}
    for p in Problem.objects.filter(campaign=campaign).select_related("responsible_unit"):
        events = list(p.events.filter(at__lt=moment, action__in=ProblemEvent.TRANSITION_ACTIONS)
                      .order_by("at", "id"))
        if not events or any(e.action == "cancel" for e in events):
            continue
        if start <= p.found_at < moment:
            found += 1
            repeats += p.is_repeat
            name = p.responsible_unit.name
            found_by_unit[name] = found_by_unit.get(name, 0) + 1
        deadlines = [e.data["deadline"] for e in events if e.action in ("dispatch", "reassign")]
        if events[-1].to_status in RUNNING and deadlines and \
                datetime.fromisoformat(deadlines[-1]) < moment:
            overdue.add(p.pk)
    closed = ProblemEvent.objects.filter(problem__campaign=campaign, action="verify",
                                         at__gte=start, at__lt=moment).count()
    return {"found": found, "repeats": repeats, "closed": closed, "overdue": overdue,
            "found_by_unit": found_by_unit}


def test_every_figure_equals_the_ledger_at_the_bulletins_instant(client, people, month):
    truth = ledger_at(month, JAN.start_at, AS_OF)
    # The test can fail: counted at the month's end the overdue figure differs.
    assert len(truth["overdue"]) == 4
    assert len(ledger_at(month, JAN.start_at, JAN.end_at)["overdue"]) == 5

    bulletin = services.generate_bulletin(people["editor"], month, JAN, as_of=AS_OF)

    c = bulletin.content
    assert bulletin.as_of == AS_OF and c["as_of_text"] == "截至2024年1月20日15时00分"
    assert c["summary"] == {"found": truth["found"], "repeats": truth["repeats"],
                            "closed": truth["closed"], "overdue": len(truth["overdue"]),
                            "units": 3, "not_inspected": 0}
    assert c["overdue_total"] == len(truth["overdue"])
    assert {p["id"] for p in c["overdue"]} == truth["overdue"]
    assert {r["name"]: r["found"] for r in c["units"]} == truth["found_by_unit"]

    client.force_login(people["editor"])
    text = squash(pdf_text(client.get(f"/scoring/bulletins/{bulletin.pk}/file.pdf").content))
    assert "本通报数据截至2024年1月20日15时00分" in text
    assert (f"2024年1月，截至2024年1月20日15时00分，共督查发现问题{truth['found']}个"
            f"（其中重复发现{truth['repeats']}个），复查销号{truth['closed']}个，"
            f"逾期未整改{len(truth['overdue'])}个") in text
    assert "四、逾期未整改问题" in text
    for p in Problem.objects.filter(pk__in=truth["overdue"]):
        assert timezone.localtime(p.deadline).strftime("%-m月%-d日") in text
    page = client.get(f"/scoring/bulletins/{bulletin.pk}/").content.decode()
    assert "本通报数据截至2024年1月20日15时00分" in page
    assert f"逾期未整改问题（{len(truth['overdue'])}个）" in page


def test_the_instant_stays_as_published(client, people, month):
    bulletin = services.generate_bulletin(people["editor"], month, JAN, as_of=AS_OF)
    bulletin = publish(client, people, bulletin)
    dispatched(month, month.problems.first().site, 20, "2024-01-20 11:00")
    bulletin.refresh_from_db()
    assert bulletin.status == "published" and bulletin.as_of == AS_OF
    assert bulletin.content["summary"]["overdue"] == 4
    text = squash(pdf_text(client.get(f"/scoring/bulletins/{bulletin.pk}/file.pdf").content))
    assert "截至2024年1月20日15时00分" in text and "逾期未整改4个" in text


def test_generated_from_the_page_a_running_period_is_as_of_now_a_closed_one_its_end(
        client, people, month):
    client.force_login(people["editor"])
    today = timezone.localdate()
    before = timezone.now()
    client.post("/scoring/bulletins/", {"kind": "week", "day": today.isoformat()})
    running = Bulletin.objects.get()
    assert before <= running.as_of <= timezone.now()
    client.post("/scoring/bulletins/", {"kind": "month", "day": "2024-01-20"})
    closed = Bulletin.objects.exclude(pk=running.pk).get()
    assert closed.as_of == JAN.end_at and closed.content["as_of_text"] == "截至2024年1月31日"
    assert closed.content["summary"]["overdue"] == len(
        ledger_at(month, JAN.start_at, JAN.end_at)["overdue"])
    page = client.get("/scoring/?kind=week&day=" + today.isoformat())
    local = timezone.localtime()
    assert f"本页数据截至{local.year}年{local.month}月{local.day}日" in page.content.decode()
