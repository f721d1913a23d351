"""One Period for assessments (scoring) and survey statistics."""

from datetime import date

import pytest

from wenming.core.errors import DomainError
from wenming.core.periods import Period


@pytest.mark.parametrize("key, label, start, last_day", [
    ("2024W09", "2024年第9周（2月26日—3月3日）", date(2024, 2, 26), date(2024, 3, 3)),
    ("2024-02", "2024年2月", date(2024, 2, 1), date(2024, 2, 29)),
    ("2024Q4", "2024年第四季度", date(2024, 10, 1), date(2024, 12, 31)),
    ("2024", "2024年", date(2024, 1, 1), date(2024, 12, 31)),
])
def test_keys_labels_and_bounds(key, label, start, last_day):
    period = Period.parse(key)
    assert (period.key, period.label, period.start, period.last_day) == (key, label, start,
                                                                          last_day)
    assert period.end == period.next().start
    assert period.next().previous() == period


def test_a_bad_day_gives_the_last_complete_period():
    assert Period.around("quarter", "2024-08-09").key == "2024Q3"
    assert Period.around("week", "not a day", today=date(2024, 3, 6)).key == "2024W09"
    assert Period.around("fortnight", "", today=date(2024, 3, 6)).key == "2024-02"


def test_unknown_keys_are_refused_in_chinese():
    with pytest.raises(DomainError, match="无法识别统计周期“2024-13”"):
        Period.parse("2024-13")
