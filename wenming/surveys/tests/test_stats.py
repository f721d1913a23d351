"""The four rates against figures worked out by hand (z = 1.96):

Wilson interval of k/n, p = k/n:
    centre = (p + z²/2n) / (1 + z²/n)
    half   = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n)
"""

from datetime import date

import pytest

from wenming.core.periods import Period
from wenming.surveys.models import Response
from wenming.surveys.stats import district_months, monthly_series, rate_table, wilson
from wenming.surveys.tests.factories import add_responses, make_questionnaire

Q1 = Period.parse("2024Q1")
IN_Q1, IN_Q4 = date(2024, 2, 10), date(2023, 11, 5)


@pytest.fixture
def questionnaire(people):
    return make_questionnaire(people["editor"])


def _row(table, label):
    return next(r for r in table.rows if r.label == label)


def test_wilson_interval_of_8_of_10_by_hand():
    # n=10, p=0.8, z²=3.8415: denominator 1.38415, centre 0.99207/1.38415 = 0.71674,
    # half 1.96·√(0.016 + 0.0096037)/1.38415 = 0.22658 → 0.4902 … 0.9433
    low, high = wilson(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)


def test_wilson_interval_matches_newcombe_1998():
    # Newcombe, Statist. Med. 17:857 (1998), table II, method 3 (score, no correction).
    assert [tuple(round(x, 4) for x in wilson(k, n)) for k, n in
            [(81, 263), (15, 148), (0, 20), (1, 29)]] == [
        (0.2553, 0.3662), (0.0624, 0.1605), (0.0, 0.1611), (0.0061, 0.1718)]
    assert wilson(0, 0) is None


def test_rates_by_district_carry_sample_size_and_interval(questionnaire, world):
    add_responses(questionnaire, world["chuanhui"], IN_Q1, 40, awareness=36, satisfaction=20)
    add_responses(questionnaire, world["huaiyang"], IN_Q1, 50, awareness=30, satisfaction=30)
    table = rate_table(Response.objects.all(), Q1, by="district")
    chuanhui = _row(table, "川汇区")
    aware = chuanhui.estimates["awareness"]
    # 36/40 = 0.9: centre (0.9 + 0.048019)/1.096039 = 0.86496,
    # half 1.96·√(0.00225 + 0.00060026)/1.096039 = 0.09549 → 0.7695 … 0.9604
    assert (aware.positive, aware.n, aware.p) == (36, 40, 0.9)
    assert (round(aware.low, 4), round(aware.high, 4)) == (0.7695, 0.9604)
    assert chuanhui.total == 40
    # Support and participation were not asked: no sample, no rate.
    assert chuanhui.estimates["support"].n == 0 and chuanhui.estimates["support"].p is None
    total = table.total.estimates["awareness"]
    # 66/90 without weighting.
    assert (total.positive, total.n) == (66, 90) and not total.weighted
    assert round(total.p, 4) == 0.7333


def test_unanswered_rate_leaves_the_denominator(questionnaire, world):
    add_responses(questionnaire, world["chuanhui"], IN_Q1, 30, satisfaction=27)
    add_responses(questionnaire, world["chuanhui"], IN_Q1, 10)  # satisfaction not answered
    e = rate_table(Response.objects.all(), Q1).total.estimates["satisfaction"]
    # 27/30, not 27/40: 0.9 with interval 0.7438 … 0.9654
    assert (e.positive, e.n) == (27, 30)
    assert (round(e.low, 4), round(e.high, 4)) == (0.7438, 0.9654)


def test_post_stratification_by_district_population(questionnaire, world, people):
    from wenming.surveys import services

    add_responses(questionnaire, world["chuanhui"], IN_Q1, 100, satisfaction=90)
    add_responses(questionnaire, world["huaiyang"], IN_Q1, 50, satisfaction=30)
    services.set_population(people["editor"], world["chuanhui"], population=1_000_000, year=2023)
    services.set_population(people["editor"], world["huaiyang"], population=3_000_000, year=2023)

    table = rate_table(Response.objects.all(), Q1, weighted=True)
    assert table.weighting.applied
    e = table.total.estimates["satisfaction"]
    # Weights 1/4 and 3/4: p = 0.25·0.9 + 0.75·0.6 = 0.675 (unweighted 120/150 = 0.8).
    # Kish effective n = 1/(0.25²/100 + 0.75²/50) = 1/(0.000625 + 0.01125) = 84.21.
    # Wilson at p 0.675, n 84.21: z²/n = 0.045617, centre (0.675 + 0.022809)/1.045617
    # = 0.66737, half 1.96·√(0.0026051 + 0.00013543)/1.045617 = 0.09813 → 0.5692 … 0.7655.
    assert e.weighted and round(e.p, 4) == 0.675
    assert round(e.n_eff, 2) == 84.21
    assert (round(e.low, 4), round(e.high, 4)) == (0.5692, 0.7655)
    assert round(table.unweighted_total.estimates["satisfaction"].p, 4) == 0.8
    # District rows are single strata: weighting leaves them as they are.
    assert _row(table, "川汇区").estimates["satisfaction"].p == 0.9
    # The weights shown on the page: population share over sample share.
    weights = {w.district.name: w for w in table.weighting.rows}
    assert weights["川汇区"].population_share == 0.25
    assert round(weights["川汇区"].sample_share, 4) == round(100 / 150, 4)
    assert round(weights["川汇区"].factor, 3) == 0.375
    assert round(weights["淮阳区"].factor, 3) == 2.25


