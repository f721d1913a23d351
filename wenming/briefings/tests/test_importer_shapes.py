"""Briefings in other shapes than the seed: more columns, an editor's note,
总第N期, 增刊, a footer, a GBK file, no table of contents, text dumped by
other PDF tools."""

import copy
import subprocess
from pathlib import Path

import pytest

from wenming.briefings.importer import parse_bytes, parse_file
from wenming.briefings.importer.text import ends_sentence
from wenming.briefings.render.pdf import render_issue_pdf
from wenming.briefings.tests.importing import COUNTY, comparable, structure_of
from wenming.core.testing import poppler_tool

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def county():
    return parse_file(DATA / "county_four_columns.txt")


def test_masthead_with_marking_serial_and_letter_spaced_kind(county):
    d = county.structure
    assert (d["series"], d["kind"], d["year"], d["number"], d["serial"]) == \
        ("淮阳文明创建", "工作简报", 2023, 12, 148)
    assert (d["issuer"], d["date"], d["marking"]) == ("淮阳区文明办", "2023-12-29", "内部资料　注意保存")


def test_four_columns_in_table_of_contents_order(county):
    assert [(c["name"], len(c["articles"])) for c in county.structure["columns"]] == \
        [("要闻", 2), ("基层动态", 2), ("简讯", 3), ("经验交流", 1)]


def test_toc_leaders_page_numbers_and_wrapped_entries_are_matched(county):
    titles = [a["title"] for c in county.structure["columns"] for a in c["articles"]]
    assert titles[0] == "区委常委会专题研究部署2024年全国文明城市创建工作"  # no "……1"
    assert titles[3] == "白楼镇开展“小手拉大手”文明实践活动"  # broken over two lines in the body
    assert titles[6] == "区图书馆开展“我们的节日·元旦”主题阅读活动，吸引上百名市民参加"
    assert titles[2] == "城关镇：“五星”支部引领 文明新风入户"  # the author's space stays


def test_editors_note_between_toc_and_body(county):
    assert county.structure["note"] == (
        "岁末年初，各乡镇（街道）、区直各单位认真总结全年创建工作。本期集中刊发部分单位的经验做法，"
        "供各单位学习借鉴。\n各单位要对照测评体系，查找差距，抓好整改。")


def test_paragraphs_survive_page_numbers_and_breaks(county):
    first = county.structure["columns"][0]["articles"][0]["paragraphs"]
    assert first[1:5] == ["会议要求：", "一是提高政治站位，把创建工作摆在更加突出的位置；",
                          "二是聚焦短板弱项，对照《全国文明城市测评体系（2023年版）》逐项整改；",
                          "三是压实工作责任，做到人员、经费、措施“三到位”。"]
    assert first[-1].endswith("确保各项任务落地见效。")
    news = county.structure["columns"][2]["articles"]
    assert all(a["lead_in"] for a in news)
    assert news[2]["paragraphs"] == ["活动设置了猜灯谜、写春联等环节，受到市民欢迎。"]
    for column in county.structure["columns"]:
        for article in column["articles"]:
            assert all(ends_sentence(p) for p in article["paragraphs"]), article["title"]


def test_credit_line_becomes_source_and_author(county):
    article = county.structure["columns"][1]["articles"][0]
    assert (article["source_unit"], article["author"]) == ("城关镇党委宣传办", "李明")
    assert article["paragraphs"][-1].endswith("为群众节省开支200余万元。")


def test_footer_with_wrapped_recipients_and_print_run(county):
    assert county.structure["footer"] == {
        "report_to": "市文明办，区委、区人大、区政府、区政协领导",
        "copy_to": "区文明委各成员单位，各乡镇（街道）党（工）委、办事处，区直各单位，各中小学校",
        "issue_to": "", "print_run": 80}
    assert county.structure["extras"] == ["责任编辑：王芳"]
    assert any("责任编辑：王芳" in w for w in county.warnings)


