"""Reads: nominations a user may see, what the public may see, statistics
per area and category, and the exports (private fields always masked)."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse

from wenming.accounts import roles
from wenming.accounts.models import Unit
from wenming.accounts.scoping import scope
from wenming.core.excel import workbook_bytes
from wenming.core.idcard import mask_phone
from wenming.core.text import chinese_date
from wenming.honors.models import (
    Category,
    HigherHonor,
    HonorEntry,
    HonorRoll,
    Nomination,
    NominationPhoto,
    Objection,
)
from wenming.honors.services import nomination_areas, notice_is_open


def nominations_for(user, roll=None):
    """Office staff see every nomination; a liaison those of its units;
    a panel member also those under review on its panels."""
    qs = Nomination.objects.select_related("roll", "area", "unit")
    if roll is not None:
        qs = qs.filter(roll=roll)
    if user.is_office:
        return qs
    panel_rolls = HonorRoll.objects.filter(panel=user)
    in_panel = Q(roll__in=panel_rolls, status=Nomination.Status.VERIFIED)
    return (scope(qs, user) | qs.filter(in_panel)).distinct()


def is_panel_member(user, roll):
    return user.is_authenticated and roll.panel.filter(pk=user.pk).exists()


# Public

def published_rolls():
    """The latest published version of every published roll, newest first."""
    latest = {}
    for roll in HonorRoll.objects.filter(published_at__isnull=False).order_by("version"):
        latest[roll.correction_of_id or roll.pk] = roll
    originals = HonorRoll.objects.filter(correction_of__isnull=True, published_at__isnull=False)
    return [latest[pk] for pk in originals.values_list("pk", flat=True)]


def rolls_on_notice():
    return [r for r in HonorRoll.objects.filter(notice_starts_on__isnull=False,
                                                published_at__isnull=True,
                                                correction_of__isnull=True)
            if notice_is_open(r)]


def rolls_open_for_nominations(today=None):
    today = today or date.today()
    return HonorRoll.objects.filter(
        Q(nominations_close_on__isnull=True) | Q(nominations_close_on__gte=today),
        correction_of__isnull=True, published_at__isnull=True, notice_starts_on__isnull=True)


def public_photos():
    """Photos the public may see: of people on notice or on a published roll."""
    return NominationPhoto.objects.filter(
        Q(nomination__status=Nomination.Status.ON_NOTICE) | Q(nomination__entries__roll__published_at__isnull=False)
    ).distinct()


# Statistics

@dataclass
class AreaRow:
    area: object
    counts: list = field(default_factory=lambda: [0] * len(Category.values))
    higher: int = 0

    @property
    def total(self):
        return sum(self.counts)


def statistics(year=None):
    """People on published rolls per area and category, and how many of
    them entered a higher-level roll. Corrections count, not what they
    replaced."""
    rolls = [r for r in published_rolls() if year is None or r.year == year]
    rows = {a.pk: AreaRow(a) for a in nomination_areas().order_by("sort_order", "path")}
    column = {value: i for i, value in enumerate(Category.values)}
    counts = HonorEntry.objects.filter(roll__in=rolls).values_list("area", "category").annotate(
        n=Count("id")).order_by()
    for area_id, category, n in counts:
        if area_id not in rows:
            rows[area_id] = AreaRow(Unit.objects.get(pk=area_id))
        rows[area_id].counts[column[category]] += n
    honors = HigherHonor.objects.filter(
        nomination__in=HonorEntry.objects.filter(roll__in=rolls).values("nomination"))
    for area_id in honors.values_list("nomination__area", flat=True):
        rows[area_id].higher += 1
    ordered = sorted(rows.values(), key=lambda r: (r.area.parent_id is not None,
                                                   r.area.sort_order, r.area.path))
    totals = AreaRow(area=None)
    for r in ordered:
        totals.counts = [a + b for a, b in zip(totals.counts, r.counts, strict=True)]
        totals.higher += r.higher
    return {"rows": ordered, "totals": totals, "rolls": rolls,
            "categories": [label for _, label in Category.choices]}


def statistics_xlsx(stats, year=None):
    headers = ["地区", *stats["categories"], "合计", "入选上级榜单"]
    rows = [[r.area.name if r.area.parent_id else "市直及全市", *r.counts, r.total, r.higher]
            for r in stats["rows"]]
    t = stats["totals"]
    rows.append(["合计", *t.counts, t.total, t.higher])
    title = f"{year}年好人榜统计" if year else "好人榜统计"
    return workbook_bytes([(title, headers, rows, None)])


def nominations_xlsx(roll, nominations):
    """Every nomination of a roll with its steps. ID and phone numbers are
    masked: an export leaves the platform's access control behind."""
    headers = ["序号", "姓名", "性别", "类别", "所属地区", "工作单位及身份", "身份证号",
               "联系电话", "推荐方式", "推荐单位/推荐人", "推荐人电话", "状态", "核实意见",
               "评议结果", "未通过原因", "简要事迹", "上级榜单"]
    rows = []
    for i, n in enumerate(nominations.prefetch_related("higher_honors"), start=1):
        rows.append([
            i, n.name, n.get_gender_display(), n.get_category_display(), n.area.name,
            n.workplace, n.masked_id_number, n.masked_phone, n.get_source_display(),
            n.unit.name if n.source == Nomination.Source.UNIT else n.nominator_name,
            mask_phone(n.nominator_phone), n.get_status_display(), n.verification_note,
            n.review_summary,
            f"{n.rejected_step}：{n.rejection_reason}" if n.rejection_reason else "",
            n.summary, "；".join(h.title for h in n.higher_honors.all()),
        ])
    objections = []
    for o in Objection.objects.filter(nomination__roll=roll).select_related("nomination"):
        objections.append([o.nomination.name, chinese_date(o.created_at.date()), o.content,
                           o.contact_name, mask_phone(o.contact_phone), o.get_status_display(),
                           o.resolution])
    return workbook_bytes([
        ("推荐名单", headers, rows, None),
        ("公示异议", ["被异议人", "提出日期", "异议内容", "联系人", "联系电话", "处理结果",
                   "处理意见"], objections, None),
    ])


def filter_rolls(rolls, params):
    """The roll list's filter: only rolls with objections still pending."""
    if params.get("objections") == "open":
        rolls = rolls.filter(pk__in=Objection.objects.filter(
            status=Objection.Status.PENDING).values("nomination__roll"))
    return rolls


def todos(user):
    """The office editors' rolls in 公示 with objections to handle."""
    if not roles.is_office_editor(user):
        return []
    rolls = filter_rolls(HonorRoll.objects.filter(correction_of__isnull=True),
                         {"objections": "open"})
    return [("公示异议待处理的好人榜", rolls.count(),
             reverse("honors:roll_list") + "?objections=open")]
