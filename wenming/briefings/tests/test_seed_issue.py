"""The seed issue built through the services and rendered in every format."""

import io
import re
import subprocess

import html5lib
import pytest
from docx import Document

from wenming.briefings.render import render_issue
from wenming.briefings.tests.factories import build_issue, make_series
from wenming.briefings.tests.seed import seed_issue
from wenming.core.testing import assert_in_order, pdf_text, poppler_tool, squash


@pytest.fixture
def seed(people):
    data = seed_issue()
    series = make_series(people["editor"])
    issue = build_issue(people["editor"], series, data)
    return issue, data


def test_seed_structure_is_built_through_services(seed):
    issue, _ = seed
    assert (issue.year, issue.number, issue.date.isoformat()) == (2024, 1, "2024-01-10")
    assert issue.series.issuer == "周口市文明办"
    columns = [(c.name, c.articles.count()) for c in issue.columns.all()]
    assert columns == [("工作动态", 3), ("文明时讯", 3)]


def test_pdf_has_every_title_and_paragraph_in_order(seed):
    issue, data = seed
    text = squash(pdf_text(render_issue(issue, "pdf")))
    # The body starts after the table of contents, at the second 【工作动态】.
    body = text[text.index("【工作动态】", text.index("【工作动态】") + 1):]
    assert_in_order(body, [piece for column in data["columns"] for article in column["articles"]
                           for piece in [article["title"], *article["paragraphs"]]])


def test_pdf_page_one_carries_the_masthead(seed):
    issue, _ = seed
    page1 = squash(pdf_text(render_issue(issue, "pdf"), 1, 1))
    for expected in ["周口精神文明建设", "第1期", "周口市文明办", "2024年1月10日"]:
        assert expected in page1


def test_pdf_embeds_every_font(seed, tmp_path):
    issue, _ = seed
    path = tmp_path / "issue.pdf"
    path.write_bytes(render_issue(issue, "pdf"))
    out = subprocess.run([poppler_tool("pdffonts"), str(path)], capture_output=True,
                         check=True).stdout.decode().splitlines()
    rows = out[2:]
    assert rows, "no fonts listed"
    for row in rows:
        # name type encoding emb sub uni object ID
        assert re.search(r"\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row), row


def test_docx_has_the_same_paragraphs(seed):
    issue, data = seed
    doc = Document(io.BytesIO(render_issue(issue, "docx")))
    text = squash("".join(p.text for p in doc.paragraphs))
    assert_in_order(text, [p for column in data["columns"] for article in column["articles"]
                           for p in article["paragraphs"]])


def test_html_edition_is_valid_and_escapes_user_text(people):
    series = make_series(people["editor"])
    data = {"date": "2024-02-01", "columns": [{"name": "工作动态", "articles": [
        {"title": "<script>alert(1)</script>标题", "paragraphs": ["a < b & c > d \"q\" 'x'",
                                                                  "<img src=x onerror=alert(1)>"]}]}]}
    issue = build_issue(people["editor"], series, data)
    html = render_issue(issue, "html").decode()
    html5lib.HTMLParser(strict=True).parse(html)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;标题" in html
    assert "a &lt; b &amp; c &gt; d" in html


def test_txt_edition_reads_like_the_printed_issue(seed):
    issue, data = seed
    text = render_issue(issue, "txt").decode()
    assert text.index("【工作动态】") < text.index("全市创文创卫工作推进会召开")
    assert "第1期" in text and "2024年1月10日" in text
