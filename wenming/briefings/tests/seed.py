"""The seed briefing issue (the text of a real 简报) as render data.

The seed is the plain-text dump of a printed issue: masthead lines, a table
of contents grouped by 【栏目】, then the body. `seed_issue()` returns the
data dict that `render_issue_pdf` takes.
"""

import re

from wenming.core.testing import shared_file

SEED_NAME = ("seed", "000_33c4f364695746b8.txt")

_COLUMN = re.compile(r"^【(.+)】$")
# A block not ending in one of these was cut by a page break in the dump.
_PARAGRAPH_END = ("。", "！", "？", "…", "”", "；")


def seed_issue() -> dict:
    """The seed issue; skips the test when the shared seed is absent, unless
    WENMING_REQUIRE_SHARED=1 (then the test fails)."""
    return parse_seed(shared_file(*SEED_NAME).read_text(encoding="utf-8"))


def parse_seed(text: str) -> dict:
    lines = [_clean(line) for line in text.splitlines() if line.strip()]
    series_title, kind, number_line, issuer, date_text = lines[:5]
    year, month, day = map(int, re.findall(r"\d+", date_text))

    # Table of contents: column name -> titles, until the first column repeats.
    toc: dict[str, list[str]] = {}
    pos = 5
    while pos < len(lines):
        header = _COLUMN.match(lines[pos])
        if header and header.group(1) in toc:
            break
        if header:
            toc[header.group(1)] = []
        else:
            toc[list(toc)[-1]].append(lines[pos])
        pos += 1

    columns = []
    article = None
    for line in lines[pos:]:
        header = _COLUMN.match(line)
        if header:
            columns.append({"name": header.group(1), "articles": []})
            titles = toc[header.group(1)]
            article = None
            continue
        lead = next((t for t in titles if line.startswith(t + "。")), None)
        if line in titles or lead:
            article = {
                "title": lead or line,
                "paragraphs": [line[len(lead) + 1 :]] if lead else [],
                "lead_in": bool(lead),
                "source_unit": "",
                "author": "",
            }
            columns[-1]["articles"].append(article)
        elif article["paragraphs"] and not article["paragraphs"][-1].endswith(_PARAGRAPH_END):
            article["paragraphs"][-1] += line
        else:
            article["paragraphs"].append(line)

    return {
        "series_title": series_title,
        "kind": kind,
        "year": year,
        "number": int(re.search(r"\d+", number_line).group()),
        "serial": None,
        "is_supplement": False,
        "issuer": issuer,
        "date": f"{year:04d}-{month:02d}-{day:02d}",
        "date_text": f"{year}年{month}月{day}日",
        "marking": "",
        "note": "",
        "is_correction": False,
        "correction_note": "",
        "columns": columns,
        "footer": {"report_to": "", "copy_to": "", "issue_to": "", "print_run": None},
    }


def _clean(line: str) -> str:
    """Drop the spaces the text dump put around CJK characters."""
    line = line.strip()
    return re.sub(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+", "", line)