def test_supplement_without_table_of_contents():
    d = parse_file(DATA / "supplement_single_article.txt").structure
    assert (d["series"], d["kind"], d["number"], d["is_supplement"]) == \
        ("周口精神文明建设简报", "简报", 2, True)
    assert (d["issuer"], d["date"]) == ("周口市文明办", "2024-03-05")  # 二〇二四年三月五日
    [column] = d["columns"]
    [article] = column["articles"]
    assert article["title"] == "全市启动2024年学雷锋志愿服务月活动"
    assert len(article["paragraphs"]) == 3
    assert "引导广大群众积极参与志愿服务，推动" in article["paragraphs"][2]
    assert d["footer"]["report_to"] == "市委、市政府领导" and d["footer"]["issue_to"] == "各县（市、区）文明办"


def test_gbk_file_with_flat_table_of_contents():
    result = parse_file(DATA / "gbk_flat_toc.txt")
    d = result.structure
    assert result.extraction.encoding == "GBK/GB18030"
    assert (d["series"], d["number"], d["issuer"], d["date"]) == \
        ("川汇文明创建动态", 3, "川汇区文明办", "2024-05-20")
    assert d["note"].startswith("当前，创建工作进入攻坚阶段。")
    [column] = d["columns"]
    assert [a["title"] for a in column["articles"]] == [
        "川汇区召开背街小巷环境整治推进会", "七一路街道开展“邻里守望”志愿服务活动"]
    assert column["articles"][1]["source_unit"] == "七一路街道办事处"


@pytest.fixture(scope="module")
def county_pdf():
    return render_issue_pdf(COUNTY)


@pytest.mark.parametrize("mode", [[], ["-layout"]], ids=["raw", "layout"])
def test_text_dumped_by_pdftotext_keeps_titles_and_text(county_pdf, mode):
    dump = subprocess.run([poppler_tool("pdftotext"), *mode, "-", "-"], input=county_pdf,
                          capture_output=True, check=True).stdout
    got = comparable(parse_bytes(dump).structure)
    want = structure_of(COUNTY)
    assert {k: v for k, v in got.items() if k != "columns"} == \
        {k: v for k, v in want.items() if k != "columns"}
    assert [[a["title"] for a in c["articles"]] for c in got["columns"]] == \
        [[a["title"] for a in c["articles"]] for c in want["columns"]]
    # A dump loses the layout: paragraphs may split or join differently,
    # but the words are all there and no paragraph ends mid-sentence.
    for c_got, c_want in zip(got["columns"], want["columns"], strict=True):
        for a_got, a_want in zip(c_got["articles"], c_want["articles"], strict=True):
            assert "".join(a_got["paragraphs"]) == "".join(a_want["paragraphs"])
            assert all(ends_sentence(p) for p in a_got["paragraphs"])


def _foreign_issue():
    traffic = [
        "近日，市文明办组织开展文明交通劝导志愿服务活动，全市共有2000余名志愿者走上街头，在主要路口"
        "开展文明交通劝导，引导市民自觉遵守交通规则，文明出行。",
        "活动期间，志愿者们手持小旗，向过往行人和非机动车驾驶人宣传交通安全知识，劝导闯红灯、逆行等"
        "不文明交通行为。",
        "一、强化组织领导",
        "各县（市、区）要把文明交通劝导作为常态化工作，明确专人负责，确保每个重点路口每天都有志愿者值守。",
        "下一步，市文明办将持续开展文明交通志愿服务，推动形成文明出行新风尚。",
    ]
    steward = [
        "川汇区在老旧小区推行“红色管家”服务模式，由社区党员担任楼栋长，收集群众诉求，协调解决停车难、"
        "飞线充电、垃圾乱堆等问题320余件。",
        "“以前有事不知道找谁，现在楼栋长天天在群里，一说就办。”居民王大姐说。",
    ]
    return {
        "head": "周口文明创建信息　2024年第6期",
        "masthead": ["周口文明创建信息", "2024年第6期（总第86期）",
                     "周口市精神文明建设委员会办公室　　2024年6月3日"],
        "toc": [["工作动态", ["全市开展文明交通劝导志愿服务活动",
                          "我市召开全国文明城市创建工作调度会议暨第二季度创建工作讲评会"]],
                ["基层传真", ["川汇区：小区里的“红色管家”"]]],
        "columns": [["工作动态", [["全市开展文明交通劝导志愿服务活动", traffic * 2],
                              ["我市召开全国文明城市创建工作调度会议暨第二季度创建工作讲评会",
                               traffic[:2] * 3]]],
                    ["基层传真", [["川汇区：小区里的“红色管家”", steward * 3]]]],
        "footer": ["报送：省文明办，市委、市政府领导", "发送：各县（市、区）文明办，市文明委成员单位",
                   "（共印150份）"],
    }


