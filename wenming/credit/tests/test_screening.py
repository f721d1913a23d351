"""Screening rows against the published lists: by code, by normalised name,
fuzzy with a score and a reason; over the API, the command and the page."""

import io
import json
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from wenming.accounts import roles
from wenming.credit.models import Listing
from wenming.credit.screening import ScreenIndex, Target, build_index
from wenming.credit.tests.factories import (
    NATURAL_HEADERS,
    code,
    csv_bytes,
    id_number,
    legal_row,
    make_list,
    natural_row,
    published_list,
    upload,
)
from wenming.tasks.models import Task

FIRMS = ["鑫源食品有限公司", "华泰建筑工程有限公司", "龙腾网络科技有限公司", "宏达食品有限公司",
         "周口市恒兴物流有限公司", "瑞祥商贸有限公司", "金龙网络科技有限公司", "天成建筑工程有限公司"]


def _index():
    return ScreenIndex(Target(entity_id=i, name=name, code=code(i)) for i, name in enumerate(FIRMS))


def _top(index, name, code_="", **kwargs):
    matches = index.match(name, code_, **kwargs)
    return (matches[0].target.name, matches[0].method, round(matches[0].score)) if matches \
        else None


def test_code_match_wins_whatever_the_name():
    index = _index()
    matches = index.match("随便写的名字", code(1))
    assert matches[0].target.name == "华泰建筑工程有限公司" and matches[0].score == 100
    assert matches[0].reason.startswith("统一社会信用代码一致；名称不同")


def test_normalised_name_and_stem():
    index = _index()
    assert _top(index, "河南省周口市鑫源食品有限责任公司") == ("鑫源食品有限公司", "name", 100)
    assert _top(index, "鑫源（周口）食品股份有限公司") == ("鑫源食品有限公司", "name", 100)
    assert _top(index, "ＸＸ")[0:1] != ("鑫源食品有限公司",) if _top(index, "ＸＸ") else True
    assert _top(index, "恒兴物流") == ("周口市恒兴物流有限公司", "name", 96)


def test_slip_in_the_industry_words_matches():
    index = _index()
    name, method, score = _top(index, "龙腾网络科枝有限公司")
    assert (name, method) == ("龙腾网络科技有限公司", "fuzzy") and 90 <= score < 96
    reason = index.match("龙腾网络科枝有限公司")[0].reason
    assert reason.startswith("字号相同，名称其余部分有一字之差")


def test_other_trade_name_is_only_a_doubtful_match():
    index = _index()
    # 鑫达 and 鑫源 are different firms as often as not.
    assert index.match("鑫达食品有限公司") == []
    doubtful = index.match("鑫达食品有限公司", min_score=60)
    assert doubtful[0].target.name == "鑫源食品有限公司" and doubtful[0].score <= 80
    assert "字号不同，可能是另一主体" in doubtful[0].reason


def test_same_name_with_another_code_is_demoted():
    index = _index()
    assert index.match("鑫源食品有限公司", code(99)) == []
    demoted = index.match("鑫源食品有限公司", code(99), min_score=50)[0]
    assert demoted.score == 85 and "统一社会信用代码不同" in demoted.reason


def test_people_are_matched_by_id_number_only():
    number = id_number(1)
    index = ScreenIndex([Target(entity_id=1, name="王某某", id_number=number)])
    assert index.match("王某某") == []
    match = index.match("", number)[0]
    assert match.method == "code" and match.as_dict()["code"] == number[:4] + "*" * 10 + number[-4:]


@pytest.fixture
def lists(people, world):
    red = published_list(people, world, [legal_row(FIRMS[0], code(0)),
                                         legal_row(FIRMS[1], code(1), "守合同重信用")])
    black = make_list(people["editor"], color="black")
    upload(people["editor"], black, world["dept"], [
        legal_row(FIRMS[2], code(2), "市场监管行政处罚"),
        legal_row(FIRMS[3], code(3), "产品质量违法", valid_until=str(date.today() - timedelta(days=1)),
                  decided="2023-01-05"),
    ])
    from wenming.credit.tests.factories import publish

    publish(people, black)
    # A list still under review is not screened.
    pending = make_list(people["editor"], year=2024)
    upload(people["editor"], pending, world["dept"], [legal_row(FIRMS[4], code(4))])
    return red, black


def test_index_holds_current_published_listings_only(people, lists):
    index = build_index()
    names = sorted(t.name for t in index.targets)
    # FIRMS[3] expired yesterday; FIRMS[4] is not published.
    assert names == sorted(FIRMS[:3])
    black_listing = Listing.objects.get(entity__code=code(2))
    black_listing.status = Listing.Status.REMOVED
    black_listing.save()
    assert sorted(t.name for t in build_index().targets) == sorted(FIRMS[:2])


