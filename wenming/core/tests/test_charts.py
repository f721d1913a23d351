"""The server-side SVG charts: labels stay inside the picture."""

import re

from wenming.core.charts import label_width, line


def _labels(svg):
    """(x, text) of each axis label: the texts on the bottom line."""
    height = float(re.search(r'viewBox="0 0 [\d.]+ ([\d.]+)"', svg)[1])
    return [(float(x), text) for x, y, text in
            re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle" '
                       r'font-size="12">([^<]*)</text>', svg) if float(y) == height - 6]


def test_trend_line_keeps_its_first_and_last_labels_inside():
    points = [(f"2024年{m}月", m * 3) for m in range(1, 13)]
    svg = str(line(points, width=560))
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg)[1])
    labels = _labels(svg)
    assert [t for _, t in labels] == [p[0] for p in points]
    (first_x, first), (last_x, last) = labels[0], labels[-1]
    assert first_x - label_width(first, 12) / 2 >= 0
    assert last_x + label_width(last, 12) / 2 <= width


def test_short_labels_keep_the_old_margins():
    svg = str(line([("1", 1), ("2", 2)], width=200))
    assert [x for x, _ in _labels(svg)] == [30.0, 190.0]