def test_pdf_in_another_offices_layout():
    from wenming.core.typst import render

    issue = _foreign_issue()
    result = parse_bytes(render(str(DATA / "foreign_layout.typ"), issue))
    d = result.structure
    assert result.extraction.pages >= 3
    assert (d["series"], d["kind"], d["year"], d["number"], d["serial"]) == \
        ("周口文明创建信息", "信息", 2024, 6, 86)
    assert (d["issuer"], d["date"]) == ("周口市精神文明建设委员会办公室", "2024-06-03")
    got = [[c["name"], [[a["title"], a["paragraphs"]] for a in c["articles"]]] for c in d["columns"]]
    assert got == issue["columns"]  # no running head, no page number inside the text
    assert d["footer"] == {"report_to": "省文明办，市委、市政府领导",
                           "copy_to": "", "issue_to": "各县（市、区）文明办，市文明委成员单位", "print_run": 150}


def _bold_titles_issue(centred):
    return {
        "centred": centred,
        "masthead": ["周口精神文明建设", "简报", "第3期", "周口市文明办　　　　2024年3月25日"],
        "columns": [
            ["工作动态", [
                ["全市新时代文明实践中心建设现场推进会暨志愿服务项目交流展示活动在川汇区召开", [
                    "3月20日，全市新时代文明实践工作推进会召开，会议总结了去年工作，部署了今年任务，"
                    "要求各地把文明实践阵地建设与基层治理结合起来，切实提升群众参与率和满意度。",
                    "会议强调，要坚持群众需要什么就提供什么，推动志愿服务常态化、项目化、品牌化。"]],
                ["我市启动文明交通劝导志愿服务", [
                    "3月22日起，全市在主要路口开展文明交通劝导志愿服务，每天早晚高峰各有两百余名志愿者上岗。"]],
                ["市文明办组织开展“我们的节日·清明”主题活动，引导群众文明祭扫、绿色低碳过清明", [
                    "清明节前，市文明办联合民政部门在各公墓设立文明祭扫服务点，发放倡议书一万余份，"
                    "引导群众以鲜花祭扫、网络祭扫等方式缅怀先人。",
                    "各地同步开展“网上祭英烈”活动，参与群众超过五万人次。"]]]],
            ["基层传真", [
                ["淮阳区：把文明实践站建到群众家门口，打通服务群众“最后一公里”的实践与探索", [
                    "淮阳区按照“一站一品”思路，在每个行政村建成新时代文明实践站，由村党支部书记任站长，"
                    "组建理论宣讲、移风易俗、邻里互助等志愿服务队。",
                    "今年以来，全区文明实践站累计开展活动一千二百余场，服务群众三万余人次。"]]]]],
        "footer": ["报：市委、市政府领导", "发：各县（市、区）文明办", "（共印100份）"],
    }


@pytest.mark.parametrize("centred", [False, True], ids=["flush-left", "centred"])
def test_pdf_bold_titles_wrapping_onto_two_lines_without_a_table_of_contents(centred):
    # The first line of a long title runs to the right margin (neither
    # centred nor indented), the second is short; one title sits at the
    # foot of a page with its text on the next.
    from wenming.core.typst import render

    issue = _bold_titles_issue(centred)
    result = parse_bytes(render(str(DATA / "bold_titles.typ"), issue))
    assert result.extraction.pages == 2
    got = [[c["name"], [[a["title"], a["paragraphs"]] for a in c["articles"]]]
           for c in result.structure["columns"]]
    assert got == issue["columns"]
    assert result.warnings == []


