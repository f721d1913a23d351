"""Assessment periods: a week (Monday to Sunday), month, quarter or year,
in local (Asia/Shanghai) days."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

KINDS = {"week": "周", "month": "月", "quarter": "季度", "year": "年"}


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # first day
    end: date  # the day after the last

    @classmethod
    def containing(cls, kind, day):
        if kind == "week":
            start = day - timedelta(days=day.weekday())
            return cls(kind, start, start + timedelta(days=7))
        if kind == "month":
            start = day.replace(day=1)
        elif kind == "quarter":
            start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        elif kind == "year":
            return cls(kind, date(day.year, 1, 1), date(day.year + 1, 1, 1))
        else:
            raise ValueError(kind)
        months = 1 if kind == "month" else 3
        m = start.month - 1 + months
        return cls(kind, start, date(start.year + m // 12, m % 12 + 1, 1))

    @classmethod
    def parse(cls, kind, value, today=None):
        """`value` is an ISO date inside the period; bad input gives the
        last complete period before today."""
        kind = kind if kind in KINDS else "month"
        try:
            return cls.containing(kind, date.fromisoformat(value or ""))
        except ValueError:
            today = today or timezone.localdate()
            return cls.containing(kind, today).previous()

    def previous(self):
        return Period.containing(self.kind, self.start - timedelta(days=1))

    def next(self):
        return Period.containing(self.kind, self.end)

    @property
    def last_day(self):
        return self.end - timedelta(days=1)

    @property
    def start_at(self):
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_at(self):
        return timezone.make_aware(datetime.combine(self.end, time.min))

    @property
    def label(self):
        s = self.start
        if self.kind == "week":
            year, week, _ = s.isocalendar()
            return f"{year}年第{week}周（{s.month}月{s.day}日—{self.last_day.month}月{self.last_day.day}日）"
        if self.kind == "month":
            return f"{s.year}年{s.month}月"
        if self.kind == "quarter":
            return f"{s.year}年第{(s.month - 1) // 3 + 1}季度"
        return f"{s.year}年"

    @property
    def short_label(self):
        s = self.start
        if self.kind == "week":
            return f"第{s.isocalendar()[1]}周"
        if self.kind == "month":
            return f"{s.month}月"
        if self.kind == "quarter":
            return f"{(s.month - 1) // 3 + 1}季度"
        return f"{s.year}年"
