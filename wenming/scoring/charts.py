"""Server-side SVG charts for the dashboard: no script, so they draw under
the strict CSP and print as they look. Labels are escaped; colours are
presentation attributes (style attributes are blocked by the CSP)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

RED, GREY = "#c8102e", "#8a8a8a"


def bars(items, width=560, unit=""):
    """Horizontal bars: items = [(label, value)]."""
    if not items:
        return mark_safe('<p class="muted">暂无数据</p>')
    row, label_w = 26, max(120, 13 * max(len(str(label)) for label, _ in items) + 10)
    top = max(float(v) for _, v in items) or 1
    h = row * len(items) + 10
    parts = [f'<svg class="chart" viewBox="0 0 {width} {h}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg">']
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


def line(points, width=560, height=200):
    """A trend line: points = [(label, value)]."""
    if not points:
        return mark_safe('<p class="muted">暂无数据</p>')
    top = max(v for _, v in points) or 1
    left, bottom = 30, 24
    step = (width - left - 10) / max(1, len(points) - 1)
    xy = [(left + i * step, 22 + (height - bottom - 22) * (1 - v / top))
          for i, (_, v) in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
             f'stroke="{GREY}"/>',
             f'<polyline points="{path}" fill="none" stroke="{RED}" stroke-width="2.5"/>']
    for (label, v), (x, y) in zip(points, xy, strict=True):
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{RED}"/>'
                     f'<text x="{x:.1f}" y="{y - 8:.1f}" text-anchor="middle" '
                     f'font-size="12">{v}</text>'
                     f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" '
                     f'font-size="12">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def heatmap(rows, cols, values, width=560):
    """rows × cols counts; values = {(row, col): n}."""
    if not rows or not cols:
        return mark_safe('<p class="muted">暂无数据</p>')
    # Category names run to six or more characters: the column heads are
    # slanted so that neighbours never print over each other.
    longest = max(len(str(c)) for c in cols)
    label_w = 12 * max(len(str(r)) for r in rows) + 10
    head_h, cell_h, right = int(9.5 * longest) + 12, 26, int(8 * longest)
    cell_w = (width - label_w - right) / len(cols)
    top = max(values.values(), default=0) or 1
    h = head_h + cell_h * len(rows) + 4
    parts = [f'<svg class="chart" viewBox="0 0 {width} {h}" role="img" '
             f'xmlns="http://www.w3.org/2000/svg">']
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
