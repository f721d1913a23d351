"""Reporting periods: a month, a quarter or a year, with the one before it."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from wenming.core.errors import DomainError

_QUARTERS = "一二三四"
KINDS = {"month": "月度", "quarter": "季度", "year": "年度"}


@dataclass(frozen=True)
class Period:
    kind: str
    start: date

    @classmethod
    def containing(cls, kind, day):
        if kind == "month":
            return cls(kind, date(day.year, day.month, 1))
        if kind == "quarter":
            return cls(kind, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
        if kind == "year":
            return cls(kind, date(day.year, 1, 1))
        raise DomainError("统计周期只能是月度、季度或年度。", field="period")

    @classmethod
    def parse(cls, key):
        """"2024-03" (a month), "2024Q1" (a quarter) or "2024" (a year)."""
        key = (key or "").strip().upper()
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", key):
            year, month = int(m[1]), int(m[2])
            if 1 <= month <= 12:
                return cls("month", date(year, month, 1))
        elif m := re.fullmatch(r"(\d{4})Q([1-4])", key):
            return cls("quarter", date(int(m[1]), (int(m[2]) - 1) * 3 + 1, 1))
        elif re.fullmatch(r"\d{4}", key):
            return cls("year", date(int(key), 1, 1))
        raise DomainError(f"无法识别统计周期“{key}”，应如 2024-03、2024Q1 或 2024。",
                          field="period")

    @property
    def months(self):
        return {"month": 1, "quarter": 3, "year": 12}[self.kind]

    @property
    def end(self):
        return _add_months(self.start, self.months) - timedelta(days=1)

    def previous(self):
        return Period(self.kind, _add_months(self.start, -self.months))

    def next(self):
        return Period(self.kind, _add_months(self.start, self.months))

    @property
    def key(self):
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def label(self):
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == "quarter":
            return f"{self.start.year}年第{_QUARTERS[(self.start.month - 1) // 3]}季度"
        return f"{self.start.year}年"

    @property
    def short_name(self):
        """What the period is called in prose: 上一月 / 上一季度 / 上一年度."""
        return {"month": "上月", "quarter": "上一季度", "year": "上一年度"}[self.kind]

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
