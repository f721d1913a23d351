"""The unified social credit code (统一社会信用代码, GB 32100-2015) and the old
15-digit business registration number (工商注册号): normalising, checking and
decoding, in plain Python.

An 18-character credit code is

    position 1      registration department (登记管理部门代码)
    position 2      category within that department (机构类别代码)
    positions 3-8   region of the registering authority (GB/T 2260)
    positions 9-17  organisation code (组织机构代码, GB 11714), its own check
                    character at position 17
    position 18     check character over positions 1-17

over the 31 symbols 0-9 and A-Z without I, O, S, V, Z. Positions 1-2 may be
letters (A1…, N2…, Y1…): only positions 3-8 are digits. A wrong check
character (18) is an error; a wrong organisation-code check character (17) is
only a warning, since codes were issued with it.
"""

import csv
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Weight of position i (1-based) is 3^(i-1) mod 31.
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

# Registration departments (position 1) and their categories (position 2).
# GB 32100-2015 names 1, 5, 9 and Y; the others were assigned later by the
# national credit-code administration. 9 was 工商 and is now 市场监管.
DEPARTMENTS = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "市场监管（原工商）",
    "A": "中央军委改革和编制办公室",
    "G": "公安",
    "J": "住房城乡建设",
    "N": "农业农村",
    "Q": "侨联",
    "Y": "其他",
}
CATEGORIES = {
    "11": "机关", "12": "事业单位", "13": "中央编办直接管理机构编制的群众团体", "19": "其他",
    "21": "外国常驻新闻机构", "29": "其他",
    "31": "律师执业机构", "32": "公证处", "33": "基层法律服务所", "34": "司法鉴定机构",
    "35": "仲裁委员会", "39": "其他",
    "41": "外国在华文化中心", "49": "其他",
    "51": "社会团体", "52": "民办非企业单位", "53": "基金会", "59": "其他",
    "61": "外国旅游部门常驻代表机构", "62": "港澳台地区旅游部门常驻内地（大陆）代表机构",
    "69": "其他",
    "71": "宗教活动场所", "72": "宗教院校", "79": "其他",
    "81": "基层工会", "89": "其他",
    "91": "企业", "92": "个体工商户", "93": "农民专业合作社",
    "A1": "军队事业单位", "A9": "其他",
    "G1": "境外非政府组织代表机构", "G9": "其他",
    "J1": "业主大会", "J9": "其他",
    "N1": "组级集体经济组织", "N2": "村级集体经济组织", "N3": "乡镇级集体经济组织", "N9": "其他",
    "Q1": "区县级侨联组织", "Q2": "乡镇级侨联组织", "Q3": "村级侨联组织", "Q9": "其他",
    "Y1": "其他（不再细分机构类别）",
}

USCC = "uscc"
REGISTRATION_NUMBER = "registration_number"

_REGIONS_CSV = Path(__file__).resolve().parent / "data" / "gb2260_regions.csv"
_EXCLUDED_HINT = {"I": "1", "O": "0", "S": "5", "V": "U", "Z": "2"}


@dataclass
class CodeCheck:
    """The outcome of checking one code; `as_dict()` is the JSON shape of
    `wenming credit check`."""

    input: str
    code: str
    valid: bool = False
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    kind: str | None = None
    department: str | None = None
    category: str | None = None
    region_code: str | None = None
    region: str | None = None

    def as_dict(self):
        return asdict(self)

    @property
    def message(self):
        """All errors in one sentence, for a form or an import row."""
        return "".join(self.errors)


