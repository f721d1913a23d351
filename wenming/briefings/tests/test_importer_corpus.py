"""The importer on real briefings (tests/corpus, one expected-structure
JSON beside each text): every one comes in, and the fields a person reads
in them are recovered."""

import pytest

from wenming.briefings.importer import parse_bytes, parse_file
from wenming.briefings.tests.corpus_score import fixtures, score

SCORE_FLOOR = 0.95  # fields right / total over the whole corpus


@pytest.fixture(scope="module")
def parsed():
    return [(path, expected, parse_file(path)) for path, expected in fixtures()]


def test_the_corpus_is_varied():
    found = fixtures()
    assert len(found) >= 15
    assert len({expected["source"].split("/")[2] for _, expected in found}) >= 15
    years = {expected["expect"]["year"] for _, expected in found}
    assert min(years) < 2005 and max(years) >= 2023


def test_every_briefing_comes_in_and_the_score_holds(parsed):
    right = total = 0
    for _path, expected, result in parsed:
        r, t, _ = score(result.structure, expected)
        right, total = right + r, total + t
    assert right / total >= SCORE_FLOOR, f"{right}/{total}"


def test_scoring_notices_a_wrong_field(parsed):
    path, expected, result = parsed[0]
    structure = {**result.structure, "number": 99}
    r, t, wrong = score(structure, expected)
    assert r == t - 1 and wrong == ["number: 99 ≠ 18"]


def _result(parsed, prefix):
    return next(result for path, _, result in parsed if path.name.startswith(prefix))


def test_traditional_characters_are_parsed_and_kept(parsed):
    result = _result(parsed, "03_")
    assert result.structure["serial"] == 16 and result.structure["series"] == "柘榮縣精神文明建設簡報"
    warning = next(w for w in result.warnings if "繁体字" in w)
    assert warning.startswith("第1行的“柘榮縣精神文明建設簡報”是繁体字") and warning.line == 1


def test_web_residue_is_stripped_and_each_strip_is_reported(parsed):
    result = _result(parsed, "06_")
    assert result.structure["series"] == "房县精神文明建设简报"
    assert {w.line for w in result.warnings} >= {1, 2, 3, 5}
    assert any("网页导航" in w for w in result.warnings)


def test_a_flattened_issue_is_reported_with_its_cause(parsed):
    result = _result(parsed, "07_")
    assert any("整期文字连成了一行" in w and w.line == 1 for w in result.warnings)
    assert result.confidence["articles"] < 1


def test_captions_credits_and_imprint_extras_are_kept_apart(parsed):
    article = _result(parsed, "08_").structure["columns"][0]["articles"][0]
    assert article["captions"] == ["图为启动仪式现场"]
    assert all("图为" not in p for p in article["paragraphs"])
    jiaozuo = _result(parsed, "02_").structure
    assert jiaozuo["extras"][0].startswith("准印号") and len(jiaozuo["extras"]) == 3
    assert all("准印号" not in p for c in jiaozuo["columns"] for a in c["articles"]
               for p in a["paragraphs"])


def test_numbered_items_without_titles_each_become_an_article(parsed):
    result = _result(parsed, "04_")
    items = result.structure["columns"][1]["articles"]
    assert items[3] == {"title": "孟封镇组织机关干部开展环境卫生集中大整治",
                        "paragraphs": ["孟封镇组织机关干部开展环境卫生集中大整治。"], "lead_in": False}
    assert items[0]["paragraphs"][0].startswith("西谷村以") and items[0]["title"] == "西谷村以“创新活力、悦动西谷”为主题开展群众文化汇演"
    warnings = [w for w in result.warnings if "编号短讯" in w]
    assert [w.line for w in warnings] == [15, 17, 19, 21]


def test_binary_junk_is_still_refused():
    from wenming.briefings.importer import ImportRefused

    with pytest.raises(ImportRefused, match="不是文本文件"):
        parse_bytes(bytes(range(256)) * 8)