def test_api_screen(client, people, lists):
    url = "/api/credit/screen"
    payload = {"rows": [{"name": "河南省鑫源食品有限责任公司"},
                        {"name": "错名字", "code": code(2)},
                        {"name": "没有上榜的公司"}]}
    response = client.post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code == 401
    client.force_login(people["viewer"])
    response = client.post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["listed_entities"] == 3
    first, second, third = data["rows"]
    assert first["matches"][0]["entity"] == FIRMS[0]
    assert first["matches"][0]["method"] == "name"
    assert first["matches"][0]["listings"][0]["kind"] == "法人红名单"
    assert first["matches"][0]["listings"][0]["number"].startswith("文明信〔")
    assert second["matches"][0]["score"] == 100 and second["matches"][0]["method"] == "code"
    assert second["matches"][0]["listings"][0]["basis"] == "市场监管行政处罚"
    assert third["matches"] == []


def test_api_tells_anonymous_caller_to_sign_in_before_any_csrf_check(people, lists):
    browser = Client(enforce_csrf_checks=True)
    body = json.dumps({"rows": [{"name": "河南省鑫源食品有限责任公司"}]})
    response = browser.post("/api/credit/screen", body, content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "请先登录平台后再调用此接口。"}
    # A signed-in session still needs the CSRF token.
    browser.force_login(people["viewer"])
    response = browser.post("/api/credit/screen", body, content_type="application/json")
    assert response.status_code == 403
    browser.get(reverse("credit:screen"))
    response = browser.post("/api/credit/screen", body, content_type="application/json",
                            headers={"X-CSRFToken": browser.cookies["csrftoken"].value})
    assert response.status_code == 200 and response.json()["rows"][0]["matches"]


def test_api_refuses_too_many_or_no_rows(client, people, settings):
    client.force_login(people["viewer"])
    response = client.post("/api/credit/screen", json.dumps({"rows": []}),
                           content_type="application/json")
    assert response.status_code == 400 and "没有待筛查的行" in response.json()["detail"]
    rows = [{"name": f"公司{i}"} for i in range(10_001)]
    response = client.post("/api/credit/screen", json.dumps({"rows": rows}),
                           content_type="application/json")
    assert response.status_code == 400 and "一次最多筛查" in response.json()["detail"]


def test_command_screens_a_gbk_csv_into_escaped_xlsx(people, lists, tmp_path, capsys):
    source = tmp_path / "待查.csv"
    source.write_bytes(csv_bytes([["周口鑫源食品有限公司", ""], ["=1+2", ""],
                                  ["龙腾网络科技有限公司", code(2)]],
                                 headers=["单位名称", "统一社会信用代码"]))
    out = tmp_path / "结果.xlsx"
    call_command("credit", "screen", str(source), "-o", str(out))
    captured = capsys.readouterr()
    assert "命中 2，疑似 0，未命中 1" in captured.out
    assert "█" * 30 + " 100% 比对完成" in captured.err  # the progress bar
    ws = load_workbook(out)["筛查结果"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert rows[0][:6] == [2, "周口鑫源食品有限公司", None, None, "命中", FIRMS[0]]
    # The formula-looking input comes back as text, defused.
    assert rows[1][1] == "'=1+2" and rows[1][4] == "未命中"
    assert rows[2][3] == "有效"
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)


def test_screen_page_returns_results(client, people, lists):
    client.force_login(people["editor"])
    response = client.post(reverse("credit:screen"), {
        "file": SimpleUploadedFile("待查.csv", csv_bytes([["鑫源食品有限公司"]], headers=["名称"])),
        "min_score": "88"})
    # Screened in the background: the result is the task's download.
    task = Task.objects.get()
    assert response.url == reverse("tasks:detail", args=[task.pk])
    response = client.get(reverse("tasks:result", args=[task.pk]))
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content))["筛查结果"]
    assert ws["D1"].value == "代码校验" and ws["D2"].value is None
    assert ws["E2"].value == "命中" and ws["F2"].value == FIRMS[0]


def test_natural_person_screening_by_id(client, people, world):
    black = make_list(people["editor"], color="black", subject="natural")
    number = id_number(7)
    upload(people["editor"], black, world["dept"], [natural_row("王某某", number)],
           headers=NATURAL_HEADERS)
    from wenming.credit.tests.factories import publish

    publish(people, black)
    client.force_login(people["viewer"])
    data = client.post("/api/credit/screen", json.dumps({"rows": [
        {"name": "王某某"}, {"name": "王某某", "code": number}]}),
        content_type="application/json").json()
    assert data["rows"][0]["matches"] == []
    match = data["rows"][1]["matches"][0]
    assert match["code"] != number and match["code"].endswith(number[-4:])
    assert roles.is_office_editor(people["editor"])
