"""The platform's one chart technology: SVG drawn on the server. No script,
so charts draw under the strict CSP, stay small and print as they look.
Labels are escaped; colours are presentation attributes (style attributes
are blocked by the CSP); the markup is built only from our own numbers.

Values with a sample behind them (survey rates) are passed as estimates:
any object with `p`, `low`, `high` (shares 0..1 or None), `n` and `small`
(too few answers to trust)."""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe

# One palette: the office red first, then the colours of further series.
RED, PALE, INK, MUTED, GRID, AXIS = "#c8161d", "#eeb4b6", "#333", "#777", "#ddd", "#8a8a8a"
SERIES = (RED, "#1f6fb2", "#2e8b57", "#d98e04")
EMPTY = '<p class="muted">暂无数据</p>'


def _svg(width, height, title=None, font_size=None):
    label = f' aria-label="{escape(title)}"' if title else ""
    size = f' font-size="{font_size}"' if font_size else ""
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img"{label} '
            f'xmlns="http://www.w3.org/2000/svg"{size}>')


def _title(title, size=None):
    size = f' font-size="{size}"' if size else ""
    return f'<text x="0" y="16" font-weight="bold" fill="{INK}"{size}>{escape(title)}</text>'


def label_width(text, font_size):
    """About how wide a label draws: a CJK character (or full-width sign)
    is square, Latin letters and digits a little over half as wide."""
    return sum(font_size if ord(ch) >= 0x2E80 else font_size * 0.6 for ch in str(text))


def _pct(p):
    return f"{p * 100:.1f}%"