def test_our_pdf_with_titles_wrapping_onto_two_lines():
    # Titles long enough to wrap in the table of contents and in the body,
    # the longest over three lines of the body's centred heading.
    data = copy.deepcopy(COUNTY)
    longer = ["——全区上下形成合力攻坚的良好态势", "，为乡村振兴注入文明力量",
              "，打造老城区治理的样板工程", "，全年服务群众超过两万人次"]
    titled = [a for c in data["columns"] for a in c["articles"] if not a.get("lead_in")]
    for article, tail in zip(titled, longer, strict=False):
        article["title"] += tail
    result = parse_bytes(render_issue_pdf(data))
    assert comparable(result.structure) == structure_of(data)
    assert result.warnings == []


_BODY = ("\n【工作动态】\n全市召开创建工作推进会\n\n【工作动态】\n\n全市召开创建工作推进会\n\n"
         "　　6月3日，全市召开创建工作推进会。\n")


@pytest.mark.parametrize("masthead, expected", [
    ("周口文明创建简报\n（第5期）\n周口市精神文明建设委员会办公室　　　　2024年6月3日",
     ("周口文明创建简报", "简报", 2024, 5, None, "周口市精神文明建设委员会办公室", "")),
    ("内部资料\n注意保存\n周口精神文明建设\n简　报\n第5期\n总第125期\n周口市文明办编　　2024年6月3日",
     ("周口精神文明建设", "简报", 2024, 5, 125, "周口市文明办", "内部资料 注意保存")),
    ("周口精神文明建设\n2024年　第5期\n周口市文明办　　2024.6.3",
     ("周口精神文明建设", "简报", 2024, 5, None, "周口市文明办", "")),
    ("周口精神文明建设简报\n第五期\n周口市文明办\n二〇二四年六月三日",
     ("周口精神文明建设简报", "简报", 2024, 5, None, "周口市文明办", "")),
    ("周口精神文明建设\n工作简报\n〔2024〕第5期\n编发单位：周口市文明办　　　印发日期：2024年6月3日",
     ("周口精神文明建设", "工作简报", 2024, 5, None, "周口市文明办", "")),
    ("秘密★1年\n周口精神\n文明建设\n简报\n第5期（总第125期）\n周口市文明办　2024年6月3日",
     ("周口精神文明建设", "简报", 2024, 5, 125, "周口市文明办", "秘密★1年")),
], ids=["bracketed-number", "marking-and-serial-lines", "numeric-date", "chinese-numerals",
        "labels", "title-over-two-lines"])
def test_masthead_variants(masthead, expected):
    d = parse_bytes((masthead + "\n" + _BODY).encode()).structure
    got = (d["series"], d["kind"], d["year"], d["number"], d["serial"], d["issuer"], d["marking"])
    assert got == expected
    assert d["date"] == "2024-06-03"
    assert d["columns"][0]["articles"][0]["paragraphs"] == ["6月3日，全市召开创建工作推进会。"]


@pytest.fixture(scope="module")
def seed_text():
    from wenming.briefings.tests.seed import SEED_NAME
    from wenming.core.testing import shared_file

    return shared_file(*SEED_NAME).read_text(encoding="utf-8")


def _seed_toc(seed_text):
    start = seed_text.index("【工作动态】")
    body = seed_text.index("【工作动态】", start + 1)
    return start, body


def test_flat_toc_with_leaders_and_page_numbers(seed_text):
    start, body = _seed_toc(seed_text)
    entries = [line for line in seed_text[start:body].splitlines()
               if line.strip() and not line.startswith("【")]
    toc = "目　录\n" + "\n".join(f"{e}……………{n}" for n, e in enumerate(entries, 1)) + "\n\n"
    d = parse_bytes((seed_text[:start] + toc + seed_text[body:]).encode()).structure
    assert [(c["name"], len(c["articles"])) for c in d["columns"]] == [("工作动态", 3), ("文明时讯", 3)]
    assert d["columns"][1]["articles"][2]["title"] == \
        "商水县举行文化科技卫生“三下乡”暨新时代文明实践进乡村活动"