def normalize_code(text):
    """Full-width characters to half-width, lowercase to uppercase, and
    spaces (also inner ones, as in pasted '9141 1602 …') removed."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(text.split()).upper()


def uscc_check_char(first17):
    """The 18th character for 17 characters of the credit-code alphabet."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_char(first8):
    """GB 11714 check character of an organisation code's 8 body characters
    (0-9 and A-Z, A=10 … Z=35)."""
    total = sum(int(ch, 36) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def registration_check_digit(first14):
    """ISO 7064 MOD 11,10 check digit of a 15-digit registration number."""
    p = 10
    for ch in first14:
        s = (p + int(ch)) % 10 or 10
        p = s * 2 % 11
    return str((11 - p) % 10)


def make_uscc(department, category, region, org_body):
    """A credit code with both check characters computed, from its parts;
    for tests, demo data and benches. `org_body` is 8 characters."""
    org = org_body + org_check_char(org_body)
    first17 = f"{department}{category}{region}{org}"
    return first17 + uscc_check_char(first17)


def check_code(text):
    """Check a credit code or an old registration number; never raises."""
    code = normalize_code(text)
    result = CodeCheck(input=str(text if text is not None else ""), code=code)
    if not code:
        result.errors.append("代码为空。")
        return result
    if len(code) == 15 and code.isdigit():
        return _check_registration_number(result)
    if len(code) != 18:
        result.errors.append(
            f"代码共{len(code)}位，统一社会信用代码应为18位（旧工商注册号为15位数字）。")
        return result
    result.kind = USCC
    bad = [(i, ch) for i, ch in enumerate(code, start=1) if ch not in _VALUE]
    for i, ch in bad:
        hint = f"（可能是“{_EXCLUDED_HINT[ch]}”之误）" if ch in _EXCLUDED_HINT else ""
        result.errors.append(
            f"第{i}位“{ch}”不是统一社会信用代码使用的字符（只用数字和除 I、O、S、V、Z 以外的"
            f"大写字母）{hint}。")
    region = code[2:8]
    if not region.isdigit():
        result.errors.append(f"第3—8位“{region}”应为6位数字的行政区划代码。")
    if bad:
        return result
    _decode(result, code)
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        result.errors.append(f"第18位校验码应为“{expected}”，实为“{code[17]}”。")
    org = code[8:17]
    if org[8] != org_check_char(org[:8]):
        result.warnings.append(
            f"第9—17位组织机构代码“{org}”的校验位应为“{org_check_char(org[:8])}”，"
            f"实为“{org[8]}”（GB 11714）。")
    result.valid = not result.errors
    return result


def _decode(result, code):
    department = DEPARTMENTS.get(code[0])
    if department is None:
        result.warnings.append(f"第1位登记管理部门代码“{code[0]}”不在已知代码表中。")
    else:
        result.department = department
        category = CATEGORIES.get(code[:2])
        if category is None:
            result.warnings.append(
                f"第2位机构类别代码“{code[1]}”不在{department}部门的已知类别中。")
        result.category = category
    if code[2:8].isdigit():
        _decode_region(result, code[2:8])


def _decode_region(result, region_code):
    result.region_code = region_code
    name, note = region_name(region_code)
    result.region = name
    if name is None:
        result.warnings.append(f"行政区划代码“{region_code}”不是已知的省级代码。")
    elif note:
        result.warnings.append(f"行政区划代码“{region_code}”{note}。")


def _check_registration_number(result):
    code = result.code
    result.kind = REGISTRATION_NUMBER
    result.department = DEPARTMENTS["9"]
    _decode_region(result, code[:6])
    expected = registration_check_digit(code[:14])
    if code[14] != expected:
        result.errors.append(f"第15位校验位应为“{expected}”，实为“{code[14]}”（ISO 7064 MOD 11,10）。")
    result.warnings.append("这是旧的15位工商注册号，不是统一社会信用代码；请尽量使用18位统一社会信用代码。")
    result.valid = not result.errors
    return result


# Regions (GB/T 2260)

@lru_cache(maxsize=1)
def regions():
    """code → (name, former note); read once per process from the shipped table."""
    table = {}
    with _REGIONS_CSV.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        for row in rows:
            table[row["code"]] = (row["name"], row["former"] or "")
    return table


def region_name(code):
    """'410102' → ('河南省郑州市中原区', ''). A code below a known province
    that the table lacks resolves to its nearest known ancestor, with a note
    when the table covers that province in full (Henan)."""
    table = regions()
    code = str(code)
    if len(code) != 6 or not code.isdigit():
        return None, ""
    province = table.get(code[:2] + "0000")
    if province is None:
        return None, ""
    parts = [province[0]]
    prefecture = table.get(code[:4] + "00") if code[2:4] != "00" else None
    if prefecture and not code.startswith("4190"):
        parts.append(prefecture[0])
    note = ""
    if code[4:] != "00":
        county = table.get(code)
        if county:
            parts.append(county[0])
            if county[1]:
                note = f"为原{county[0]}，{county[1]}"
        elif _covered(code):
            note = "未收录于行政区划代码表"
    elif code[2:4] != "00" and prefecture is None and _covered(code):
        note = "未收录于行政区划代码表"
    return "".join(parts), note


def _covered(code):
    """Provinces whose counties the shipped table lists in full."""
    return code.startswith("41")


def is_valid_uscc(text):
    return check_code(text).valid
