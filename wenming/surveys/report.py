"""What leaves the statistics page: the Excel workbook (the article it
offers a briefing is written in drafts.py)."""

from wenming.core.excel import workbook_bytes
from wenming.surveys.models import RATES, SMALL_SAMPLE
from wenming.surveys.stats import RATE_LABELS

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
