"""Problems left on a unit's clock since before a period began are scored
from their columns, not replayed: the figures must be the same either way."""

import random
from datetime import date, timedelta

from django.utils import timezone

from wenming.campaign import services as campaign_services
from wenming.campaign.models import Problem, ProblemEvent
from wenming.campaign.tests import factories as campaign_factories
from wenming.core.periods import Period
from wenming.scoring import bulletin, selectors
from wenming.scoring.tests.factories import TZ, ledger_problem, make_campaign, make_site

FEB = Period.containing("month", date(2024, 2, 10))


def test_a_problem_open_since_december_costs_every_february_midnight(world):
    campaign = make_campaign()
    site = make_site("五一路农贸市场", world["chuanhui"], world["street"])
    ledger_problem(campaign, site, events=[
        ("create", "2023-12-01 09:00", "found", None),
        ("dispatch", "2023-12-01 10:00", "dispatched", {"deadline": "2023-12-04 10:00"}),
    ])
    ledger = selectors.load_ledger(campaign, FEB.previous().start_at, FEB.end_at)
    assert ledger.timelines == [] and sum(q.count for q in ledger.quiet) == 1
    ranking = selectors.ranking(campaign, FEB, ledger)
    street = next(r for r in ranking.units if r.unit == world["street"])
    # 2024 is a leap year: 29 midnights from 2-02 00:00 to 3-01 00:00, 0.5 each.
    assert (street.tally.overdue_days, street.place.score) == (29, 85.5)
    content = bulletin.build_content(campaign, FEB)
    assert content["overdue_total"] == 1 and content["overdue"][0]["site"] == "五一路农贸市场"


def _random_ledger(world, seed):
    rnd = random.Random(seed)
    campaign = make_campaign()
    units = [("street", "chuanhui"), ("community", "chuanhui"), ("hy_street", "huaiyang"),
             ("dept", "chuanhui")]
    sites = [make_site(f"点位{i}", world[d], world[u]) for i, (u, d) in enumerate(units)]
    start = timezone.datetime(2023, 11, 1, tzinfo=TZ)
    for _ in range(80):
        site = rnd.choice(sites)
        t = start + timedelta(hours=rnd.randrange(24 * 140))

        def step(hours):
            nonlocal t
            t += timedelta(hours=rnd.randrange(1, hours))
            return t.strftime("%Y-%m-%d %H:%M")

        events = [("create", t.strftime("%Y-%m-%d %H:%M"), "found", None)]
        if rnd.random() < 0.1:
            events.append(("cancel", step(30), "cancelled", None))
        else:
            when = step(30)
            deadline = (t + timedelta(hours=rnd.choice([24, 72, 168]))).strftime(
                "%Y-%m-%d %H:%M")
            events.append(("dispatch", when, "dispatched", {"deadline": deadline}))
            fate = rnd.random()
            if fate < 0.6:
                events.append(("submit", step(240), "submitted", None))
                if rnd.random() < 0.3:
                    events.append(("reject", step(48), "rejected", None))
                    events.append(("submit", step(240), "submitted", None))
                events.append(("verify", step(48), "closed", None))
            elif fate < 0.7:
                events.append(("submit", step(240), "submitted", None))
                events.append(("reject", step(48), "rejected", None))
            # else: left on the unit's clock, running up overdue days
        ledger_problem(campaign, site, events=events, severity=rnd.choice(
            ["immediate", "normal", "serious"]), repeat=rnd.random() < 0.2)
    return campaign


def _figures(campaign, period):
    r = selectors.ranking(campaign, period)
    c = bulletin.build_content(campaign, period)
    return ([(x.unit.name, x.place.score, x.place.rank, x.tally.overdue_days) for x in r.units],
            [(x.unit.name, x.place.score, x.place.rank) for x in r.districts],
            c["summary"], sorted(p["id"] for p in c["overdue"]))


def test_scores_are_the_same_whether_quiet_problems_are_replayed_or_not(world):
    campaign = _random_ledger(world, seed=6)
    periods = [Period.containing("month", date(2024, m, 5)) for m in (1, 2, 3, 4)] + \
        [Period.containing("week", date(2024, 3, d)) for d in (4, 11, 18)]
    quiet = selectors.load_ledger(campaign, periods[3].previous().start_at, periods[3].end_at)
    assert sum(q.count for q in quiet.quiet) > 5  # the shortcut is really taken
    expected = [_figures(campaign, p) for p in periods]
    # Marking every problem as changed just now forces a full replay.
    Problem.objects.update(last_transition_at=timezone.now())
    assert not selectors.load_ledger(campaign, periods[3].previous().start_at,
                                     periods[3].end_at).quiet
    assert [_figures(campaign, p) for p in periods] == expected


def test_points_follow_the_unit_id_recorded_at_dispatch(world, people):
    campaign_factories.make_campaign(people["admin"])
    site = campaign_factories.make_site(people["admin"], world)
    problem = campaign_factories.dispatched(people, site)
    event = ProblemEvent.objects.get(problem=problem, action="dispatch")
    assert event.data["unit_id"] == site.responsible_unit_id
    assert problem.last_transition_at == event.at
    # A later renaming of the unit does not move the points elsewhere.
    unit = site.responsible_unit
    unit.name = "已更名的单位"
    unit.save()
    world["dept"].name = event.data["unit"]
    world["dept"].save()
    period = Period.containing("month", timezone.localdate())
    ranking = selectors.ranking(problem.campaign, period)
    row = next(r for r in ranking.units if r.unit.pk == unit.pk)
    assert row.tally.found == 1


def test_transition_actions_match_the_campaign_state_table():
    assert set(ProblemEvent.TRANSITION_ACTIONS) == {
        action for action, t in campaign_services.TRANSITIONS.items() if t.target is not None}
