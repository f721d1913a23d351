"""What leaves the statistics page: the Excel workbook and the article
that drops into a bulletin or a briefing."""

from django.db.models import Count

from wenming.core.excel import workbook_bytes
from wenming.surveys.models import RATES, SMALL_SAMPLE
from wenming.surveys.models import Response as SurveyResponse
from wenming.surveys.stats import RATE_LABELS, rate_table

TREND_TEXT = {"up": "上升", "down": "下降", "flat": "无明显变化", None: "—"}
METHOD_NOTES = [
    "比率 = 答案计入该比率的受访者人数 ÷ 回答了该比率题目的受访者人数；未作答者不计入分母。",
    "同一比率有多道题时，受访者全部答为计入的答案才计入该比率。",
    "括号内为95%置信区间（Wilson 计分区间）；样本越少，区间越宽。",
    f"样本量不足{SMALL_SAMPLE}份的单元格已标注，其结果仅供参考。",
    "加权：按各县区常住人口事后分层加权，合计比率为各县区比率按人口比重的加权平均；"
    "其置信区间按权数折算的有效样本量（Kish 公式，不超过实际样本量）计算。",
    "与上期比较：按 Newcombe 差值区间判断，区间不含0时才称为“上升”或“下降”。",
]


def _pct(p, digits=1):
    return None if p is None else round(p * 100, digits)


def _row_cells(label, row):
    cells = [label, row.total]
    for e in row.by_rate():
        prev = e.previous.p if e.previous else None
        cells += [_pct(e.p), _pct(e.low), _pct(e.high), e.n,
                  "样本不足" if e.n and e.small else "", _pct(prev),
                  None if e.change is None else round(e.change * 100, 1), TREND_TEXT[e.trend]]
    return cells


def table_xlsx(table, title):
    headers = [table.dimension_label, "答卷数"]
    for r in RATES:
        name = RATE_LABELS[r]
        headers += [f"{name}（%）", "95%下限（%）", "95%上限（%）", "样本量", "提示",
                    "上期（%）", "变化（百分点）", "趋势"]
    rows = [_row_cells(row.label, row) for row in table.rows]
    if table.weighting.applied:
        rows.append(_row_cells(f"{table.total.label}（加权）", table.total))
        rows.append(_row_cells(f"{table.total.label}（未加权）", table.unweighted_total))
    else:
        rows.append(_row_cells(table.total.label, table.total))
    sheets = [(title[:31], headers, rows, [16, 8] + [10, 10, 10, 8, 8, 10, 12, 10] * 4)]
    w = table.weighting
    if w.requested:
        weights = [[r.district.name, r.population, _pct(r.population_share, 2), r.responses,
                    _pct(r.sample_share, 2), None if r.factor is None else round(r.factor, 3)]
                   for r in w.rows]
        if w.missing:
            weights.append([f"未加权：{'、'.join(u.name for u in w.missing)}未录入常住人口",
                            None, None, None, None, None])
        sheets.append(("加权说明", ["县区", "常住人口", "人口占比（%）", "答卷数",
                                    "样本占比（%）", "权数"], weights, [24, 12, 14, 10, 14, 10]))
    sheets.append(("计算说明", ["说明"], [[t] for t in METHOD_NOTES], [100]))
    return workbook_bytes(sheets)


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
