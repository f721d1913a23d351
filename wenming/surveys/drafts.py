"""The 测评结果 article a briefing pulls from surveys (registered in
apps.py): the four rates of a period in the office's usual wording."""

from django.db.models import Count

from wenming.core.periods import Period
from wenming.surveys.models import SMALL_SAMPLE
from wenming.surveys.models import Response as SurveyResponse
from wenming.surveys.stats import rate_table


def _fmt(e):
    return f"{e.p * 100:.1f}%（{e.low * 100:.1f}%—{e.high * 100:.1f}%）"


def rates_article(responses, period, *, scope_name="全市", weighted=True):
    """A draft article {"title", "paragraphs"} on the four rates of a period,
    in the office's usual wording, for a bulletin or a briefing."""
    table = rate_table(responses, period, by="district", weighted=weighted)
    in_period = responses.filter(answered_on__gte=period.start, answered_on__lte=period.last_day)
    channels = dict(in_period.values_list("channel").annotate(n=Count("*")).order_by())
    total = sum(channels.values())
    title = f"{period.label}{scope_name}群众对文明城市创建工作知晓率、支持率、参与率、满意率测评情况"
    if not total:
        return {"title": title,
                "paragraphs": [f"{period.label}，{scope_name}尚未收回有效测评问卷。"]}
    t = table.total
    visit, online = (channels.get(SurveyResponse.Channel.VISIT, 0),
                     channels.get(SurveyResponse.Channel.ONLINE, 0))
    paragraphs = [
        f"{period.label}，{scope_name}通过入户走访和网络问卷开展群众满意度测评，"
        f"共收回有效问卷{total}份，其中入户走访{visit}份、网络问卷{online}份。"
    ]
    parts = [f"{e.label}为{_fmt(e)}" for e in t.by_rate() if e.p is not None]
    method = "按各县（市、区）常住人口加权，" if table.weighting.applied else ""
    paragraphs.append(f"测评结果显示（{method}括号内为95%置信区间），{scope_name}群众"
                      + "，".join(parts) + "。")
    paragraphs.append(_trend_sentence(t, period))
    districts = _district_sentence(table)
    if districts:
        paragraphs.append(districts)
    paragraphs.append("下一步，各县（市、区）要对照测评结果查找短板弱项，把入户走访中群众反映的问题"
                      "纳入台账限期整改，持续深化创建宣传和志愿服务，切实提升群众对创建工作的"
                      "知晓率、支持率、参与率和满意率。")
    return {"title": title, "paragraphs": paragraphs}


def _trend_sentence(row, period):
    previous = period.previous_name
    moved, flat = [], []
    for e in row.by_rate():
        if e.trend in ("up", "down"):
            word = "上升" if e.trend == "up" else "下降"
            moved.append(f"{e.label}{word}{abs(e.change) * 100:.1f}个百分点")
        elif e.trend == "flat":
            flat.append(e.label)
    if not moved and not flat:
        return f"{previous}无可比测评数据。"
    text = f"与{previous}相比，"
    if moved:
        text += "，".join(moved) + "，变化超出抽样误差范围"
    if flat:
        text += ("；" if moved else "") + "、".join(flat) + "变化在抽样误差范围内，无明显变化"
    return text + "。"


def _district_sentence(table):
    rate = "satisfaction"
    rated = [(row.label, row.estimates[rate]) for row in table.rows
             if row.estimates[rate].p is not None]
    solid = sorted([(n, e) for n, e in rated if not e.small], key=lambda x: -x[1].p)
    small = [n for n, e in rated if e.small]
    text = ""
    if len(solid) >= 3:
        k = min(3, len(solid) // 2)
        top = "、".join(f"{n}（{e.p * 100:.1f}%）" for n, e in solid[:k])
        bottom = "、".join(f"{n}（{e.p * 100:.1f}%）" for n, e in solid[-k:][::-1])
        text = f"分县区看，满意率较高的是{top}，较低的是{bottom}。"
    if small:
        text += f"{'、'.join(small)}样本量不足{SMALL_SAMPLE}份，结果仅供参考。"
    return text


def _covering_period(start, end):
    """The reporting period a date range stands for: the month, quarter or
    year it is exactly, else the smallest one holding both ends."""
    for kind in ("month", "quarter", "year"):
        period = Period.containing(kind, start)
        if period.start == start and period.last_day == end:
            return period
    for kind in ("month", "quarter", "year"):
        period = Period.containing(kind, start)
        if period.last_day >= end:
            return period
    return Period.containing("year", end)


def period_draft(start, end):
    """The city's rates for the period; None before any answer came in."""
    period = _covering_period(start, end)
    responses = SurveyResponse.objects.all()
    if not responses.filter(answered_on__gte=period.start, answered_on__lte=period.last_day).exists():
        return None
    article = rates_article(responses, period)
    return article["title"], article["paragraphs"]
