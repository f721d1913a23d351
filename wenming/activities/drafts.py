"""The summary article (综述稿) of a themed campaign, written from the
reported activities the way the office writes one for its briefing: a lead
paragraph with the themed campaign's scope and totals, then one paragraph per
unit's activity. Briefings pull it as 专项活动综述 (registered in apps.py)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from wenming.activities.models import Activity, ThemedCampaign

# Sentence-ending marks after which a new sentence may start.
_TERMINAL = "。！？；…"
_CN_DIGITS = "零一二三四五六七八九十"


@dataclass
class SummaryArticle:
    title: str
    paragraphs: list

    @property
    def body(self):
        return "\n".join(self.paragraphs)


def number(value):
    """40.0 → "40", 12.5 → "12.5", 1200 → "1200"."""
    if isinstance(value, Decimal):
        value = value.normalize()
        return f"{value:f}"
    return str(value)


def count_words(n):
    """How an office writes a small count of things: 十 for 10, digits above."""
    if 0 < n <= 10:
        return _CN_DIGITS[n]
    return str(n)


def month_day(d):
    return f"{d.month}月{d.day}日"


def _sentence(text):
    """`text` as one or more full sentences, with a closing mark."""
    lines = [p.strip() for p in text.split("\n") if p.strip()]
    # Lines typed without a closing mark still read as one sentence each.
    text = "".join(line if line[-1] in _TERMINAL + "，、：,;" or i == len(lines) - 1
                   else line + "，" for i, line in enumerate(lines))
    # A closing quote or bracket after a full stop ends the sentence too.
    last = text.rstrip("”’）)")[-1:] if text else ""
    if text and last not in _TERMINAL:
        text += "。"
    return text


def _who(activity, partners=()):
    if partners:
        return "、".join([activity.unit.name, *partners]) + "联合"
    return activity.unit.name


def _after_verb(title):
    """What was held, from a title that may be a whole headline: the
    sentence around it says who 开展 it, so "川汇区开展文明交通劝导" keeps
    only "文明交通劝导" and the verb is not said twice."""
    rest = title.rpartition("开展")[2].strip()
    # Cutting inside a quoted slogan would leave half a quote.
    if not rest or rest.count("“") != rest.count("”"):
        return title
    return rest


def _what(activity):
    title = _after_verb(activity.title.strip())
    suffix = "" if title.endswith("活动") else "活动"
    # A title that quotes its own slogan reads right as it is; quoting it
    # again would nest “” inside “”.
    if "“" in title or "”" in title:
        return title + suffix
    return f"“{title}”{suffix}"


def _figures(activity):
    parts = []
    if activity.volunteers:
        hours = f"，累计服务{number(activity.volunteer_hours)}小时" \
            if activity.volunteer_hours else ""
        parts.append(f"{activity.volunteers}名志愿者参与服务{hours}")
    if activity.beneficiaries:
        parts.append(f"惠及群众{activity.beneficiaries}人")
    if not parts:
        return ""
    return "此次活动共有" + "，".join(parts) + "。"


def activity_paragraph(activity, partners=()):
    """One activity as the briefing tells it; `partners` are the names of
    the units it was held jointly with."""
    return (f"{_who(activity, partners)}于{month_day(activity.date)}在{activity.place}开展{_what(activity)}。"
            f"{_sentence(activity.summary)}{_figures(activity)}")


def _lead(themed_campaign, activities, areas_used):
    totals = activities.aggregate(participants=Sum("participants"), volunteers=Sum("volunteers"),
                                  hours=Sum("volunteer_hours"),
                                  beneficiaries=Sum("beneficiaries"),
                                  units=Count("unit", distinct=True), n=Count("id"))
    all_areas = [a.name for a in themed_campaign.areas.all()]
    named = [a for a in all_areas if a in areas_used][:5]
    if len(named) < len(all_areas):
        areas_text = "、".join(named) + f"等{count_words(len(all_areas))}个方面"
    else:
        areas_text = "、".join(named) + f"{count_words(len(all_areas))}个方面"
    why = f"为{themed_campaign.purpose.rstrip('，。,')}，" if themed_campaign.purpose else ""
    when = themed_campaign.short_name and f"“{themed_campaign.short_name}”期间" or \
        f"{month_day(themed_campaign.starts_on)}至{month_day(themed_campaign.ends_on)}"
    text = (f"{why}{when}，{themed_campaign.participants_label}聚焦{areas_text}，"
            f"组织开展形式多样的群众性精神文明建设活动。")
    figures = [f"{totals['units']}家单位报送活动{totals['n']}场次",
               f"参与群众和干部职工{totals['participants']}人次"]
    if totals["volunteers"]:
        figures.append(f"志愿者{totals['volunteers']}人次、志愿服务时长"
                       f"{number(totals['hours'] or Decimal(0))}小时")
    if totals["beneficiaries"]:
        figures.append(f"惠及群众{totals['beneficiaries']}人")
    return text + "据统计，" + "，".join(figures) + "。"


def _partner_names(activity_ids):
    # One query for all joint units: prefetching them per activity costs a
    # queryset per row, which dominates a themed campaign of a few thousand reports.
    names = {}
    through = Activity.partners.through.objects.filter(activity__in=activity_ids).order_by(
        "unit__sort_order", "unit__path").values_list("activity_id", "unit__name")
    for activity_id, name in through:
        names.setdefault(activity_id, []).append(name)
    return names


def summary_article(themed_campaign, activities=None):
    """The article, or None while no unit has reported."""
    queryset = activities if activities is not None else themed_campaign.activities.all()
    rows = list(queryset.select_related("unit", "content_area")
                .order_by("unit__sort_order", "unit__path", "date", "id"))
    if not rows:
        return None
    partners = _partner_names(queryset.values("pk"))
    areas_used = {a.content_area.name for a in rows}
    title = f"{themed_campaign.participants_label}积极开展{_after_verb(themed_campaign.title)}"
    paragraphs = [_lead(themed_campaign, queryset, areas_used)]
    paragraphs += [activity_paragraph(a, partners.get(a.pk, ())) for a in rows]
    return SummaryArticle(title=title, paragraphs=paragraphs)


def themed_campaign_draft(pk):
    themed_campaign = ThemedCampaign.objects.filter(pk=pk).first()
    article = summary_article(themed_campaign) if themed_campaign else None
    return (article.title, article.paragraphs) if article else None


def period_draft(start, end):
    """The campaign most reported on in the period, told from the
    activities held in it."""
    in_period = Activity.objects.filter(date__gte=start, date__lte=end)
    busiest = (in_period.values("themed_campaign").annotate(n=Count("id"))
               .order_by("-n", "-themed_campaign").first())
    if busiest is None:
        return None
    themed_campaign = ThemedCampaign.objects.get(pk=busiest["themed_campaign"])
    article = summary_article(themed_campaign, in_period.filter(themed_campaign=themed_campaign))
    return article.title, article.paragraphs
