"""Round trip: an issue rendered by our own renderers to PDF, DOCX or text
and imported again gives back the same structure."""

import copy

import pytest

from wenming.briefings.importer import parse_bytes
from wenming.briefings.render.docx import render_issue_docx
from wenming.briefings.render.pdf import render_issue_pdf
from wenming.briefings.render.txt import render_issue_txt
from wenming.briefings.tests.importing import COUNTY, SUPPLEMENT, comparable, structure_of
from wenming.briefings.tests.seed import seed_issue

RENDERERS = {
    "pdf": render_issue_pdf,
    "docx": render_issue_docx,
    "txt": lambda data: render_issue_txt(data).encode("utf-8"),
}


def _seed():
    data = seed_issue()
    data["serial"] = 25
    data["note"] = "本期刊发全市创文创卫工作推进会精神。\n请各地各单位认真贯彻落实。"
    data["footer"] = {"report_to": "市委、市政府领导", "copy_to": "省文明办",
                      "issue_to": "各县（市、区）文明办，市直各单位", "print_run": 100}
    return data


ISSUES = {"seed": _seed, "county": lambda: copy.deepcopy(COUNTY),
          "supplement": lambda: copy.deepcopy(SUPPLEMENT)}


@pytest.fixture(scope="module", params=sorted(ISSUES))
def issue(request):
    return ISSUES[request.param]()


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_round_trip_gives_back_the_same_structure(issue, fmt):
    result = parse_bytes(RENDERERS[fmt](issue))
    assert result.extraction.format == fmt
    assert comparable(result.structure) == structure_of(issue)
    assert result.warnings == []


@pytest.mark.parametrize("fmt", ["docx", "txt"])
def test_credits_come_back_from_word_and_text(fmt):
    data = copy.deepcopy(SUPPLEMENT)
    article = data["columns"][0]["articles"][0]
    article.update(source_unit="川汇区文明办", author="张三")
    parsed = parse_bytes(RENDERERS[fmt](data)).structure["columns"][0]["articles"][0]
    assert (parsed["source_unit"], parsed["author"]) == ("川汇区文明办", "张三")
    assert parsed["paragraphs"] == article["paragraphs"]


def test_pdf_text_layer_gives_line_numbers_and_pages():
    result = parse_bytes(render_issue_pdf(COUNTY))
    extraction = result.extraction
    assert extraction.pages >= 3
    assert extraction.source[:3] == ["内部资料", "淮阳文明创建", "工 作 简 报"]
    assert result.roles[2] == "masthead"
    titles = [extraction.source[no - 1] for no, role in result.roles.items() if role == "title"]
    assert titles[0].startswith("区委常委会专题研究部署")
