"""The credit-code validator and decoder (GB 32100-2015), the old 15-digit
registration number, and citizen ID numbers (GB 11643). Pure functions: no
database."""

import random
from datetime import date, timedelta

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
    CATEGORIES,
    ID_LIKE,
    check_code,
    looks_like_code,
    make_uscc,
    org_check_char,
    prefectures,
    region_name,
    region_problem,
    registration_check_digit,
    single_fixes,
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
        "region_code": "411602", "region": "河南省周口市川汇区", "id_like": False,
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


def test_unknown_department_and_category_are_errors():
    result = check_code(make_uscc("B", "1", "411602", "12345678"))
    assert not result.valid and result.department is None
    assert any("第1位登记管理部门代码“B”不存在" in e for e in result.errors)
    result = check_code(make_uscc("9", "7", "411602", "12345678"))
    assert not result.valid and result.category is None
    assert "第2位机构类别代码“7”不是市场监管（原工商）部门的机构类别（可用的有1、2、3）。" in result.errors


# The pairs of the national table of registration departments and their
# categories (GB 32100-2015 and the later assignments).
VALID_PAIRS = {"1": "1239", "2": "19", "3": "123459", "4": "19", "5": "1239", "6": "129",
               "7": "129", "8": "19", "9": "123", "A": "19", "N": "1239", "Y": "1"}


def test_every_pair_of_the_table_is_accepted_and_no_other():
    for department in ALPHABET:
        for category in ALPHABET:
            result = check_code(make_uscc(department, category, "411602", "12345678"))
            expected = category in VALID_PAIRS.get(department, "") or (
                department + category in CATEGORIES)
            assert result.valid == expected, (department + category, result.errors)
    # G, J and Q were assigned after the standard; nothing else is.
    assert {k[0] for k in CATEGORIES} - set(VALID_PAIRS) == {"G", "J", "Q"}


@pytest.mark.parametrize("region, message", [
    ("990000", "第3—4位“99”不是省级行政区代码"),
    ("100100", "第3—4位“10”不是省级行政区代码"),
    ("010519", "第3—4位“01”不是省级行政区代码"),
    ("440012", "第5—6位为“00”（省级）时，第7—8位也应为“00”"),
    ("449900", "广东省没有代码为“99”的地级行政区（第5—6位）"),
    ("417500", "河南省没有代码为“75”的地级行政区（第5—6位）"),
])
def test_impossible_regions_are_errors(region, message):
    result = check_code(make_uscc("9", "1", region, "12345678"))
    assert not result.valid
    assert any(message in e for e in result.errors), result.errors


@pytest.mark.parametrize("region", ["100000", "440000", "441900", "442000", "419001", "429004",
                                    "371202", "652101", "540102", "810000", "820000"])
def test_real_regions_pass_including_abolished_prefectures(region):
    # 莱芜 (3712) and 吐鲁番地区 (6521) were abolished after credit codes began.
    assert region_problem(region) == ""
    assert check_code(make_uscc("9", "1", region, "12345678")).valid


def test_lowercase_full_width_and_spaces_are_normalised():
    code = make_uscc("9", "1", "411621", "MA44XK3T")
    messy = " " + "".join(chr(ord(c) + 0xFEE0) for c in code[:9]) + " " + code[9:].lower()
    result = check_code(messy)
    assert result.valid and result.code == code and result.input == messy


def test_wrong_check_character_does_not_blame_the_last_character():
    code = make_uscc("9", "1", "411602", "MA9F3K2L")
    wrong = code[:17] + ("1" if code[17] != "1" else "2")
    result = check_code(wrong)
    assert not result.valid and len(result.errors) == 1
    assert result.errors[0].startswith("校验未通过：")
    assert "可能有一位字符输错，或相邻两位字符颠倒" in result.errors[0]
    assert "应为" not in result.errors[0]


def test_a_unique_single_substitution_is_located():
    # 华为's code with its 15th character mistyped: only putting the 8 back
    # makes both check characters fit.
    result = check_code(HUAWEI[:14] + "5" + HUAWEI[15:])
    assert single_fixes(result.code) == [("substitution", 15, HUAWEI)]
    assert result.errors[0].endswith("若只错了一处，应是第15位有误。")


def test_a_unique_transposition_is_located():
    swapped = HUAWEI[:13] + HUAWEI[14] + HUAWEI[13] + HUAWEI[15:]
    result = check_code(swapped)
    assert single_fixes(swapped) == [("transposition", 14, HUAWEI)]
    assert result.errors[0].endswith("若只错了一处，应是第14位与第15位颠倒了。")


def test_no_position_is_named_when_several_fixes_fit():
    bad = HUAWEI[:14] + "3" + HUAWEI[15:]
    assert len(single_fixes(bad)) == 2
    message = check_code(bad).errors[0]
    assert "第" not in message.split("。", 1)[1]


def test_a_named_position_is_always_the_right_one():
    # Plain loop in place of a property test: random valid codes, one random
    # substitution or swap each. Whenever a place is named it must be where
    # the slip was, and a fix is named often enough to be worth it.
    rng = random.Random(20151001)
    named = tried = 0
    for _ in range(2000):
        code = _random_code(rng)
        i = rng.randrange(17)
        if rng.random() < 0.5:
            slip = code[:i] + rng.choice(ALPHABET.replace(code[i], "")) + code[i + 1:]
        else:
            slip = code[:i] + code[i + 1] + code[i] + code[i + 2:]
        if slip == code or check_code(slip).valid:
            continue
        tried += 1
        fixes = single_fixes(slip)
        assert code in [fix[2] for fix in fixes]
        if len(fixes) == 1:
            named += 1
            assert f"第{i + 1}位" in check_code(slip).errors[-1]
    assert named > tried // 4


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


