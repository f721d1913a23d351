"""Every box where a credit code is typed checks it first and says what is
wrong: the public lookup, the staff entity search, screening by file and
over the API."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from wenming.core.uscc import ID_LIKE
from wenming.credit.tests.factories import code, csv_bytes, id_number, legal_row, published_list
from wenming.tasks.models import Task

FIRM = "鑫源食品有限公司"
# code(1) is 91411602MA0000015E; with its 15th character mistyped as 6, only
# putting the 0 back makes both check characters fit.
MISTYPED = code(1)[:14] + "6" + code(1)[15:]


@pytest.fixture
def listed(people, world):
    return published_list(people, world, [legal_row(FIRM, code(1))])


def _lookup(q):
    return Client().get(reverse("credit:lookup"), {"q": q}).content.decode()


def test_public_lookup_finds_a_valid_code_even_with_invisible_characters(listed):
    page = _lookup(code(1)[:6] + "\u200b" + code(1)[6:])
    assert FIRM in page
    assert "输入中含有不可见字符（零宽空格），已去除。" in page


def test_public_lookup_says_what_is_wrong_and_does_not_search(listed):
    page = _lookup(MISTYPED)
    assert "统一社会信用代码校验未通过，未作查询" in page
    assert "可能有一位字符输错，或相邻两位字符颠倒" in page
    assert FIRM not in page and "没有与" not in page


def test_public_lookup_names_a_dash(listed):
    page = _lookup(code(1)[:8] + "-" + code(1)[8:])
    assert "第9位是连字符“-”" in page and "去掉连字符后是有效的代码" in page
    assert FIRM not in page


def test_public_lookup_names_an_id_number_and_does_not_echo_it(listed):
    number = id_number(3)
    page = _lookup(number)
    assert ID_LIKE in page
    assert "不能按身份证号码或手机号码查询" in page
    assert number not in page


def test_public_lookup_masks_an_id_number_that_also_reads_as_a_credit_code(listed):
    # 114101 + 2001-03-04: positions 1-8 read 11 (机关) 410120 (郑州), and
    # some sequence numbers make both check characters fit too.
    from datetime import date

    from wenming.core.idcard import make_id_number
    from wenming.core.uscc import check_code

    number = next(n for n in (make_id_number("114101", date(2001, 3, 4), s) for s in range(1000))
                  if check_code(n).valid)
    page = _lookup(number)
    assert ID_LIKE in page and number not in page
    assert "不能按身份证号码或手机号码查询" in page


def test_public_lookup_by_name_is_not_checked(listed):
    page = _lookup("鑫源食品")
    assert FIRM in page and "校验" not in page


def test_staff_search_checks_what_looks_like_a_code(client, people, listed):
    client.force_login(people["editor"])
    url = reverse("credit:entity_list")
    page = client.get(url, {"q": MISTYPED}).content.decode()
    assert "若只错了一处，应是第15位有误。" in page
    assert "代码有误，未作查询。" in page and FIRM not in page
    page = client.get(url, {"q": id_number(3)}).content.decode()
    assert ID_LIKE in page
    page = client.get(url, {"q": " ".join([code(1)[:9], code(1)[9:].lower()])}).content.decode()
    assert FIRM in page and "校验未通过" not in page


@pytest.mark.parametrize("name", ["鑫源", "Xinyuan Food Co Ltd", "鑫源食品有限公司2023"])
def test_staff_search_takes_names_without_a_check(client, people, listed, name):
    client.force_login(people["editor"])
    page = client.get(reverse("credit:entity_list"), {"q": name}).content.decode()
    assert "校验未通过" not in page


def test_screening_file_has_a_code_check_column(client, people, listed):
    client.force_login(people["editor"])
    rows = [[FIRM, code(1)], ["没有上榜的公司", MISTYPED], ["王某某", id_number(3)],
            ["华泰商贸有限公司", ""]]
    response = client.post(reverse("credit:screen"), {
        "file": SimpleUploadedFile("待查.csv", csv_bytes(rows, headers=["名称", "统一社会信用代码"])),
        "min_score": "88"})
    # Screened in the background: the result is the task's download.
    task = Task.objects.get()
    assert response.url == reverse("tasks:detail", args=[task.pk])
    response = client.get(reverse("tasks:result", args=[task.pk]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = [[c.value for c in row] for row in book["筛查结果"].iter_rows()]
    assert sheet[0][2:5] == ["输入代码", "代码校验", "结果"]
    assert sheet[1][3:6] == ["有效", "命中", FIRM]
    # The mistyped code is not reported only as 未命中.
    assert sheet[2][3].startswith("校验未通过：") and sheet[2][4] == "未命中"
    assert sheet[3][3] == "有效（身份证号码）"
    assert sheet[4][3] is None
    summary = [[c.value for c in row] for row in book["汇总"].iter_rows()]
    assert ["代码校验未通过", 1] in summary


def test_screening_api_reports_the_code_check(client, people, listed):
    client.force_login(people["viewer"])
    rows = [{"name": FIRM, "code": code(1)}, {"name": "某公司", "code": "11010519491231002X"},
            {"name": "某公司", "code": "91-411602"}, {"name": "某公司"}]
    data = client.post("/api/credit/screen", json.dumps({"rows": rows}),
                       content_type="application/json").json()["rows"]
    assert (data[0]["code_valid"], data[0]["code_check"]) == (True, "有效")
    # The standard's own example ID number: valid as an ID number, which a
    # screening row may carry for a person.
    assert (data[1]["code_valid"], data[1]["code_check"]) == (True, "有效（身份证号码）")
    assert data[2]["code_valid"] is False and data[2]["code_check"].startswith("第3位是连字符")
    assert (data[3]["code_valid"], data[3]["code_check"]) == (None, "")