def bars(items, width=560, unit=""):
    """Horizontal bars: items = [(label, value)]."""
    if not items:
        return mark_safe(EMPTY)
    row, label_w = 26, max(120, 13 * max(len(str(label)) for label, _ in items) + 10)
    top = max(float(v) for _, v in items) or 1
    h = row * len(items) + 10
    parts = [_svg(width, h)]
    for i, (label, value) in enumerate(items):
        y = 5 + i * row
        w = (width - label_w - 70) * float(value) / top
        parts.append(f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" '
                     f'font-size="13">{escape(label)}</text>'
                     f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" '
                     f'fill="{RED}"/>'
                     f'<text x="{label_w + w + 4:.1f}" y="{y + 17}" font-size="12">'
                     f'{escape(value)}{unit}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def interval_bars(title, items, width=420):
    """Horizontal bars of shares with the 95% interval as a whisker:
    items = [(label, estimate)]; small samples are pale and starred. Narrow
    by default: on a 375px phone the text stays legible at full width."""
    label_w, right = 124, 52
    plot_w = width - label_w - right
    bar_h, gap, top = 16, 8, 34
    height = top + len(items) * (bar_h + gap) + 24
    out = [_svg(width, height, title, 13), _title(title)]
    for tick in range(0, 101, 20):
        x = label_w + plot_w * tick / 100
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 20}" '
                   f'stroke="{GRID}"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" fill="{MUTED}" '
                   f'font-size="11">{tick}%</text>')
    for i, (label, e) in enumerate(items):
        y = top + i * (bar_h + gap)
        name = (label if len(label) <= 8 else label[:7] + "…") + ("*" if e.n and e.small else "")
        out.append(f'<text x="{label_w - 6}" y="{y + bar_h - 3}" text-anchor="end" '
                   f'fill="{INK}">{escape(name)}</text>')
        if e.p is None:
            out.append(f'<text x="{label_w + 4}" y="{y + bar_h - 3}" fill="#999">无样本</text>')
            continue
        fill = PALE if e.small else RED
        out.append(f'<rect x="{label_w}" y="{y}" width="{plot_w * e.p:.1f}" height="{bar_h}" '
                   f'fill="{fill}"><title>{escape(label)} {_pct(e.p)}（95%置信区间'
                   f'{_pct(e.low)}～{_pct(e.high)}，n={e.n}）</title></rect>')
        x1, x2, mid = (label_w + plot_w * e.low, label_w + plot_w * e.high, y + bar_h / 2)
        out.append(f'<path d="M{x1:.1f} {mid}H{x2:.1f}M{x1:.1f} {mid - 5}V{mid + 5}'
                   f'M{x2:.1f} {mid - 5}V{mid + 5}" stroke="{INK}" stroke-width="1.5"/>')
        out.append(f'<text x="{width - right + 6}" y="{y + bar_h - 3}" fill="{INK}">'
                   f'{_pct(e.p)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))


def line(points, width=560, height=200):
    """A trend line of counts: points = [(label, value)]."""
    if not points:
        return mark_safe(EMPTY)
    top = max(v for _, v in points) or 1
    # The first and last axis labels are centred on their points: the
    # margins leave room for half of each, so neither is cut at an edge.
    left = max(30, label_width(points[0][0], 12) / 2 + 2)
    right = max(10, label_width(points[-1][0], 12) / 2 + 2)
    bottom = 24
    step = (width - left - right) / max(1, len(points) - 1)
    xy = [(left + i * step, 22 + (height - bottom - 22) * (1 - v / top))
          for i, (_, v) in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    parts = [_svg(width, height),
             f'<line x1="{left:.1f}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
             f'stroke="{AXIS}"/>',
             f'<polyline points="{path}" fill="none" stroke="{RED}" stroke-width="2.5"/>']
    for (label, v), (x, y) in zip(points, xy, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{RED}"/>'
                     f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" '
                     f'font-size="12">{v}</text>'
                     f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" '
                     f'font-size="12">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def share_lines(title, ticks, lines, width=480, height=260):
    """Several shares over time: ticks = [(axis label, full label)] one per
    point, lines = [(name, [estimate, …])] one estimate per tick. A point
    without answers is a gap, a small sample a hollow point."""
    left, right, top, bottom = 40, 12, 52, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [e.p for _, ests in lines for e in ests if e.p is not None]
    floor = int(min([0.5, *values]) * 10) / 10
    n = max(len(ticks) - 1, 1)

    def xy(i, p):
        return left + plot_w * i / n, top + plot_h * (1 - (p - floor) / (1 - floor))

    out = [_svg(width, height, title, 12), _title(title, 13)]
    for k, (name, _) in enumerate(lines):
        x = k * 100
        out.append(f'<rect x="{x}" y="30" width="12" height="4" fill="{SERIES[k]}"/>'
                   f'<text x="{x + 16}" y="36" fill="{INK}">{escape(name)}</text>')
    for s in range(round((1 - floor) * 10) + 1):
        p = floor + s / 10
        _, y = xy(0, p)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                   f'stroke="{GRID}"/><text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" '
                   f'fill="{MUTED}" font-size="11">{round(p * 100)}%</text>')
    for i, (short, _) in enumerate(ticks):
        x, _ = xy(i, floor)
        if len(ticks) <= 12 or i % 2 == 0:
            out.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                       f'fill="{MUTED}" font-size="11">{escape(short)}</text>')
    for k, (name, ests) in enumerate(lines):
        colour, path, pen_up = SERIES[k], [], True
        for i, e in enumerate(ests):
            if e.p is None:
                pen_up = True
                continue
            x, y = xy(i, e.p)
            path.append(f"{'M' if pen_up else 'L'}{x:.1f} {y:.1f}")
            pen_up = False
            fill = "#fff" if e.small else colour
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{fill}" '
                       f'stroke="{colour}" stroke-width="1.5">'
                       f'<title>{escape(ticks[i][1])}{escape(name)} {_pct(e.p)}（n={e.n}）'
                       f'</title></circle>')
        if path:
            out.append(f'<path d="{"".join(path)}" fill="none" stroke="{colour}" '
                       f'stroke-width="2"/>')
    out.append("</svg>")
    return mark_safe("".join(out))


