"""Reads: titles in scope, expiring titles, themed campaign coverage and totals."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Sum

from wenming.accounts.models import Unit
from wenming.accounts.scoping import scope
from wenming.activities.models import ActivityPhoto, CivilizedUnit
from wenming.core.excel import workbook_bytes
from wenming.core.text import chinese_date


def expiry_horizon_days():
    """How far ahead expiring titles are listed (setting
    WENMING_TITLE_EXPIRY_DAYS, 90 days unless configured)."""
    return settings.WENMING_TITLE_EXPIRY_DAYS


def titles_for(user):
    return scope(CivilizedUnit.objects.select_related("unit"), user)


def active_titles(queryset, today=None):
    today = today or date.today()
    return queryset.filter(revoked_on__isnull=True, valid_until__gte=today)


def expiring_titles(queryset, days=None, today=None):
    """Titles still valid today whose validity ends within `days` days,
    soonest first."""
    today = today or date.today()
    days = expiry_horizon_days() if days is None else days
    return active_titles(queryset, today).filter(
        valid_until__lte=today + timedelta(days=days)).order_by("valid_until", "holder_name")


def filter_titles(queryset, *, status=None, category=None, level=None, today=None):
    today = today or date.today()
    if category:
        queryset = queryset.filter(category=category)
    if level:
        queryset = queryset.filter(level=level)
    if status == "active":
        queryset = active_titles(queryset, today)
    elif status == "expired":
        queryset = queryset.filter(revoked_on__isnull=True, valid_until__lt=today)
    elif status == "revoked":
        queryset = queryset.filter(revoked_on__isnull=False)
    return queryset


def titles_xlsx(titles, today=None):
    today = today or date.today()
    headers = ["称号获得者", "所属单位", "称号", "命名日期", "有效期至", "届次/批次", "命名文号",
               "状态", "最近复查"]
    rows = []
    for t in titles.prefetch_related("reviews"):
        last = max(t.reviews.all(), key=lambda r: r.year, default=None)
        rows.append([t.holder_name, t.unit.name, t.title_name, chinese_date(t.awarded_on),
                     chinese_date(t.valid_until), t.batch, t.document_no, t.status_label(today),
                     f"{last.year}年度{last.get_result_display()}" if last else ""])
    return workbook_bytes([("文明称号", headers, rows, None)])


# Campaign coverage

@dataclass
class UnitRow:
    unit: object
    expected: bool
    activities: int = 0
    by_area: list = field(default_factory=list)
    participants: int = 0
    volunteers: int = 0
    volunteer_hours: Decimal = Decimal(0)
    beneficiaries: int = 0

    @property
    def reported(self):
        return self.activities > 0


@dataclass
class Coverage:
    areas: list
    rows: list
    area_counts: list
    totals: dict

    @property
    def reported_units(self):
        return [r for r in self.rows if r.reported]

    @property
    def missing_units(self):
        return [r for r in self.rows if not r.reported]

    @property
    def uncovered_areas(self):
        return [a for a, n in zip(self.areas, self.area_counts, strict=True) if not n]


def themed_campaign_activities(themed_campaign, user):
    return scope(themed_campaign.activities.select_related("unit", "content_area", "reported_by"),
                 user)


def coverage(themed_campaign, activities=None):
    """Which units reported (and which of the expected ones did not), which
    content areas are covered, and the totals."""
    activities = activities if activities is not None else themed_campaign.activities.all()
    areas = list(themed_campaign.areas.all())
    index = {a.pk: i for i, a in enumerate(areas)}
    per_unit = (activities.order_by().values("unit", "content_area")
                .annotate(n=Count("id"), participants=Sum("participants"),
                          volunteers=Sum("volunteers"), hours=Sum("volunteer_hours"),
                          beneficiaries=Sum("beneficiaries")))
    expected = {u.pk: u for u in themed_campaign.units.all()}
    reporting_ids = {row["unit"] for row in per_unit}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=reporting_ids | set(expected))}
    rows = {pk: UnitRow(unit=u, expected=pk in expected, by_area=[0] * len(areas))
            for pk, u in units.items()}
    for item in per_unit:
        row = rows[item["unit"]]
        row.activities += item["n"]
        row.by_area[index[item["content_area"]]] += item["n"]
        row.participants += item["participants"] or 0
        row.volunteers += item["volunteers"] or 0
        row.volunteer_hours += item["hours"] or Decimal(0)
        row.beneficiaries += item["beneficiaries"] or 0
    ordered = sorted(rows.values(), key=lambda r: (not r.reported, r.unit.sort_order,
                                                   r.unit.path))
    area_counts = [sum(r.by_area[i] for r in ordered) for i in range(len(areas))]
    totals = activities.aggregate(
        activities=Count("id"), participants=Sum("participants"), volunteers=Sum("volunteers"),
        volunteer_hours=Sum("volunteer_hours"), beneficiaries=Sum("beneficiaries"))
    totals = {k: v or 0 for k, v in totals.items()}
    # Counted apart: joining photos into the sums above would repeat each activity.
    totals["photos"] = ActivityPhoto.objects.filter(activity__in=activities).count()
    totals["units_reported"] = len([r for r in ordered if r.reported])
    totals["units_expected"] = len(expected)
    totals["units_expected_reported"] = len([r for r in ordered if r.expected and r.reported])
    totals["areas_covered"] = len([n for n in area_counts if n])
    return Coverage(areas=areas, rows=ordered, area_counts=area_counts, totals=totals)


def coverage_xlsx(themed_campaign, cov, activities):
    area_names = [a.name for a in cov.areas]
    headers = ["单位", "应报送", "活动场次", *area_names, "参与人数", "志愿者人数",
               "志愿服务时长（小时）", "受益群众人数"]
    rows = [[r.unit.name, "是" if r.expected else "", r.activities, *r.by_area, r.participants,
             r.volunteers, float(r.volunteer_hours), r.beneficiaries] for r in cov.rows]
    t = cov.totals
    rows.append(["合计", t["units_expected"], t["activities"], *cov.area_counts,
                 t["participants"], t["volunteers"], float(t["volunteer_hours"]),
                 t["beneficiaries"]])
    detail_headers = ["单位", "活动名称", "日期", "地点", "内容方面", "参与人数", "志愿者人数",
                      "志愿服务时长（小时）", "受益群众人数", "照片数", "活动简介"]
    detail = [[a.unit.name, a.title, chinese_date(a.date), a.place, a.content_area.name,
               a.participants, a.volunteers, float(a.volunteer_hours), a.beneficiaries,
               a.n_photos, a.summary]
              for a in activities.annotate(n_photos=Count("photos")).order_by(
                  "unit__sort_order", "unit__path", "date")]
    return workbook_bytes([("报送覆盖", headers, rows, None),
                           ("活动明细", detail_headers, detail, None)])

