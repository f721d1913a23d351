"""The verification ledger: every score and rank checked against figures
worked out by hand (rule: base 100; 立行立改 1, 一般 2, 较重 5 points;
0.5 per overdue day; repeats ×2; 1 per rejection; half back on a timely
close-out).

January 2024 (Beijing time):
- P1 陈州回族街道, 一般, found 1-10, deadline 1-13 10:00, submitted 1-12,
  verified 1-14: −2 +1.
- P2 陈州回族街道, 较重 repeat, found 1-29, deadline 1-29 12:00, still open
  until submitted 2-03 12:00: −10; overdue at the midnights ending 1-29,
  1-30, 1-31 → −1.5 in January; 2-01, 2-02 → −1 in February (5 in its week).
- P3 德化社区, 一般, deadline 1-08 10:00, submitted 1-07, rejected 1-09 10:00,
  resubmitted 1-11 15:00, verified 1-12: −2 −1 (rejection) −1 (midnights
  ending 1-09 and 1-10), no restore (late).
- P4 柳湖街道 and P5 市市场监督管理局: 一般, closed in time: −2 +1 each (a tie).
- P6 德化社区, 较重, cancelled the next day: nothing.
- P7 市市场监督管理局, 一般, found 2-02: February only.
"""

from decimal import Decimal

from wenming.core.periods import Period
from wenming.scoring import selectors, services
from wenming.scoring.tests.factories import add_event

JAN = Period.containing("month", __import__("datetime").date(2024, 1, 15))
FEB = JAN.next()
WEEK5 = Period.containing("week", __import__("datetime").date(2024, 1, 31))


def table(rows):
    return {r.unit.name: (r.place.score, r.place.rank, r.place.movement, r.place.called_in)
            for r in rows}


def test_january_scores_and_ranks_match_the_hand_figures(ledger):
    campaign, _, _ = ledger
    ranking = selectors.ranking(campaign, JAN)
    # Nothing was inspected in December: no movement to show.
    assert table(ranking.units) == {
        "柳湖街道": (Decimal("99.00"), 1, None, False),
        "市市场监督管理局": (Decimal("99.00"), 1, None, False),  # a tie shares first place
        "德化社区": (Decimal("96.00"), 3, None, True),  # bottom two and below 100: 约谈
        "陈州回族街道": (Decimal("87.50"), 4, None, True),
    }
    street = next(r for r in ranking.units if r.unit.name == "陈州回族街道").tally
    assert (street.found, street.repeats, street.overdue_days, street.timely_closed) == (2, 1, 3, 1)
    community = next(r for r in ranking.units if r.unit.name == "德化社区").tally
    assert (community.found, community.rejections, community.overdue_days) == (1, 1, 2)
    # Districts (mean of their units): 川汇区 (87.5 + 96) / 2, 淮阳区 99.
    assert table(ranking.districts) == {
        "淮阳区": (Decimal("99.00"), 1, None, True),
        "川汇区": (Decimal("91.75"), 2, None, True),
    }
    # The top three, less 德化社区, which the same bulletin calls in; the
    # worst three below the base, less those on the red list.
    assert [r.unit.name for r in ranking.unit_red] == ["柳湖街道", "市市场监督管理局"]
    assert [r.unit.name for r in ranking.unit_black] == ["陈州回族街道", "德化社区"]


def test_february_carries_the_overdue_days_over_the_boundary(ledger):
    campaign, _, _ = ledger
    ranking = selectors.ranking(campaign, FEB)
    # 德化社区 and 柳湖街道 had nothing in February: 未检查, not 100 and first.
    assert table(ranking.units) == {
        "陈州回族街道": (Decimal("99.00"), 1, 3, True),  # two overdue days, no restore (late)
        "市市场监督管理局": (Decimal("98.00"), 2, -1, True),
    }
    assert {u.name for u in ranking.unranked_units} == {"德化社区", "柳湖街道"}
    # Both scored units are called in (the bottom two, below the base), so
    # neither is on the red list; none of the 未检查 either.
    assert ranking.unit_red == []
    assert ranking.unit_black == ranking.units[::-1]


def test_the_week_across_the_month_boundary_counts_all_five_days(ledger):
    campaign, _, _ = ledger
    ranking = selectors.ranking(campaign, WEEK5)
    street = next(r for r in ranking.units if r.unit.name == "陈州回族街道")
    assert street.tally.overdue_days == 5 and street.place.score == Decimal("87.50")


def test_later_changes_do_not_change_a_past_period(ledger, world, people):
    campaign, sites, p = ledger
    before = table(selectors.ranking(campaign, JAN).units)
    # In February P2 is reassigned to the community and P1 cancelled.
    add_event(p[2], "reassign", "2024-02-06 09:00", "dispatched",
              unit=world["community"].name, deadline="2024-02-09T10:00:00+08:00")
    add_event(p[1], "cancel", "2024-02-06 09:00", "cancelled")
    p[2].responsible_unit = world["community"]
    p[2].save()
    assert table(selectors.ranking(campaign, JAN).units) == before


def test_a_new_rule_version_applies_from_its_date_only(ledger, people):
    campaign, _, _ = ledger
    services.save_rule(people["admin"], campaign, effective_from=JAN.start,
                       base=100, immediate=1, normal=2, serious=5, per_overdue_day="0.5",
                       repeat_factor=2, per_rejection=1, restore_share="0.5", floor=0,
                       ceiling=100, district_mode="units", list_size=3)
    services.save_rule(people["admin"], campaign, effective_from=FEB.start,
                       district_mode="sites", normal=3)
    jan = selectors.ranking(campaign, JAN)
    assert jan.rule.version == 1 and table(jan.districts)["川汇区"][0] == Decimal("91.75")
    feb = selectors.ranking(campaign, FEB)
    # Version 2 scores a district by its own sites' problems: 川汇区 has P2's two
    # overdue days (−1) and P7 (一般, now 3 points, found at 市市场监督管理局's site in 川汇区).
    assert feb.rule.version == 2
    assert table(feb.districts)["川汇区"][0] == Decimal("96.00")
    # Nothing in 淮阳区 in February: not scored, where it used to get the base.
    assert "淮阳区" not in table(feb.districts)
    assert [d.name for d in feb.unranked_districts] == ["淮阳区"]
    assert table(feb.units)["市市场监督管理局"][0] == Decimal("97.00")
