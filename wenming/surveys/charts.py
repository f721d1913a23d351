"""Charts drawn on the server as SVG: no script, small, and they print.
Labels are escaped; the markup is built only from our own numbers."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from wenming.surveys.models import RATES
from wenming.surveys.stats import RATE_LABELS

RED, PALE, INK, GRID = "#c8161d", "#eeb4b6", "#333", "#ddd"
LINE_COLOURS = {"awareness": "#c8161d", "support": "#1f6fb2", "participation": "#2e8b57",
                "satisfaction": "#d98e04"}
# Narrow drawings: on a 375px phone the text stays legible at full width.
WIDTH = 420
TREND_WIDTH = 480


def _pct(p):
    return f"{p * 100:.1f}%"


def rate_bars(rows, rate, title=None):
    """Horizontal bars of one rate per row with the 95% interval as a
    whisker; rows under 30 answers are pale and starred."""
    label_w, right = 124, 52
    plot_w = WIDTH - label_w - right
    bar_h, gap, top = 16, 8, 34
    height = top + len(rows) * (bar_h + gap) + 24
    title = title or RATE_LABELS[rate]
    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-size="13">',
           f'<text x="0" y="16" font-weight="bold" fill="{INK}">{escape(title)}</text>']
    for tick in range(0, 101, 20):
        x = label_w + plot_w * tick / 100
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 20}" '
                   f'stroke="{GRID}"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" fill="#777" '
                   f'font-size="11">{tick}%</text>')
    for i, row in enumerate(rows):
        e = row.estimates[rate]
        y = top + i * (bar_h + gap)
        name = (row.label if len(row.label) <= 8 else row.label[:7] + "…") + (
            "*" if e.n and e.small else "")
        out.append(f'<text x="{label_w - 6}" y="{y + bar_h - 3}" text-anchor="end" '
                   f'fill="{INK}">{escape(name)}</text>')
        if e.p is None:
            out.append(f'<text x="{label_w + 4}" y="{y + bar_h - 3}" fill="#999">无样本</text>')
            continue
        fill = PALE if e.small else RED
        out.append(f'<rect x="{label_w}" y="{y}" width="{plot_w * e.p:.1f}" height="{bar_h}" '
                   f'fill="{fill}"><title>{escape(row.label)} {_pct(e.p)}（95%置信区间'
                   f'{_pct(e.low)}～{_pct(e.high)}，n={e.n}）</title></rect>')
        x1, x2, mid = (label_w + plot_w * e.low, label_w + plot_w * e.high, y + bar_h / 2)
        out.append(f'<path d="M{x1:.1f} {mid}H{x2:.1f}M{x1:.1f} {mid - 5}V{mid + 5}'
                   f'M{x2:.1f} {mid - 5}V{mid + 5}" stroke="{INK}" stroke-width="1.5"/>')
        out.append(f'<text x="{WIDTH - right + 6}" y="{y + bar_h - 3}" fill="{INK}">'
                   f'{_pct(e.p)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))


def trend_lines(series, title="近12个月走势"):
    """The four rates month by month; a month without answers is a gap, a
    month with fewer than 30 a hollow point."""
    width, left, right, top, bottom = TREND_WIDTH, 40, 12, 52, 36
    height = 260
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [e.p for _, ests in series for e in ests.values() if e.p is not None]
    floor = min([0.5, *values])
    floor = int(floor * 10) / 10
    n = max(len(series) - 1, 1)

    def xy(i, p):
        return left + plot_w * i / n, top + plot_h * (1 - (p - floor) / (1 - floor))

    out = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" font-size="12">',
           f'<text x="0" y="16" font-weight="bold" fill="{INK}" font-size="13">'
           f'{escape(title)}</text>']
    for k, rate in enumerate(RATES):
        x = k * 100
        out.append(f'<rect x="{x}" y="30" width="12" height="4" fill="{LINE_COLOURS[rate]}"/>'
                   f'<text x="{x + 16}" y="36" fill="{INK}">{RATE_LABELS[rate]}</text>')
    steps = round((1 - floor) * 10)
    for s in range(steps + 1):
        p = floor + s / 10
        _, y = xy(0, p)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                   f'stroke="{GRID}"/><text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" '
                   f'fill="#777" font-size="11">{round(p * 100)}%</text>')
    for i, (month, _) in enumerate(series):
        x, _ = xy(i, floor)
        if len(series) <= 12 or i % 2 == 0:
            out.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                       f'fill="#777" font-size="11">{month.start.month}月</text>')
    for rate in RATES:
        colour, path, pen_up = LINE_COLOURS[rate], [], True
        for i, (month, ests) in enumerate(series):
            e = ests[rate]
            if e.p is None:
                pen_up = True
                continue
            x, y = xy(i, e.p)
            path.append(f"{'M' if pen_up else 'L'}{x:.1f} {y:.1f}")
            pen_up = False
            # A month under 30 answers is a hollow point: read it with care.
            fill = "#fff" if e.small else colour
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{fill}" '
                       f'stroke="{colour}" stroke-width="1.5">'
                       f'<title>{month.label}{RATE_LABELS[rate]} {_pct(e.p)}（n={e.n}）</title>'
                       f'</circle>')
        if path:
            out.append(f'<path d="{"".join(path)}" fill="none" stroke="{colour}" '
                       f'stroke-width="2"/>')
    out.append("</svg>")
    return mark_safe("".join(out))
