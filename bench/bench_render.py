"""Timing of the briefing PDF renderer.

    python bench/bench_render.py

Prints the cold first render (font scan + compiler start), the warm
in-process render of the seed issue (target <= 50 ms) and a 24-issue yearly
compilation with distinct content (target <= 3 s).
"""

import copy
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wenming.briefings.render.pdf import render_compilation_pdf, render_issue_pdf  # noqa: E402
from wenming.briefings.tests.seed import SEED_NAME, parse_seed  # noqa: E402
from wenming.core import fonts  # noqa: E402
from wenming.core.testing import SHARED_DIR  # noqa: E402

SEED_PATH = SHARED_DIR.joinpath(*SEED_NAME)

FOOTER = {
    "report_to": "市委、市政府领导",
    "copy_to": "省文明办",
    "issue_to": "各县（市、区）文明办",
    "print_run": 100,
}


def timed(func, *args):
    started = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - started, result


def year_of_issues(seed, count=24):
    """`count` issues with distinct text, as a year of a series would have."""
    issues = []
    for number in range(1, count + 1):
        issue = copy.deepcopy(seed)
        issue.update(
            number=number, serial=100 + number, date_text=f"2024年{(number + 1) // 2}月10日"
        )
        for c, column in enumerate(issue["columns"]):
            for a, article in enumerate(column["articles"]):
                article["title"] = f"第{number}期第{c + 1}栏第{a + 1}篇：{article['title']}"
                article["paragraphs"] = [
                    f"（{number}-{p}）{text}" for p, text in enumerate(article["paragraphs"])
                ]
        issues.append(issue)
    return issues


def main():
    if not SEED_PATH.is_file():
        sys.exit(f"seed briefing not found at {SEED_PATH}")
    seed = parse_seed(SEED_PATH.read_text(encoding="utf-8"))
    seed["footer"] = FOOTER

    cold, pdf = timed(render_issue_pdf, seed)
    print(f"cold first render (font scan + compiler): {cold * 1000:7.1f} ms")

    runs = [timed(render_issue_pdf, seed)[0] for _ in range(20)]
    print(
        f"warm render of the seed issue:            {statistics.median(runs) * 1000:7.1f} ms"
        f" median (min {min(runs) * 1000:.1f}, max {max(runs) * 1000:.1f}, 20 runs;"
        f" {len(pdf) // 1024} KiB)"
    )

    changed = copy.deepcopy(seed)
    changed["columns"][0]["articles"][0]["paragraphs"][0] += "（修改）"
    edited, _ = timed(render_issue_pdf, changed)
    print(f"render after an edit to one paragraph:    {edited * 1000:7.1f} ms")

    issues = year_of_issues(seed)
    first, pdf = timed(render_compilation_pdf, "周口精神文明建设", 2024, issues)
    print(
        f"24-issue compilation, fresh content:      {first * 1000:7.1f} ms ({len(pdf) // 1024} KiB)"
    )
    again, _ = timed(render_compilation_pdf, "周口精神文明建设", 2024, issues)
    print(f"24-issue compilation, again:              {again * 1000:7.1f} ms")

    print(f"font scans in this process:               {fonts.scan_count:7d}")


if __name__ == "__main__":
    main()
