"""The columns and articles of a parsed issue as plain text the editor can
correct in the import preview, and back:

    【栏目名称】           a column (rename it here)
    # 标题                 an article; a paragraph turned into a title starts a new one
    ## 标题                a short-news item (its title leads into its text)
    正文段落               one paragraph a line
    @供稿：单位  @作者：姓名  @图：说明

Splitting an article is adding a “# ” line; merging two is deleting one.
"""

from __future__ import annotations

import re

from wenming.core.errors import DomainError

_META = {"供稿": "source_unit", "作者": "author"}


def to_markup(columns: list[dict]) -> str:
    out: list[str] = []
    for column in columns:
        out.append(f"【{column['name']}】")
        for article in column["articles"]:
            out.append(("## " if article.get("lead_in") else "# ") + article["title"])
            out.extend(article["paragraphs"])
            for label, name in _META.items():
                if article.get(name):
                    out.append(f"@{label}：{article[name]}")
            out.extend(f"@图：{caption}" for caption in article.get("captions", []))
        out.append("")
    return "\n".join(out).strip() + "\n"


def from_markup(text: str) -> list[dict]:
    columns: list[dict] = []
    article = None
    for no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        column = re.fullmatch(r"【(.*)】", line)
        if column:
            columns.append({"name": column.group(1).strip(), "articles": []})
            article = None
            continue
        heading = re.match(r"^(#{1,2})\s*(.*)$", line)
        if heading:
            if not columns:
                columns.append({"name": "", "articles": []})
            article = {"title": heading.group(2).strip(), "paragraphs": [],
                       "lead_in": heading.group(1) == "##"}
            columns[-1]["articles"].append(article)
            continue
        if article is None:
            raise DomainError(f"稿件编辑框第{no}行“{line[:20]}”不属于任何稿件：请在它上面加一行“# 标题”。",
                              field="body")
        meta = re.match(r"^@(供稿|作者|图)[：:]\s*(.*)$", line)
        if meta:
            label, value = meta.groups()
            if label == "图":
                article.setdefault("captions", []).append(value)
            elif value:
                article[_META[label]] = value
            continue
        article["paragraphs"].append(line)
    return columns
