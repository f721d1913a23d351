import copy
import re
import subprocess

import pytest

from wenming.briefings.render.pdf import render_compilation_pdf, render_issue_pdf
from wenming.briefings.tests.seed import seed_issue
from wenming.core.testing import assert_in_order, page_count, pdf_text, poppler_tool, squash

FOOTER = {
    "report_to": "市委、市政府领导",
    "copy_to": "省文明办",
    "issue_to": "各县（市、区）文明办",
    "print_run": 100,
}

INJECTION = (
    '#read("/etc/passwd") $x$ # ] <label> @ref *bold* _x_ // '
    "#set page(width: 1cm) \\ \\\\ \\n <script>alert('x')</script>"
)


@pytest.fixture(scope="module")
def issue():
    data = seed_issue()
    data["footer"] = dict(FOOTER)
    return data


@pytest.fixture(scope="module")
def issue_pdf(issue):
    return render_issue_pdf(issue)


def test_seed_issue_prints_every_title_and_paragraph_in_order(issue, issue_pdf):
    pieces = []
    for column in issue["columns"]:
        pieces.append(f"【{column['name']}】")
        for article in column["articles"]:
            pieces.append(article["title"])
            pieces.extend(article["paragraphs"])

    assert_in_order(squash(pdf_text(issue_pdf)), pieces)


def test_first_page_carries_masthead_and_contents(issue, issue_pdf):
    first_page = squash(pdf_text(issue_pdf, 1, 1))

    assert first_page.startswith("周口精神文明建设简报第1期周口市文明办2024年1月10日")
    titles = [a["title"] for c in issue["columns"] for a in c["articles"]]
    assert_in_order(first_page, ["【工作动态】", *titles[:3], "【文明时讯】", *titles[3:]])


def test_short_news_items_lead_into_their_paragraph(issue_pdf):
    text = squash(pdf_text(issue_pdf))

    assert "3人入选2023年下半年“河南好人榜”。12月28日，河南省文明办" in text
    assert "商水县举行文化科技卫生“三下乡”暨新时代文明实践进乡村活动。1月9日" in text


def test_footer_is_on_the_last_page_only(issue_pdf):
    pages = page_count(issue_pdf)
    last_page = squash(pdf_text(issue_pdf, pages, pages))

    assert "报：市委、市政府领导" in last_page
    assert "送：省文明办" in last_page
    assert "发：各县（市、区）文明办" in last_page
    assert "周口市文明办2024年1月10日印发" in last_page
    assert "（共印100份）" in last_page
    assert "共印" not in squash(pdf_text(issue_pdf, 1, pages - 1))


def test_pages_are_numbered_at_the_outer_side(issue_pdf):
    bbox = subprocess.run(
        [poppler_tool("pdftotext"), "-bbox", "-", "-"], input=issue_pdf, capture_output=True, check=True
    ).stdout.decode()
    pages = bbox.split("<page ")[1:]
    assert len(pages) >= 2
    for number, page in enumerate(pages, 1):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        folio = re.search(rf'<word xMin="([\d.]+)"[^>]*>—{number}—</word>', page)
        if not folio:  # "— 1 —" split into words
            folio = re.search(rf'<word xMin="([\d.]+)"[^>]*>{number}</word>', page)
        assert folio, f"no page number on page {number}"
        on_right = float(folio.group(1)) > width / 2
        assert on_right == (number % 2 == 1)


