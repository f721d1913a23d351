"""Acceptance on the seed: the text dump of a real printed issue."""

import json
import re

import pytest
from django.core.management import call_command

from wenming.briefings.importer import parse_bytes, parse_file
from wenming.briefings.importer.text import ends_sentence
from wenming.briefings.tests.seed import SEED_NAME
from wenming.core.testing import shared_file


@pytest.fixture(scope="module")
def seed_path():
    return shared_file(*SEED_NAME)


@pytest.fixture(scope="module")
def seed(seed_path):
    return parse_file(seed_path).structure


def _squash(text):
    return "".join(text.split())


def _seed_sections(text):
    """The seed's own table of contents and body, read plainly: the TOC runs
    from the first 【栏目】 to where that header repeats."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = next(i for i, line in enumerate(lines) if line.startswith("【"))
    body = lines.index(lines[first], first + 1)
    return lines[first:body], lines[body:]


def test_seed_masthead(seed):
    assert (seed["series"], seed["kind"], seed["year"], seed["number"]) == \
        ("周口精神文明建设", "简报", 2024, 1)
    assert (seed["issuer"], seed["date"]) == ("周口市文明办", "2024-01-10")
    assert seed["serial"] is None and seed["is_supplement"] is False


def test_seed_columns_and_articles(seed):
    assert [(c["name"], len(c["articles"])) for c in seed["columns"]] == \
        [("工作动态", 3), ("文明时讯", 3)]


def test_seed_titles_equal_the_table_of_contents(seed, seed_path):
    toc, _ = _seed_sections(seed_path.read_text(encoding="utf-8"))
    entries = [_squash(line) for line in toc if not line.startswith("【")]
    titles = [_squash(a["title"]) for c in seed["columns"] for a in c["articles"]]
    assert titles == entries


def test_seed_paragraphs_are_the_body_text(seed, seed_path):
    _, body = _seed_sections(seed_path.read_text(encoding="utf-8"))
    body_text = _squash("".join(body))
    # What remains of the body once headers and titles are taken out
    # (a short news title leads its paragraph, followed by "。").
    for column in seed["columns"]:
        body_text = body_text.replace(f"【{column['name']}】", "", 1)
        for article in column["articles"]:
            title = _squash(article["title"]) + ("。" if article["lead_in"] else "")
            body_text = body_text.replace(title, "", 1)
    paragraphs = [p for c in seed["columns"] for a in c["articles"] for p in a["paragraphs"]]
    assert _squash("".join(paragraphs)) == body_text


def test_seed_paragraphs_end_at_sentence_ends(seed):
    for column in seed["columns"]:
        for article in column["articles"]:
            for paragraph in article["paragraphs"]:
                assert ends_sentence(paragraph), paragraph[-20:]


def test_page_breaks_inside_words_and_sentences_are_rejoined(seed):
    text = json.dumps(seed, ensure_ascii=False)
    assert "推动创建工作标准化、规范化" in text
    assert "歌曲、管弦乐、戏歌" in text
    assert "入选“见义勇为类”名单，太康县城市管理局" in text


def test_short_news_titles_lead_their_paragraph(seed):
    news = seed["columns"][1]["articles"]
    assert all(a["lead_in"] for a in news)
    assert news[0]["title"] == "3人入选2023年下半年“河南好人榜”"
    assert news[0]["paragraphs"][0].startswith("12月28日，河南省文明办公布")
    assert not any(a["lead_in"] for a in seed["columns"][0]["articles"])


def test_extraction_spaces_are_dropped(seed):
    first = seed["columns"][0]["articles"][0]["paragraphs"][0]
    assert first.startswith("12月28日，全市创文创卫工作推进会召开")
    second = seed["columns"][0]["articles"][1]
    assert second["title"] == "我市举行2023年度诚信建设“红黑榜”新闻发布会"
    assert "全市2023年度诚信建设" in second["paragraphs"][1]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_seed_in_other_encodings_parses_the_same(seed, seed_path, encoding):
    text = seed_path.read_text(encoding="utf-8")
    result = parse_bytes(text.replace("\n", "\r\n").encode(encoding))
    assert result.structure == seed
    assert result.extraction.format == "txt"


def test_parse_command_prints_json_and_touches_no_database(seed_path, seed, capsys):
    # No database fixture: any query would fail this test.
    call_command("briefing", "parse", str(seed_path))
    printed = json.loads(capsys.readouterr().out)
    warnings, confidence = printed.pop("warnings"), printed.pop("confidence")
    assert printed == seed
    assert warnings == [] and confidence["series"] == confidence["date"] == 1
    assert 0 < confidence["articles"] <= 1
    assert set(printed) >= {"series", "kind", "year", "number", "serial", "issuer", "date", "note",
                            "columns", "footer"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", printed["date"])