def test_weighting_is_not_applied_while_a_population_is_missing(questionnaire, world, people):
    from wenming.surveys import services

    add_responses(questionnaire, world["chuanhui"], IN_Q1, 100, satisfaction=90)
    add_responses(questionnaire, world["huaiyang"], IN_Q1, 50, satisfaction=30)
    services.set_population(people["editor"], world["chuanhui"], population=1_000_000, year=2023)
    table = rate_table(Response.objects.all(), Q1, weighted=True)
    assert not table.weighting.applied
    assert [u.name for u in table.weighting.missing] == ["淮阳区"]
    assert table.total.estimates["satisfaction"].p == 0.8


def test_cells_under_30_answers_are_flagged(questionnaire, world):
    add_responses(questionnaire, world["chuanhui"], IN_Q1, 30, satisfaction=27)
    add_responses(questionnaire, world["huaiyang"], IN_Q1, 29, satisfaction=29)
    table = rate_table(Response.objects.all(), Q1)
    assert not _row(table, "川汇区").estimates["satisfaction"].small
    small = _row(table, "淮阳区").estimates["satisfaction"]
    # 29/29: the interval still says it may be as low as 0.8830.
    assert small.small and (round(small.low, 4), small.high) == (0.883, 1.0)
    assert table.small_cells == 1


def test_trend_against_previous_quarter_names_only_real_changes(questionnaire, world):
    add_responses(questionnaire, world["chuanhui"], IN_Q4, 100, satisfaction=60)
    add_responses(questionnaire, world["chuanhui"], IN_Q1, 100, satisfaction=90)
    add_responses(questionnaire, world["huaiyang"], IN_Q4, 40, satisfaction=28)
    add_responses(questionnaire, world["huaiyang"], IN_Q1, 50, satisfaction=30)
    table = rate_table(Response.objects.all(), Q1)
    up = _row(table, "川汇区").estimates["satisfaction"]
    # 0.9 vs 0.6: Newcombe interval 0.3 ± … = 0.1828 … 0.4077, above zero.
    assert round(up.change, 4) == 0.3
    assert tuple(round(x, 4) for x in up.change_interval) == (0.1828, 0.4077)
    assert up.trend == "up"
    flat = _row(table, "淮阳区").estimates["satisfaction"]
    # 0.6 vs 0.7: −0.2825 … 0.0979 holds zero, so no fall is claimed.
    assert tuple(round(x, 4) for x in flat.change_interval) == (-0.2825, 0.0979)
    assert flat.trend == "flat"


def test_rates_by_group_and_channel_separately_and_combined(questionnaire, world):
    add_responses(questionnaire, world["chuanhui"], IN_Q1, 40, awareness=40, group="resident")
    add_responses(questionnaire, world["chuanhui"], IN_Q1, 10, awareness=5, group="shopkeeper")
    add_responses(questionnaire, world["chuanhui"], IN_Q1, 20, awareness=10, channel="online")
    by_group = rate_table(Response.objects.all(), Q1, by="group")
    assert [(r.label, r.estimates["awareness"].positive, r.estimates["awareness"].n)
            for r in by_group.rows] == [("居民", 50, 60), ("商户", 5, 10)]
    by_channel = rate_table(Response.objects.all(), Q1, by="channel")
    assert [(r.label, r.estimates["awareness"].p) for r in by_channel.rows] == [
        ("入户走访", 0.9), ("网络问卷", 0.5)]
    assert round(by_channel.total.estimates["awareness"].p, 4) == round(55 / 70, 4)


def test_rates_by_street_within_a_district(questionnaire, world):
    add_responses(questionnaire, world["chuanhui"], IN_Q1, 30, street=world["street"],
                  support=24)
    table = rate_table(Response.objects.filter(district=world["chuanhui"]), Q1, by="street")
    assert [(r.label, r.estimates["support"].p) for r in table.rows] == [("陈州回族街道", 0.8)]


def test_months_with_and_without_answers(questionnaire, world):
    add_responses(questionnaire, world["chuanhui"], date(2024, 1, 3), 10, awareness=5)
    add_responses(questionnaire, world["chuanhui"], date(2024, 3, 30), 4, awareness=4)
    series = monthly_series(Response.objects.all(), Q1, months=3)
    assert [(m.key, e["awareness"].p) for m, e in series] == [
        ("2024-01", 0.5), ("2024-02", None), ("2024-03", 1.0)]


def test_rates_by_district_and_month(questionnaire, world):
    add_responses(questionnaire, world["chuanhui"], date(2024, 1, 3), 10, awareness=5)
    add_responses(questionnaire, world["chuanhui"], date(2024, 1, 30), 10, awareness=10)
    add_responses(questionnaire, world["huaiyang"], date(2024, 2, 1), 4, awareness=1)
    cells = district_months(Response.objects.all(), date(2024, 1, 1), date(2024, 3, 31))
    assert {(m.month, d): (e["awareness"].positive, e["awareness"].n)
            for (m, d), e in cells.items()} == {
        (1, world["chuanhui"].pk): (15, 20), (2, world["huaiyang"].pk): (1, 4)}


def test_periods_and_their_predecessors():
    assert Period.parse("2024Q1").previous().label == "2023年第四季度"
    assert Period.parse("2024-03").last_day == date(2024, 3, 31)
    assert Period.parse("2024").previous().key == "2023"
    assert Period.containing("quarter", date(2024, 8, 9)).key == "2024Q3"
