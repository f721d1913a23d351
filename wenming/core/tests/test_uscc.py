"""The credit-code validator and decoder (GB 32100-2015), the old 15-digit
registration number, and citizen ID numbers (GB 11643). Pure functions: no
database."""

from datetime import date

import pytest

from wenming.core.idcard import (
    check_id_number,
    check_phone,
    make_id_number,
    mask_id_number,
    mask_phone,
)
from wenming.core.uscc import (
    ALPHABET,
    check_code,
    make_uscc,
    org_check_char,
    region_name,
    registration_check_digit,
    uscc_check_char,
)

# Codes of two well-known companies, as printed on their business licences.
HUAWEI = "914403001922038216"
TENCENT = "9144030071526726XG"


def test_alphabet_has_31_symbols_without_i_o_s_v_z():
    assert len(ALPHABET) == 31
    assert not set("IOSVZ") & set(ALPHABET)


@pytest.mark.parametrize("real", [HUAWEI, TENCENT])
def test_real_codes_are_valid(real):
    result = check_code(real)
    assert result.valid, result.errors
    assert result.errors == [] and result.warnings == []
    assert result.kind == "uscc"
    assert result.department == "市场监管（原工商）" and result.category == "企业"
    assert result.region_code == "440300" and result.region == "广东省"


def test_check_characters_by_hand():
    # Weights 3^(i-1) mod 31: 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.
    assert uscc_check_char("91440300192203821") == "6"
    # GB 11714: 19220382 · (3 7 9 10 5 8 4 2) = 164; 11 − 164 mod 11 = 1.
    assert org_check_char("19220382") == "1"
    # 71526726 gives 11 − 1 = 10, written X.
    assert org_check_char("71526726") == "X"


def test_org_check_of_eleven_is_zero():
    # Find a body whose weighted sum is divisible by 11: the check is "0".
    body = next(f"{n:08d}" for n in range(10_000, 20_000)
                if sum(int(c) * w for c, w in zip(f"{n:08d}", [3, 7, 9, 10, 5, 8, 4, 2],
                                                   strict=True)) % 11 == 0)
    assert org_check_char(body) == "0"


def test_constructed_zhoukou_code_decodes():
    code = make_uscc("9", "1", "411602", "MA9F3K2L")
    result = check_code(code)
    assert result.valid
    assert result.region == "河南省周口市川汇区"
    assert result.as_dict() == {
        "input": code, "code": code, "valid": True, "errors": [], "warnings": [],
        "kind": "uscc", "department": "市场监管（原工商）", "category": "企业",
        "region_code": "411602", "region": "河南省周口市川汇区",
    }


@pytest.mark.parametrize("department, category, expected_department, expected_category", [
    ("1", "1", "机构编制", "机关"),
    ("1", "2", "机构编制", "事业单位"),
    ("5", "1", "民政", "社会团体"),
    ("5", "2", "民政", "民办非企业单位"),
    ("5", "3", "民政", "基金会"),
    ("9", "2", "市场监管（原工商）", "个体工商户"),
    ("9", "3", "市场监管（原工商）", "农民专业合作社"),
    ("3", "1", "司法行政", "律师执业机构"),
    ("8", "1", "工会", "基层工会"),
    ("A", "1", "中央军委改革和编制办公室", "军队事业单位"),
    ("N", "2", "农业农村", "村级集体经济组织"),
    ("Y", "1", "其他", "其他（不再细分机构类别）"),
])
def test_letters_and_digits_in_the_first_two_positions(department, category,
                                                       expected_department, expected_category):
    # The pitfall: validators that want eight leading digits reject N2…, Y1…, A1….
    result = check_code(make_uscc(department, category, "411603", "12345678"))
    assert result.valid, result.errors
    assert (result.department, result.category) == (expected_department, expected_category)


def test_unknown_department_and_category_are_warnings_not_errors():
    result = check_code(make_uscc("B", "1", "411602", "12345678"))
    assert result.valid and result.department is None
    assert any("登记管理部门代码“B”" in w for w in result.warnings)
    result = check_code(make_uscc("9", "7", "411602", "12345678"))
    assert result.valid and result.category is None
    assert any("机构类别代码“7”" in w for w in result.warnings)


def test_lowercase_full_width_and_spaces_are_normalised():
    code = make_uscc("9", "1", "411621", "MA44XK3T")
    messy = " " + "".join(chr(ord(c) + 0xFEE0) for c in code[:9]) + " " + code[9:].lower()
    result = check_code(messy)
    assert result.valid and result.code == code and result.input == messy


def test_wrong_check_character_is_an_error():
    code = make_uscc("9", "1", "411602", "MA9F3K2L")
    wrong = code[:17] + ("1" if code[17] != "1" else "2")
    result = check_code(wrong)
    assert not result.valid
    assert result.errors == [f"第18位校验码应为“{code[17]}”，实为“{wrong[17]}”。"]


