"""Reporting and assessment periods: a week (Monday to Sunday), month,
quarter or year of local (Asia/Shanghai) days, with the one before and after.

A period runs from `start` up to, not including, `end`; `last_day` is the
last day in it. Each has a short key for URLs and forms: 2024W09, 2024-03,
2024Q1, 2024."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from wenming.core.errors import DomainError

KINDS = {"week": "周", "month": "月", "quarter": "季度", "year": "年"}
_QUARTERS = "一二三四"
_MONTHS = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # first day

    @classmethod
    def containing(cls, kind, day):
        if kind == "week":
            return cls(kind, day - timedelta(days=day.weekday()))
        if kind == "month":
            return cls(kind, date(day.year, day.month, 1))
        if kind == "quarter":
            return cls(kind, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
        if kind == "year":
            return cls(kind, date(day.year, 1, 1))
        raise DomainError("统计周期只能是周、月、季度或年度。", field="period")

    @classmethod
    def parse(cls, key):
        """"2024W09" (an ISO week), "2024-03" (a month), "2024Q1" (a quarter)
        or "2024" (a year)."""
        from wenming.core.web import FIRST_DAY, LAST_DAY

        key = (key or "").strip().upper()
        try:
            period = cls._parse(key)
        except ValueError:  # year 0000, week 60
            period = None
        # Far years too: the period before 0001 does not exist.
        if period is None or not FIRST_DAY <= period.start <= LAST_DAY:
            raise DomainError(f"无法识别统计周期“{key}”，应如 2024-03、2024Q1 或 2024。",
                              field="period")
        return period

    @classmethod
    def _parse(cls, key):
        if m := re.fullmatch(r"(\d{4})W(\d{1,2})", key):
            return cls("week", date.fromisocalendar(int(m[1]), int(m[2]), 1))
        elif m := re.fullmatch(r"(\d{4})-(\d{1,2})", key):
            year, month = int(m[1]), int(m[2])
            if 1 <= month <= 12:
                return cls("month", date(year, month, 1))
        elif m := re.fullmatch(r"(\d{4})Q([1-4])", key):
            return cls("quarter", date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1))
        elif re.fullmatch(r"\d{4}", key):
            return cls("year", date(int(key), 1, 1))
        return None

    @classmethod
    def around(cls, kind, value, today=None):
        """The `kind` period holding the ISO date `value`; a bad kind gives
        months, a bad date the last complete period before today."""
        from wenming.core.web import FIRST_DAY, LAST_DAY

        kind = kind if kind in KINDS else "month"
        try:
            day = date.fromisoformat(value or "")
        except ValueError:
            day = None
        # Far dates count as bad too: the period before 0001-01 does not exist.
        if day is None or not FIRST_DAY <= day <= LAST_DAY:
            return cls.containing(kind, today or timezone.localdate()).previous()
        return cls.containing(kind, day)

    @property
    def end(self):
        """The day after the last day."""
        if self.kind == "week":
            return self.start + timedelta(days=7)
        return _add_months(self.start, _MONTHS[self.kind])

    @property
    def last_day(self):
        return self.end - timedelta(days=1)

    def previous(self):
        return Period.containing(self.kind, self.start - timedelta(days=1))

    def next(self):
        return Period(self.kind, self.end)

    @property
    def start_at(self):
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self):
        return timezone.make_aware(datetime.combine(self.end, time.min))

    @property
    def key(self):
        s = self.start
        if self.kind == "week":
            year, week, _ = s.isocalendar()
            return f"{year}W{week:02d}"
        if self.kind == "month":
            return f"{s.year}-{s.month:02d}"
        if self.kind == "quarter":
            return f"{s.year}Q{(s.month - 1) // 3 + 1}"
        return str(s.year)

    @property
    def label(self):
        s = self.start
        if self.kind == "week":
            year, week, _ = s.isocalendar()
            last = self.last_day
            return f"{year}年第{week}周（{s.month}月{s.day}日—{last.month}月{last.day}日）"
        if self.kind == "month":
            return f"{s.year}年{s.month}月"
        if self.kind == "quarter":
            return f"{s.year}年第{_QUARTERS[(s.month - 1) // 3]}季度"
        return f"{s.year}年"

    @property
    def short_label(self):
        """A chart axis label: 第9周, 3月, 1季度, 2024年."""
        s = self.start
        if self.kind == "week":
            return f"第{s.isocalendar()[1]}周"
        if self.kind == "month":
            return f"{s.month}月"
        if self.kind == "quarter":
            return f"{(s.month - 1) // 3 + 1}季度"
        return f"{s.year}年"

    @property
    def previous_name(self):
        """The period before, as prose calls it: 上周 / 上月 / 上一季度 / 上一年度."""
        return {"week": "上周", "month": "上月", "quarter": "上一季度",
                "year": "上一年度"}[self.kind]

    def __str__(self):
        return self.label


def _add_months(d, n):
    total = d.year * 12 + d.month - 1 + n
    return date(total // 12, total % 12 + 1, 1)


def recent(kind, until, count):
    """The `count` periods of `kind` up to the one holding `until`, newest first."""
    period = Period.containing(kind, until)
    out = []
    for _ in range(count):
        out.append(period)
        period = period.previous()
    return out
