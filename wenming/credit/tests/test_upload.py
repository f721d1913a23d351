"""Department uploads: the template, robust reading, row-by-row checking in
Chinese, conflicts, and all-or-nothing import."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from wenming.accounts import roles
from wenming.accounts.tests.factories import make_unit, make_user
from wenming.audit.models import AuditEvent
from wenming.core.errors import DomainError
from wenming.core.uscc import make_uscc, registration_check_digit
from wenming.credit import services
from wenming.credit.imports import ImportErrors
from wenming.credit.models import Entity, Listing, Upload
from wenming.credit.tests.factories import (
    LEGAL_HEADERS,
    NATURAL_HEADERS,
    as_file,
    code,
    csv_bytes,
    id_number,
    legal_row,
    make_list,
    natural_row,
    sheet_bytes,
    upload,
)


@pytest.fixture
def dept_liaison(world):
    return make_user("dora", roles.LIAISON, unit=world["dept"], full_name="市场监管联络员")


@pytest.fixture
def red(people):
    return make_list(people["editor"])


def _post(client, credit_list, content, name="名单.xlsx", **data):
    return client.post(reverse("credit:list_upload", args=[credit_list.pk]),
                       {"file": as_file(content, name), **data})


def test_department_downloads_template_with_header_on_row_3(client, dept_liaison, red):
    client.force_login(dept_liaison)
    response = client.get(reverse("credit:list_template", args=[red.pk]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb["名单"]
    assert "法人红名单报送表" in ws["A1"].value
    assert [c.value for c in ws[3]][:3] == ["*主体名称", "*统一社会信用代码", "主体类型"]
    assert wb["选项"].sheet_state == "hidden"
    assert "纳税信用A级" in [c.value for c in wb["选项"]["A"]]
    assert "失信被执行人" not in [c.value for c in wb["选项"]["A"]]
    assert len(ws.data_validations.dataValidation) == 2
    assert "填写说明" in wb.sheetnames


def test_filled_template_imports(client, dept_liaison, red):
    client.force_login(dept_liaison)
    wb = load_workbook(io.BytesIO(client.get(
        reverse("credit:list_template", args=[red.pk])).content))
    ws = wb["名单"]
    for r, row in enumerate([
            legal_row("周口市鑫源食品有限公司", code(1), detail="连续三年纳税信用A级"),
            legal_row("七一路农贸市场", code(2), "诚信示范市场", kind="市场", legal_rep="")],
            start=4):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    buf = io.BytesIO()
    wb.save(buf)
    response = _post(client, red, buf.getvalue())
    assert response.status_code == 302
    listings = Listing.objects.filter(credit_list=red).select_related("entity", "department")
    assert [li.entity.name for li in listings] == ["周口市鑫源食品有限公司", "七一路农贸市场"]
    assert {li.department.name for li in listings} == {"市市场监督管理局"}
    market = Entity.objects.get(code=code(2))
    assert market.kind == Entity.Kind.MARKET
    # District from the credit code's region (411602 → 川汇区).
    assert market.district.name == "川汇区"
    upload_ = Upload.objects.get()
    assert upload_.rows == 2 and upload_.uploaded_by == dept_liaison
    assert [li.row_number for li in listings] == [4, 5]
    assert AuditEvent.objects.filter(verb="credit_list.upload").count() == 1
    # Imported in the background; the task page says what came of it.
    page = client.get(response.url).content.decode()
    assert "已导入市市场监督管理局报送的2条记录" in page
    assert reverse("credit:list_detail", args=[red.pk]) in page


def test_merged_two_level_header_and_extra_sheet(people, world, red):
    content = sheet_bytes([legal_row("鑫源食品有限公司", code(1))], header_row=3, merged=True,
                          extra_sheet=True)
    upload_, _ = services.upload_listings(people["editor"], red, world["dept"], as_file(content))
    assert upload_.rows == 1
    assert Listing.objects.get().row_number == 4


def test_header_found_on_row_5_of_a_plain_sheet(people, world, red):
    content = sheet_bytes([legal_row("鑫源食品有限公司", code(1))], header_row=5)
    upload_, _ = services.upload_listings(people["editor"], red, world["dept"], as_file(content))
    assert upload_.rows == 1


def test_gbk_csv(people, world, red):
    content = csv_bytes([legal_row("周口市鑫源食品有限公司", code(1), "守合同重信用")])
    assert "周口".encode("gbk") in content
    upload_, _ = services.upload_listings(people["editor"], red, world["dept"],
                                          as_file(content, "名单.csv"))
    assert Listing.objects.get().get_basis_display() == "守合同重信用"
    assert Entity.objects.get().name == "周口市鑫源食品有限公司"


def test_codes_typed_as_numbers_and_real_dates(people, world, red):
    from datetime import datetime

    number = "41160200000123" + registration_check_digit("41160200000123")
    row = legal_row("老字号商行", int(number), kind="个体工商户")
    row[9] = datetime(2023, 11, 20)
    _, warnings = services.upload_listings(people["editor"], red, world["dept"],
                                           as_file(sheet_bytes([row])))
    entity = Entity.objects.get()
    assert entity.code == number and entity.kind == Entity.Kind.INDIVIDUAL_BUSINESS
    assert Listing.objects.get().decided_on.isoformat() == "2023-11-20"
    assert any("第4行：这是旧的15位工商注册号" in w for w in warnings)


def test_formulas_are_never_evaluated(people, world, red):
    wb = Workbook()
    ws = wb.active
    ws.append(LEGAL_HEADERS)
    ws.append(legal_row("鑫源食品有限公司", code(1)))
    ws.append(legal_row('=HYPERLINK("http://evil.example","点我")', code(2)))
    ws["B3"] = '=CONCATENATE("9141","1602")'
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ImportErrors) as e:
        services.upload_listings(people["editor"], red, world["dept"], as_file(buf.getvalue()))
    assert any(err.startswith("第3行“主体名称”列（A列）：是公式“=HYPERLINK(") for err in e.value.errors)
    assert any("第3行“统一社会信用代码”列（B列）：是公式" in err for err in e.value.errors)
    assert not Listing.objects.exists() and not Entity.objects.exists()


def test_every_error_by_row_and_column_and_nothing_imported(client, people, red):
    client.force_login(people["editor"])
    rows = [
        legal_row("鑫源食品有限公司", code(1)),                        # row 4: fine
        legal_row("", code(2)),                                        # 5: empty name
        legal_row("华泰建材有限公司", "91411602MA9F3K2L2X"),            # 6: bad check char
        legal_row("隆盛商贸有限公司", code(3), "失信被执行人"),          # 7: black basis
        legal_row("恒兴物流有限公司", code(4), decided="2023年13月1日"),  # 8: bad date
        legal_row("鑫源食品有限公司", code(1)),                        # 9: duplicate of row 4
        legal_row("瑞祥电器有限公司", code(5), district="火星区"),       # 10: unknown district
        legal_row("昌丰超市有限公司", code(6), valid_until="2020-01-01"),  # 11: before decision
        legal_row("福顺家具有限公司", code(7), kind="自然人"),            # 12: person on legal list
        legal_row("OK商行", "91411602MA9F3K2LOX"),                      # 13: letter O
    ]
    dept = people["editor"].unit.parent.children.get(name="市市场监督管理局")
    response = _post(client, red, sheet_bytes(rows), department=dept.pk)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "失败" in page
    assert "文件有 10 处错误，未导入任何数据" in page or "处错误，未导入任何数据" in page
    expected = [
        "第5行“主体名称”列（A列）：不能为空。",
        "第6行“统一社会信用代码”列（B列）：“91411602MA9F3K2L2X”无效：校验未通过：",
        "第7行“列入事由类别”列（G列）：“失信被执行人”不是红名单的事由类别",
        "第8行“认定日期”列（J列）：“2023年13月1日”不是日期",
        "第9行“统一社会信用代码”列（B列）：与第4行是同一主体",
        "第10行“所在县（市、区）”列（E列）：“火星区”不是平台中的县（市、区）。",
        "第11行“有效期至”列（K列）：有效期至早于认定日期。",
        "第12行“主体类型”列（C列）：法人名单不能列入自然人",
        "第13行“统一社会信用代码”列（B列）：“91411602MA9F3K2LOX”无效：第17位“O”",
    ]
    for message in expected:
        assert message in page, message
    assert not Listing.objects.exists() and not Entity.objects.exists()
    assert not Upload.objects.exists()


def test_empty_file_and_missing_header(people, world, red):
    with pytest.raises(ImportErrors) as e:
        services.upload_listings(people["editor"], red, world["dept"],
                                 as_file(sheet_bytes([])))
    assert e.value.errors == ["文件中没有数据行：请在表头下方逐行填写。"]
    wb = Workbook()
    wb.active.append(["名称", "电话"])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(DomainError) as e:
        services.upload_listings(people["editor"], red, world["dept"], as_file(buf.getvalue()))
    assert "没有找到表头" in e.value.message and "“统一社会信用代码”" in e.value.message


def test_old_xls_and_other_files_are_refused_clearly(people, world, red):
    for name, message in [("名单.xls", "另存为"), ("名单.pdf", "只能上传"),
                          ("名单.xlsx", "无法读取 Excel 文件")]:
        with pytest.raises(DomainError) as e:
            services.upload_listings(people["editor"], red, world["dept"],
                                     as_file(b"not a spreadsheet", name))
        assert message in e.value.message


def test_name_must_match_the_entity_known_under_the_code(people, world, red):
    upload(people["editor"], red, world["dept"], [legal_row("周口市鑫源食品有限公司", code(1))])
    tax = make_unit("市税务局", world["dept"].kind, world["city"])
    # Spelling variants of the same name are fine …
    black = make_list(people["editor"], color="black")
    other = make_list(people["editor"], year=2024)
    upload(people["editor"], other, tax, [legal_row("河南省周口市鑫源食品有限责任公司", code(1))])
    # … another name under the same code is not.
    with pytest.raises(ImportErrors) as e:
        upload(people["editor"], black, tax,
               [legal_row("鑫达食品有限公司", code(1), "重大税收违法失信")])
    assert "统一社会信用代码在平台中登记的名称为“周口市鑫源食品有限公司”，与本行“鑫达食品有限公司”不一致" \
        in e.value.errors[0]


def test_same_entity_cannot_be_on_red_and_black_list(people, world, red):
    upload(people["editor"], red, world["dept"], [legal_row("鑫源食品有限公司", code(1))])
    black = make_list(people["editor"], color="black")
    tax = make_unit("市税务局", world["dept"].kind, world["city"])
    with pytest.raises(ImportErrors) as e:
        upload(people["editor"], black, tax,
               [legal_row("鑫源食品有限公司", code(1), "重大税收违法失信")])
    assert "同一主体不能同时列入红名单和黑名单" in e.value.errors[0]
    assert "市市场监督管理局" in e.value.errors[0]


def test_duplicates_across_and_within_departments(people, world, red):
    upload(people["editor"], red, world["dept"], [legal_row("鑫源食品有限公司", code(1))])
    tax = make_unit("市税务局", world["dept"].kind, world["city"])
    with pytest.raises(ImportErrors) as e:
        upload(people["editor"], red, tax, [legal_row("鑫源食品有限公司", code(1))])
    assert "已由市市场监督管理局报送列入本名单（纳税信用A级），不能重复列入" in e.value.errors[0]
    with pytest.raises(ImportErrors) as e:
        upload(people["editor"], red, world["dept"], [legal_row("鑫源食品有限公司", code(1))])
    assert "本部门已报送该主体列入本名单" in e.value.errors[0]


def test_namesake_under_another_code_is_a_warning(people, world, red):
    upload(people["editor"], red, world["dept"], [legal_row("鑫源食品有限公司", code(1))])
    _, warnings = upload(people["editor"], red, world["dept"],
                         [legal_row("周口鑫源食品有限公司", code(2))])
    assert any("平台中已有同名主体“鑫源食品有限公司”" in w for w in warnings)


def test_organisation_code_mismatch_is_imported_with_a_warning(people, world, red):
    from wenming.core.uscc import uscc_check_char

    first17 = "91411602MA9F3K2L0"
    odd = first17 + uscc_check_char(first17)
    _, warnings = upload(people["editor"], red, world["dept"], [legal_row("鑫源食品有限公司", odd)])
    assert Entity.objects.get().code == odd
    assert any("GB 11714" in w for w in warnings)


def test_natural_person_list_checks_id_numbers_and_keeps_phones(people, world):
    black = make_list(people["editor"], color="black", subject="natural")
    number = id_number(1)
    upload(people["editor"], black, world["dept"], [natural_row("王某某", number)],
           headers=NATURAL_HEADERS)
    person = Entity.objects.get()
    assert person.kind == Entity.Kind.PERSON and person.id_number == number
    assert person.phone == "13800138000" and person.code == ""
    with pytest.raises(ImportErrors) as e:
        upload(people["editor"], black, world["dept"],
               [natural_row("李某某", number[:17] + ("0" if number[17] != "0" else "1"))],
               headers=NATURAL_HEADERS)
    assert "第4行“身份证号码”列（B列）：身份证号码第18位校验码应为" in e.value.errors[0]


def test_liaison_uploads_only_for_own_department(people, world, dept_liaison, red):
    rows = [legal_row("鑫源食品有限公司", code(1))]
    with pytest.raises(PermissionDenied):
        upload(dept_liaison, red, world["chuanhui"], rows)
    with pytest.raises(PermissionDenied):
        upload(people["liaison"], red, world["dept"], rows)
    upload(dept_liaison, red, world["dept"], rows)


def test_liaison_sees_only_own_departments_listings(client, people, world, dept_liaison, red):
    upload(people["editor"], red, world["dept"], [legal_row("鑫源食品有限公司", code(1))])
    tax = make_unit("市税务局", world["dept"].kind, world["city"])
    upload(people["editor"], red, tax, [legal_row("华泰商贸有限公司", code(2))])
    client.force_login(dept_liaison)
    page = client.get(reverse("credit:list_detail", args=[red.pk])).content.decode()
    assert "鑫源食品有限公司" in page and "华泰商贸有限公司" not in page
    other = Listing.objects.get(entity__code=code(2))
    assert client.get(reverse("credit:listing_detail", args=[other.pk])).status_code == 404


def test_uploads_stop_once_review_starts(people, world, red):
    upload(people["editor"], red, world["dept"], [legal_row("鑫源食品有限公司", code(1))])
    services.submit_for_review(people["editor"], red)
    with pytest.raises(DomainError) as e:
        upload(people["editor"], red, world["dept"], [legal_row("华泰商贸有限公司", code(2))])
    assert "已停止接收报送" in e.value.message


def test_social_organisation_kind_from_code(people, world, red):
    upload(people["editor"], red, world["dept"],
           [legal_row("周口市餐饮行业协会", make_uscc("5", "1", "411600", "MJY12345"), kind="")])
    assert Entity.objects.get().kind == Entity.Kind.SOCIAL_ORGANISATION