def test_unknown_henan_county_warns():
    result = check_code(make_uscc("9", "1", "411699", "12345678"))
    assert result.valid and result.region == "河南省周口市"
    assert any("未收录" in w for w in result.warnings)


def test_other_provinces_resolve_to_the_province():
    assert region_name("110108") == ("北京市", "")
    assert region_name("100000") == ("全国", "")


# Typing and pasting slips

def test_dashes_are_named_not_silently_dropped():
    result = check_code(HUAWEI[:8] + "-" + HUAWEI[8:17] + "-" + HUAWEI[17])
    assert not result.valid
    assert result.errors == ["第9、19位是连字符“-”：统一社会信用代码中间没有连字符。",
                             f"去掉连字符后是有效的代码“{HUAWEI}”，请去掉连字符后重新填写。"]
    result = check_code("19220382-1")
    assert "旧的9位组织机构代码" in result.errors[1]
    result = check_code(HUAWEI[:8] + "—" + HUAWEI[8:16] + "7" + HUAWEI[17])
    assert result.errors[0] == "第9位是连字符“-”：统一社会信用代码中间没有连字符。"
    assert result.errors[1].startswith("去掉连字符后仍有问题：校验未通过")


@pytest.mark.parametrize("invisible, name", [("\u200b", "零宽空格"), ("\ufeff", "零宽不换行空格"),
                                             ("\u00a0", "不换行空格")])
def test_invisible_characters_are_removed_and_named(invisible, name):
    result = check_code(HUAWEI[:6] + invisible + HUAWEI[6:])
    assert result.valid and result.code == HUAWEI
    assert result.warnings == [f"输入中含有不可见字符（{name}），已去除。"]


def test_full_width_is_folded_and_said_but_look_alikes_are_not():
    full = "".join(chr(ord(c) + 0xFEE0) for c in HUAWEI)
    result = check_code(full)
    assert result.valid and result.warnings == ["输入中含有全角字符，已按半角字符核对。"]
    # A circled one is not a digit anyone typed on purpose.
    result = check_code(HUAWEI[:5] + "①" + HUAWEI[6:])
    assert not result.valid and "第6位“①”不是统一社会信用代码使用的字符" in result.errors[0]


@pytest.mark.parametrize("text, expected", [
    (HUAWEI, True),
    ("9144 0300 1922 0382 16", True),
    ("91440300-192203821-6", True),
    ("91440300192203821", True),
    ("９１４４０３００１９２２０３８２１６", True),
    ("11010519491231002X", True),
    ("鑫源食品有限公司", False),
    ("Microsoft China Co Ltd", False),
    ("周口市123456789012345", False),
    ("13800138000", False),
    ("19220382-1", False),
    ("1234", False),
])
def test_what_looks_like_a_code_attempt(text, expected):
    assert looks_like_code(text) is expected


# Citizen ID numbers in a credit-code field

def test_the_standards_example_id_number_is_named_as_one():
    result = check_code("11010519491231002X")
    assert not result.valid and result.id_like
    assert result.errors == [ID_LIKE] and result.warnings == []
    assert result.region is None and result.department is None


def test_an_id_number_passing_the_check_character_is_still_caught():
    # One ID number in 31 passes the credit code's check character: this
    # one is 411602 + 1985-01-01 and was found by counting up the sequence.
    number = next(n for n in (make_id_number("411602", date(1985, 1, 1), s) for s in range(1000))
                  if n[17] == uscc_check_char(n[:17]))
    result = check_code(number)
    assert not result.valid and result.errors == [ID_LIKE]


def test_an_id_number_that_is_also_a_whole_credit_code_only_warns():
    # 11 410120 …: a 机关 registered in 郑州 in the credit-code reading, a
    # number whose region 114101 no ID check can refute in the other; both
    # read fine, so the user is asked.
    number = next(n for n in (make_id_number("114101", date(2001, 3, 4), s) for s in range(1000))
                  if n[17] == uscc_check_char(n[:17]) and n[16] == org_check_char(n[8:16]))
    result = check_code(number)
    assert result.valid and result.id_like and result.warnings[0] == ID_LIKE


def _random_code(rng):
    pair = rng.choice(sorted(CATEGORIES))
    region = rng.choice(sorted(prefectures()))[:4] + f"{rng.randrange(100):02d}"
    body = "".join(rng.choice(ALPHABET) for _ in range(8))
    return make_uscc(pair[0], pair[1], region, body)


def test_every_generated_credit_code_passes():
    rng = random.Random(32100)
    for _ in range(5000):
        code = _random_code(rng)
        result = check_code(code)
        assert result.valid, (code, result.errors)


def test_every_generated_id_number_is_flagged():
    rng = random.Random(11643)
    regions_ = sorted(prefectures())
    caught = 0
    for _ in range(5000):
        region = rng.choice(regions_)[:4] + f"{rng.randrange(1, 100):02d}"
        born = date(1920, 1, 1) + timedelta(days=rng.randrange(36500))
        result = check_code(make_id_number(region, born, rng.randrange(1000)))
        assert result.id_like and ID_LIKE in result.errors + result.warnings
        caught += not result.valid
    # Only the rare number that is also a whole credit code gets through, warned.
    assert caught > 4990


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
