"""DOCX and plain-text editions of a briefing issue, without the database.

Run alone with: pytest -p no:django wenming/briefings/tests/test_render_docx.py
"""

import io
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from wenming.briefings.render.docx import render_issue_docx
from wenming.briefings.render.txt import render_issue_txt

TRICKY = "<b>&amp; \"引号\" '单引' #set text(red) *粗体* _斜_ [链接](x) $x$ @ref \\ `code` <!-- -->"


def sample_issue(**overrides) -> dict:
    data = {
        "series_title": "周口精神文明建设",
        "kind": "简报",
        "year": 2024,
        "number": 1,
        "serial": None,
        "is_supplement": False,
        "issuer": "周口市文明办",
        "date": "2024-01-10",
        "date_text": "2024年1月10日",
        "marking": "内部资料",
        "note": "岁末年初，各地各单位扎实开展创建工作。\n现将有关情况编发，供参考。",
        "is_correction": False,
        "correction_note": "",
        "columns": [
            {
                "name": "工作动态",
                "articles": [
                    {
                        "title": "全市创文创卫工作推进会召开",
                        "paragraphs": [
                            "12月28日，全市创文创卫工作推进会召开，通报创建工作进展情况。",
                            "会议指出，创建全国文明城市是高质量建设现代化周口的“必答题”。",
                            "会议强调，要坚持全面排查、全域治理。",
                        ],
                        "lead_in": False,
                        "source_unit": "",
                        "author": "",
                    },
                    {
                        "title": "我市举行2023年度诚信建设“红黑榜”新闻发布会",
                        "paragraphs": [
                            "12月29日下午，市文明办、市信用办等5部门联合举行新闻发布会。",
                            "4个市场、152家企业被列入法人红名单。",
                        ],
                        "lead_in": False,
                        "source_unit": "市信用办",
                        "author": "张明",
                    },
                ],
            },
            {
                "name": "文明时讯",
                "articles": [
                    {
                        "title": "3人入选2023年下半年“河南好人榜”",
                        "paragraphs": ["12月28日，河南省文明办公布上榜人物名单。"],
                        "lead_in": True,
                        "source_unit": "",
                        "author": "",
                    },
                    {
                        "title": "我市举行书香周口第二届全民阅读大会开幕式！",
                        "paragraphs": ["1月5日，市委宣传部在市文化艺术中心举行开幕式。"],
                        "lead_in": True,
                        "source_unit": "",
                        "author": "",
                    },
                ],
            },
        ],
        "footer": {
            "report_to": "省文明办，市委、市人大、市政府、市政协领导",
            "copy_to": "市文明委各成员单位",
            "issue_to": "各县（市、区）文明办",
            "print_run": 120,
        },
    }
    data.update(overrides)
    return data


def expected_sequence(data: dict) -> list[str]:
    """Texts every edition must show, in this order (lead-in titles start a paragraph)."""
    texts = [data["series_title"], data["kind"], "第1期", data["issuer"], data["date_text"]]
    for column in data["columns"]:
        texts.append(f"【{column['name']}】")
        texts += [article["title"] for article in column["articles"]]
    for column in data["columns"]:
        texts.append(f"【{column['name']}】")
        for article in column["articles"]:
            texts.append(article["title"])
            texts += article["paragraphs"]
    return texts


def reopen(content: bytes):
    return Document(io.BytesIO(content))


def all_paragraphs(document):
    """Body paragraphs in document order, including those inside tables."""
    return [
        paragraph
        for block in document.iter_inner_content()
        for paragraph in (
            [block]
            if hasattr(block, "runs")
            else [p for row in block.rows for cell in row.cells for p in cell.paragraphs]
        )
    ]


def last_paragraph(document, text: str, prefix: bool = False):
    """The body's paragraph (not the contents entry) with this text."""
    matches = [
        p for p in document.paragraphs if (p.text.startswith(text) if prefix else p.text == text)
    ]
    assert matches, text
    return matches[-1]


def assert_in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"missing or out of order: {needle!r}"
        position = found + len(needle)


def part_xml(content: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name).decode("utf-8")


def test_docx_shows_every_title_and_paragraph_in_order():
    data = sample_issue()
    document = reopen(render_issue_docx(data))
    texts = "\n".join(p.text for p in all_paragraphs(document))
    assert_in_order(texts, expected_sequence(data))
    assert "3人入选2023年下半年“河南好人榜”。12月28日" in texts
    assert "开幕式！1月5日" in texts
    assert "（供稿：市信用办　作者：张明）" in texts