def test_every_font_is_embedded(issue_pdf, tmp_path):
    path = tmp_path / "issue.pdf"
    path.write_bytes(issue_pdf)
    lines = subprocess.run(
        [poppler_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    header, rule, *rows = lines
    assert header.split()[-5:] == ["emb", "sub", "uni", "object", "ID"]
    assert rows
    for row in rows:
        # Columns from the right: emb sub uni object-number generation.
        assert row.split()[-5] == "yes", row


def test_typst_syntax_in_articles_prints_literally():
    data = seed_issue()
    data["note"] = INJECTION
    data["columns"] = [
        {
            "name": INJECTION,
            "articles": [
                {"title": INJECTION, "paragraphs": [INJECTION, "正文" + INJECTION]},
                {
                    "title": INJECTION,
                    "paragraphs": [INJECTION],
                    "lead_in": True,
                    "source_unit": INJECTION,
                },
            ],
        }
    ]
    data["footer"] = {"report_to": INJECTION, "print_run": 3}

    text = squash(pdf_text(render_issue_pdf(data)))

    assert text.count(squash(INJECTION)) >= 9
    assert "root:x:0:0" not in text
    for piece in [
        '#read("/etc/passwd")',
        "$x$",
        "<label>",
        "@ref",
        "*bold*",
        "_x_",
        "//",
        "#set page(width: 1cm)",
        "\\\\",
        "<script>",
    ]:
        assert squash(piece) in text


def test_supplement_and_serial_numbers_show_under_the_masthead(issue):
    data = copy.deepcopy(issue)
    data.update(number=2, serial=35, is_supplement=True, marking="内部资料")

    first_page = squash(pdf_text(render_issue_pdf(data), 1, 1))

    assert first_page.startswith("内部资料")
    assert "增刊第2期（总第35期）" in first_page


def test_correction_issue_is_marked_with_its_note(issue):
    data = copy.deepcopy(issue)
    data.update(is_correction=True, correction_note="本期第2篇稿件标题有误，现予更正。")
    data["note"] = "编者按：现将有关情况刊发。\n请结合实际学习借鉴。"

    first_page = squash(pdf_text(render_issue_pdf(data), 1, 1))

    assert "更正版" in first_page
    assert "更正说明：本期第2篇稿件标题有误，现予更正。" in first_page
    assert "编者按：现将有关情况刊发。请结合实际学习借鉴。" in first_page


def test_missing_fields_are_filled_in():
    pdf = render_issue_pdf(
        {
            "series_title": "周口精神文明建设",
            "number": 3,
            "date": "2024-03-05",
            "columns": [{"name": "工作动态", "articles": [{"title": "标题", "paragraphs": None}]}],
            "footer": None,
        }
    )

    first_page = squash(pdf_text(pdf, 1, 1))
    assert "第3期" in first_page
    assert "2024年3月5日" in first_page


def test_compilation_contains_every_issue_after_a_combined_contents(issue):
    issues = []
    for number in (1, 2, 3):
        data = copy.deepcopy(issue)
        data["number"] = number
        data["date_text"] = f"2024年{number}月10日"
        data["columns"][0]["articles"][0]["title"] = f"第{number}期头条：全市创文工作推进会召开"
        issues.append(data)

    pdf = render_compilation_pdf("周口精神文明建设", 2024, issues)

    text = squash(pdf_text(pdf))
    assert text.startswith("周口精神文明建设简报2024年合订本")
    contents = text[text.index("目录") : text.index("第1期周口市文明办")]
    for number in (1, 2, 3):
        # Each issue and its first article, with the page it starts on.
        assert re.search(rf"第{number}期（2024年{number}月10日）·+\d+", contents)
        assert re.search(rf"第{number}期头条：全市创文工作推进会召开·+\d+", contents)
    assert_in_order(
        text,
        [
            piece
            for data in issues
            for column in data["columns"]
            for article in column["articles"]
            for piece in (article["title"], *article["paragraphs"])
        ],
    )


def test_compilation_starts_each_issue_on_an_odd_page_numbered_as_listed(issue):
    issues = [dict(copy.deepcopy(issue), number=n) for n in (1, 2)]
    issues[0]["columns"] = issues[0]["columns"][1:]  # a short first issue

    pdf = render_compilation_pdf("周口精神文明建设", 2024, issues)

    raw_pages = pdf_text(pdf).split("\f")
    pages = [squash(p) for p in raw_pages]
    starts = [i + 1 for i, page in enumerate(pages) if page.startswith("周口精神文明建设简报第")]
    assert len(starts) == 2
    assert all(page % 2 == 1 for page in starts)
    listed = [int(n) for n in re.findall(r"^第\d+期（[^）]*）[·\s]*(\d+)\s*$", raw_pages[1], re.M)]
    printed = [
        int(re.search(r"—(\d+)—", "".join(pdf_text(pdf, p, p).split())).group(1)) for p in starts
    ]
    assert listed == printed == [1, printed[1]]