def heatmap(rows, cols, values, width=560):
    """rows × cols counts; values = {(row, col): n}."""
    if not rows or not cols:
        return mark_safe(EMPTY)
    # Category names run to six or more characters: the column heads are
    # slanted so that neighbours never print over each other.
    longest = max(len(str(c)) for c in cols)
    label_w = 12 * max(len(str(r)) for r in rows) + 10
    head_h, cell_h, right = int(9.5 * longest) + 12, 26, int(8 * longest)
    cell_w = (width - label_w - right) / len(cols)
    top = max(values.values(), default=0) or 1
    h = head_h + cell_h * len(rows) + 4
    parts = [_svg(width, h)]
    for j, col in enumerate(cols):
        x, y = label_w + (j + 0.5) * cell_w, head_h - 6
        parts.append(f'<text x="{x:.1f}" y="{y}" transform="rotate(-50 {x:.1f} {y})" '
                     f'font-size="12">{escape(col)}</text>')
    for i, row in enumerate(rows):
        y = head_h + i * cell_h
        parts.append(f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end" '
                     f'font-size="12">{escape(row)}</text>')
        for j, col in enumerate(cols):
            n = values.get((row, col), 0)
            opacity = 0.08 + 0.92 * n / top if n else 0.04
            parts.append(f'<rect x="{label_w + j * cell_w + 1:.1f}" y="{y + 1}" '
                         f'width="{cell_w - 2:.1f}" height="{cell_h - 2}" fill="{RED}" '
                         f'fill-opacity="{opacity:.2f}"/>'
                         f'<text x="{label_w + (j + 0.5) * cell_w:.1f}" y="{y + 17}" '
                         f'text-anchor="middle" font-size="12">{n}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


# Status colours of the problem map: overdue, with the unit, waiting for
# the office, not yet dispatched.
MAP_COLOURS = {"overdue": RED, "open": SERIES[3], "review": SERIES[1], "new": MUTED}


def tile_map(layout, points, legend=(), attribution=""):
    """Points on a tile base map, all one SVG: the tiles are <image>s the
    browser loads from the tile server in `layout` (wenming.core.maps),
    the points circles, the legend a strip below the map so it never hides
    a point. points = [(lat, lng, colour, radius, label, href)]."""
    w, h = layout.width, layout.height
    strip = 30 if legend or attribution else 0
    out = [_svg(w, h + strip, "问题分布图"), f'<rect width="{w}" height="{h}" fill="#e8e8e8"/>']
    for url, x, y in layout.tiles:
        out.append(f'<image href="{escape(url)}" x="{x:.0f}" y="{y:.0f}" width="256" '
                   f'height="256"/>')
    for lat, lng, colour, radius, label, href in points:
        x, y = layout.place(lat, lng)
        dot = (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}" '
               f'fill-opacity="0.85" stroke="#fff" stroke-width="2">'
               f'<title>{escape(label)}</title></circle>')
        out.append(f'<a href="{escape(href)}">{dot}</a>' if href else dot)
    if strip:
        out.append(f'<rect y="{h}" width="{w}" height="{strip}" fill="#fff"/>')
    for i, (colour, label) in enumerate(legend):
        x = 10 + 120 * i
        out.append(f'<circle cx="{x + 7}" cy="{h + 15}" r="7" fill="{colour}"/>'
                   f'<text x="{x + 19}" y="{h + 20}" font-size="14" fill="{INK}">'
                   f'{escape(label)}</text>')
    if attribution:
        out.append(f'<text x="{w - 6}" y="{h + 20}" text-anchor="end" font-size="12" '
                   f'fill="{MUTED}">{escape(attribution)}</text>')
    out.append("</svg>")
    return mark_safe("".join(out))


def district_boxes(items, width=560, columns=3):
    """The map's fallback without a tile server: one box per district,
    coloured by its open problems (red when any is overdue), each a link.
    items = [(name, open, overdue, href)]."""
    if not items:
        return mark_safe(EMPTY)
    columns = max(1, min(columns, len(items)))
    gap, box_h = 8, 84
    box_w = (width - gap * (columns - 1)) / columns
    rows = math.ceil(len(items) / columns)
    h = rows * (box_h + gap)
    top = max(o for _, o, _, _ in items) or 1
    out = [_svg(width, h, "各县区问题示意图")]
    for i, (name, open_, overdue, href) in enumerate(items):
        x, y = (i % columns) * (box_w + gap), (i // columns) * (box_h + gap)
        fill = RED if overdue else (SERIES[3] if open_ else SERIES[2])
        opacity = 0.25 + 0.75 * open_ / top if open_ else 0.35
        out.append(f'<a href="{escape(href)}"><rect x="{x:.1f}" y="{y}" width="{box_w:.1f}" '
                   f'height="{box_h}" rx="6" fill="{fill}" fill-opacity="{opacity:.2f}" '
                   f'stroke="{fill}"/><text x="{x + box_w / 2:.1f}" y="{y + 34}" '
                   f'text-anchor="middle" font-size="18" font-weight="bold" fill="{INK}">'
                   f'{escape(name)}</text><text x="{x + box_w / 2:.1f}" y="{y + 62}" '
                   f'text-anchor="middle" font-size="15" fill="{INK}">未销号 {open_} · 逾期 '
                   f'{overdue}</text></a>')
    out.append("</svg>")
    return mark_safe("".join(out))