def test_wrong_organisation_check_is_only_a_warning():
    body = "MA9F3K2L"
    bad_org = body + ("0" if org_check_char(body) != "0" else "1")
    first17 = "91411602" + bad_org
    result = check_code(first17 + uscc_check_char(first17))
    assert result.valid
    assert result.warnings == [f"第9—17位组织机构代码“{bad_org}”的校验位应为"
                               f"“{org_check_char(body)}”，实为“{bad_org[-1]}”（GB 11714）。"]


@pytest.mark.parametrize("letter, hint", [("O", "0"), ("I", "1"), ("S", "5"), ("Z", "2")])
def test_excluded_letters_are_named_with_a_hint(letter, hint):
    code = make_uscc("9", "1", "411602", "MA9F3K2L")
    bad = code[:10] + letter + code[11:]
    result = check_code(bad)
    assert not result.valid
    assert f"第11位“{letter}”" in result.errors[0] and f"可能是“{hint}”之误" in result.errors[0]


def test_region_must_be_digits():
    result = check_code("91A1160212345678XX")
    assert not result.valid
    assert any("第3—8位“A11602”应为6位数字" in e for e in result.errors)


@pytest.mark.parametrize("text, message", [
    ("", "代码为空。"),
    ("   ", "代码为空。"),
    ("9141160212345", "代码共13位"),
    ("91411602MA9F3K2L2345", "代码共20位"),
])
def test_empty_and_wrong_length(text, message):
    result = check_code(text)
    assert not result.valid and result.errors[0].startswith(message)


def test_old_registration_number_is_accepted_and_flagged():
    number = "41160200000123" + registration_check_digit("41160200000123")
    result = check_code(number)
    assert result.valid and result.kind == "registration_number"
    assert result.region == "河南省周口市川汇区"
    assert any("旧的15位工商注册号" in w for w in result.warnings)
    wrong = number[:14] + str((int(number[14]) + 1) % 10)
    result = check_code(wrong)
    assert not result.valid and result.kind == "registration_number"
    assert "MOD 11,10" in result.errors[0]


def test_registration_check_digit_satisfies_iso_7064():
    # The hybrid system: running all 15 digits through must leave 1.
    for body in ["11010800000001", "41160200000123", "41162800012345"]:
        p = 10
        for ch in body + registration_check_digit(body):
            s = (p + int(ch)) % 10 or 10
            p = s * 2 % 11
        assert s == 1


def test_henan_regions():
    assert region_name("410000") == ("河南省", "")
    assert region_name("411600") == ("河南省周口市", "")
    for code, county in [("411602", "川汇区"), ("411603", "淮阳区"), ("411621", "扶沟县"),
                         ("411622", "西华县"), ("411623", "商水县"), ("411624", "沈丘县"),
                         ("411625", "郸城县"), ("411627", "太康县"), ("411628", "鹿邑县"),
                         ("411681", "项城市")]:
        assert region_name(code) == (f"河南省周口市{county}", "")
    assert region_name("410102")[0] == "河南省郑州市中原区"
    assert region_name("419001")[0] == "河南省济源市"
    assert region_name("410783")[0] == "河南省新乡市长垣市"


def test_abolished_county_in_an_old_code_is_named_with_a_warning():
    result = check_code(make_uscc("9", "1", "411626", "12345678"))
    assert result.valid and result.region == "河南省周口市淮阳县"
    assert any("原淮阳县" in w and "411603淮阳区" in w for w in result.warnings)


def test_unknown_henan_county_and_unknown_province_warn():
    result = check_code(make_uscc("9", "1", "411699", "12345678"))
    assert result.valid and result.region == "河南省周口市"
    assert any("未收录" in w for w in result.warnings)
    result = check_code(make_uscc("9", "1", "990000", "12345678"))
    assert result.valid and result.region is None
    assert any("不是已知的省级代码" in w for w in result.warnings)


def test_other_provinces_resolve_to_the_province():
    assert region_name("110108") == ("北京市", "")
    assert region_name("100000") == ("全国", "")


# Citizen ID numbers (GB 11643) and phones

def test_id_number_check_digit():
    number = make_id_number("411602", date(1985, 6, 15), 123)
    assert check_id_number(number) == (number, "")
    assert check_id_number(number.lower()) == (number, "")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert "第18位校验码" in check_id_number(wrong)[1]


def test_id_number_known_example():
    # The example number of GB 11643-1999 itself.
    assert check_id_number("11010519491231002X")[1] == ""


@pytest.mark.parametrize("text, message", [
    ("", "身份证号码为空"),
    ("41160219850615", "共14位"),
    ("4116021985061512AB", "前17位应为数字"),
    ("411602198513151234", "不是有效日期"),
])
def test_bad_id_numbers(text, message):
    assert message in check_id_number(text)[1]


def test_masks():
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_phone("13800138000") == "138****8000"
    assert check_phone("138 0013 8000") == ("13800138000", "")
    assert check_phone("0394-8888888") == ("03948888888", "")
    assert "格式不正确" in check_phone("12345")[1]