def test_plain_column_names_subtitles_and_toc_summaries(seed_text):
    start, body = _seed_toc(seed_text)
    toc = seed_text[start:body].replace(
        "全市创文创卫工作推进会召开\n",
        "全市创文创卫工作推进会召开\n\n会议通报创建工作进展，部署下一阶段任务。\n", 1)
    text = seed_text[body:].replace("【工作动态】", "工作动态", 1).replace(
        "全市创文创卫工作推进会召开\n", "全市创文创卫工作推进会召开\n\n——市委书记出席并讲话\n", 1)
    result = parse_bytes((seed_text[:start] + toc + text).encode())
    first = result.structure["columns"][0]["articles"][0]
    assert first["title"] == "全市创文创卫工作推进会召开——市委书记出席并讲话"
    assert first["paragraphs"][0].startswith("12月28日，全市创文创卫工作推进会召开")
    assert any("导读摘要" in w for w in result.warnings)


def test_editors_note_at_the_head_of_the_body(seed_text):
    _, body = _seed_toc(seed_text)
    after_header = body + len("【工作动态】")
    text = (seed_text[:after_header] + "\n\n编者按：岁末年初，全市各地各部门扎实开展创建工作。\n\n"
            "现将有关情况摘编如下。\n" + seed_text[after_header:])
    d = parse_bytes(text.encode()).structure
    assert d["note"] == "岁末年初，全市各地各部门扎实开展创建工作。\n现将有关情况摘编如下。"
    assert d["columns"][0]["articles"][0]["title"] == "全市创文创卫工作推进会召开"


def test_word_file_from_another_office():
    """Masthead and imprint in tables, a TOC with tab stops and page
    numbers, manual line breaks inside a title, empty paragraphs as spacing."""
    import io

    from docx import Document

    document = Document()
    masthead = document.add_table(rows=3, cols=1)
    for row, text in zip(masthead.rows, ["周口文明创建信息", "第6期", "周口市文明办　　2024年6月3日"],
                         strict=True):
        row.cells[0].text = text
    document.add_paragraph("")
    document.add_paragraph("【工作动态】")
    document.add_paragraph("全市开展文明交通劝导志愿服务活动\t1")
    document.add_paragraph("【文明时讯】")
    document.add_paragraph("川汇区开展“邻里节”活动\t2")
    document.add_paragraph("")
    document.add_paragraph("【工作动态】")
    title = document.add_paragraph("全市开展文明交通劝导")
    title.add_run().add_break()
    title.add_run("志愿服务活动")
    document.add_paragraph("近日，全市2000余名志愿者走上街头开展文明交通劝导")  # no full stop
    document.add_paragraph("活动期间，志愿者们向市民宣传交通安全知识。")
    document.add_paragraph("【文明时讯】")
    document.add_paragraph("川汇区开展“邻里节”活动。6月1日，川汇区各社区开展“邻里节”活动。")
    imprint = document.add_table(rows=2, cols=1)
    imprint.rows[0].cells[0].text = "报：市委、市政府领导"
    imprint.rows[1].cells[0].text = "周口市文明办　　　2024年6月3日印发"
    buffer = io.BytesIO()
    document.save(buffer)

    d = parse_bytes(buffer.getvalue()).structure
    assert (d["series"], d["number"], d["issuer"], d["date"]) == \
        ("周口文明创建信息", 6, "周口市文明办", "2024-06-03")
    first, second = (c["articles"][0] for c in d["columns"])
    assert first["title"] == "全市开展文明交通劝导志愿服务活动"
    # A Word paragraph is a paragraph, even without a full stop.
    assert first["paragraphs"] == ["近日，全市2000余名志愿者走上街头开展文明交通劝导",
                                   "活动期间，志愿者们向市民宣传交通安全知识。"]
    assert second["lead_in"] and second["paragraphs"] == ["6月1日，川汇区各社区开展“邻里节”活动。"]
    assert d["footer"]["report_to"] == "市委、市政府领导"
