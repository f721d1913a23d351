"""Parsing speed of the briefing importer.

    python bench/bench_parse.py

Prints how many seed-sized text briefings are parsed per second (target
>= 20/s): 200 distinct variants of the seed (UTF-8 and GBK), from bytes to
structure, in one process. For comparison, the same for the seed issue
rendered by our own renderers to DOCX and PDF (the PDF figure includes the
pdftotext subprocess).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings")

import django  # noqa: E402

django.setup()

from wenming.briefings.importer import parse_bytes  # noqa: E402
from wenming.briefings.render.docx import render_issue_docx  # noqa: E402
from wenming.briefings.render.pdf import render_issue_pdf  # noqa: E402
from wenming.briefings.tests.seed import SEED_NAME, parse_seed  # noqa: E402
from wenming.core.testing import SHARED_DIR  # noqa: E402

SEED_PATH = SHARED_DIR.joinpath(*SEED_NAME)


def variants(seed: str, count: int) -> list[bytes]:
    """`count` distinct briefings the size of the seed: other numbers, dates
    and titles, every other one in GBK."""
    titles = ["全市创文创卫工作推进会召开", "我市举行书香周口第二届全民阅读大会开幕式"]
    files = []
    for n in range(1, count + 1):
        text = seed.replace("第 1 期", f"第 {n} 期").replace("1 月 10 日", f"{n % 12 + 1} 月 10 日")
        for title in titles:
            text = text.replace(title, f"{title}（{n}）")
        files.append(text.encode("gbk" if n % 2 else "utf-8"))
    return files


def rate(label, files, rounds=1):
    times = []
    for _ in range(rounds):
        for data in files:
            started = time.perf_counter()
            parse_bytes(data)
            times.append(time.perf_counter() - started)
    total = sum(times)
    print(f"{label}: {len(times) / total:,.0f} 份/秒（每份中位数 {statistics.median(times) * 1000:.1f} ms，"
          f"最慢 {max(times) * 1000:.1f} ms，共 {len(times)} 份）")


def main():
    if not SEED_PATH.exists():
        print(f"缺少种子文件 {SEED_PATH}，无法测速。")
        return
    seed = SEED_PATH.read_text(encoding="utf-8")
    print(f"种子简报：{len(seed):,} 字符，{seed.count(chr(10)) + 1} 行")
    parse_bytes(seed.encode())  # warm up imports and regex compilation
    rate("文本简报（UTF-8/GBK，目标 ≥ 20 份/秒）", variants(seed, 200))
    data = parse_seed(seed)
    rate("本系统生成的 DOCX", [render_issue_docx(data)] * 20)
    rate("本系统生成的 PDF（含 pdftotext 进程）", [render_issue_pdf(data)] * 10)


if __name__ == "__main__":
    main()