def test_docx_masthead_is_red_and_page_is_a4_with_official_margins():
    document = reopen(render_issue_docx(sample_issue()))
    masthead = next(p for p in document.paragraphs if p.text == "周口精神文明建设")
    assert all(str(run.font.color.rgb) == "E60012" for run in masthead.runs)
    assert masthead.runs[0].font.size.pt >= 30
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin)] == [37, 35]
    assert [round(m.mm) for m in (section.left_margin, section.right_margin)] == [28, 26]
    assert document.paragraphs[0].text == "内部资料"


def test_docx_body_runs_name_official_fonts():
    data = sample_issue()
    document = reopen(render_issue_docx(data))
    body = next(
        p
        for p in document.paragraphs
        if p.text == data["columns"][0]["articles"][0]["paragraphs"][0]
    )
    fonts = body.runs[0]._r.rPr.rFonts
    for attr in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        assert fonts.get(qn(attr)) == "仿宋_GB2312"
    assert body.runs[0].font.size.pt == 16
    assert body.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert body.paragraph_format.first_line_indent.pt == 32

    title = last_paragraph(document, "全市创文创卫工作推进会召开")
    assert title.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert title.runs[0].font.size.pt == 18

    note = next(p for p in document.paragraphs if p.text.startswith("编者按："))
    assert note.runs[-1]._r.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"

    normal = document.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.font.size.pt == 16


def test_docx_lead_in_title_is_a_bold_run_not_a_heading():
    document = reopen(render_issue_docx(sample_issue()))
    paragraph = last_paragraph(document, "3人入选", prefix=True)
    assert paragraph.runs[0].text == "3人入选2023年下半年“河南好人榜”。"
    assert paragraph.runs[0].font.bold
    assert not any(p.text == "3人入选2023年下半年“河南好人榜”" for p in document.paragraphs[-8:])


def test_docx_footer_has_page_field_on_alternating_sides():
    content = render_issue_docx(sample_issue())
    assert "evenAndOddHeaders" in part_xml(content, "word/settings.xml")
    document = reopen(content)
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer, section.even_page_footer
    for footer in (odd, even):
        xml = footer._element.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
        assert footer.paragraphs[0].text.startswith("— ")
    assert odd.paragraphs[0].alignment == 2  # right
    assert even.paragraphs[0].alignment == 0  # left


def test_docx_imprint_lists_recipients_and_print_run():
    document = reopen(render_issue_docx(sample_issue()))
    texts = [p.text for p in all_paragraphs(document)]
    assert texts[-4:] == [
        "报：省文明办，市委、市人大、市政府、市政协领导",
        "送：市文明委各成员单位",
        "发：各县（市、区）文明办",
        "共印120份",
    ]


def test_docx_without_optional_parts():
    data = sample_issue(marking="", note="", footer={"report_to": None, "copy_to": "", "print_run": None})
    document = reopen(render_issue_docx(data))
    texts = [p.text for p in all_paragraphs(document)]
    assert "内部资料" not in texts
    assert not any(t.startswith("编者按") or t.startswith("共印") for t in texts)
    assert not document.tables


def test_number_text_variants():
    serial = reopen(render_issue_docx(sample_issue(serial=57)))
    assert any(p.text == "第1期（总第57期）" for p in serial.paragraphs)
    # The serial runs through supplements: a supplement shows it too.
    supplement = sample_issue(is_supplement=True, number=2, serial=30)
    assert "\n增刊第2期（总第30期）\n" in render_issue_txt(supplement)
    document = reopen(render_issue_docx(supplement))
    assert any(p.text == "增刊第2期（总第30期）" for p in document.paragraphs)
    assert "\n增刊第2期\n" in render_issue_txt(sample_issue(is_supplement=True, number=2))


def test_correction_notice_is_shown():
    data = sample_issue(is_correction=True, correction_note="第二篇标题有误，已更正。")
    assert "更正说明：第二篇标题有误，已更正。" in render_issue_txt(data)
    document = reopen(render_issue_docx(data))
    assert any(p.text == "更正说明：第二篇标题有误，已更正。" for p in document.paragraphs)


def test_markup_like_text_survives_literally():
    data = sample_issue(series_title="周口精神文明建设")
    article = data["columns"][0]["articles"][0]
    article["title"] = "标题" + TRICKY
    article["paragraphs"] = [TRICKY, "制表\t符号"]
    data["note"] = TRICKY
    data["footer"]["issue_to"] = TRICKY

    content = render_issue_docx(data)
    texts = "\n".join(p.text for p in all_paragraphs(reopen(content)))
    assert texts.count(TRICKY) == 5  # TOC title, note, body title, paragraph, imprint
    assert "制表\t符号" in texts
    assert "<b>" not in part_xml(content, "word/document.xml")

    text = render_issue_txt(data)
    assert text.count(TRICKY) == 5
    assert "制表\t符号" in text


def test_docx_refuses_control_characters_with_a_message():
    data = sample_issue()
    data["columns"][0]["articles"][0]["paragraphs"][0] = "坏\x07字符"
    with pytest.raises(ValueError, match="控制字符"):
        render_issue_docx(data)


def test_txt_edition_resembles_the_printed_text():
    data = sample_issue()
    text = render_issue_txt(data)
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[:7] == [
        "内部资料",
        "周口精神文明建设",
        "简报",
        "第1期",
        "周口市文明办",
        "2024年1月10日",
        "【工作动态】",
    ]
    assert_in_order(text, expected_sequence(data))
    assert "\n\n编者按：岁末年初，各地各单位扎实开展创建工作。\n\n　　现将有关情况编发" in text
    assert "\n\n全市创文创卫工作推进会召开\n\n　　12月28日，" in text
    assert "\n\n　　3人入选2023年下半年“河南好人榜”。12月28日，" in text
    assert "\n\n　　我市举行书香周口第二届全民阅读大会开幕式！1月5日" in text
    assert "\n\n（供稿：市信用办　作者：张明）\n\n" in text
    assert blocks[-4:] == [
        "报：省文明办，市委、市人大、市政府、市政协领导",
        "送：市文明委各成员单位",
        "发：各县（市、区）文明办",
        "共印120份",
    ]
    assert text.endswith("共印120份\n")


def test_txt_edition_parses_back_with_the_seed_parser():
    from wenming.briefings.tests.seed import parse_seed

    data = sample_issue(marking="", note="", footer={})
    data["columns"][0]["articles"][1].update(source_unit="", author="")
    # The seed parser spots a lead-in item by "标题。", as in the printed text.
    data["columns"][1]["articles"][1]["title"] = "我市举行书香周口第二届全民阅读大会开幕式"
    back = parse_seed(render_issue_txt(data))
    assert back["columns"] == data["columns"]
    assert (back["series_title"], back["kind"], back["number"]) == ("周口精神文明建设", "简报", 1)


def _with_captions():
    data = sample_issue()
    full, lead_in = data["columns"][0]["articles"][1], data["columns"][1]["articles"][0]
    full["captions"] = ["图为发布会现场。", "▲红名单企业代表领取证书"]
    lead_in["captions"] = ["图为上榜人物合影。"]
    return data


def test_docx_prints_photo_captions_under_the_text_centred_in_kaiti():
    document = reopen(render_issue_docx(_with_captions()))
    texts = [p.text for p in document.paragraphs]
    caption = last_paragraph(document, "图为发布会现场。")
    assert caption.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert caption.runs[0].element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    # After the last paragraph, before the byline, as the PDF sets them.
    at = texts.index("图为发布会现场。")
    assert texts[at - 1] == "4个市场、152家企业被列入法人红名单。"
    assert texts[at + 1] == "▲红名单企业代表领取证书"
    assert texts[at + 2] == "（供稿：市信用办　作者：张明）"
    assert texts.index("图为上榜人物合影。") > texts.index(
        "3人入选2023年下半年“河南好人榜”。12月28日，河南省文明办公布上榜人物名单。")


def test_txt_prints_photo_captions_under_the_text():
    text = render_issue_txt(_with_captions())
    assert ("\u3000\u30004个市场、152家企业被列入法人红名单。\n\n"
            "\u3000\u3000图为发布会现场。\n\n\u3000\u3000▲红名单企业代表领取证书\n\n"
            "（供稿：市信用办　作者：张明）") in text
    assert "河南省文明办公布上榜人物名单。\n\n\u3000\u3000图为上榜人物合影。" in text


def test_txt_captions_parse_back_as_captions():
    from wenming.briefings.importer import parse_bytes

    back = parse_bytes(render_issue_txt(_with_captions()).encode()).structure
    article = back["columns"][0]["articles"][1]
    assert article["captions"] == ["图为发布会现场。", "▲红名单企业代表领取证书"]
    assert article["paragraphs"][-1] == "4个市场、152家企业被列入法人红名单。"
