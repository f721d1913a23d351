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

Positions 1-2 must be a registration department and one of its categories,
and positions 3-8 a region that exists: a province, and a prefecture that
was in use when credit codes were issued. Besides telling the user what is
wrong, this is what recognises a citizen ID number typed into a credit-code
field: one in 31 passes the check character alone, almost none pass the
region and department checks too.
"""

import csv
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from wenming.core.idcard import check_id_number

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
# Weight of position i (1-based) is 3^(i-1) mod 31.
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_INVERSE_WEIGHTS = [pow(w, -1, 31) for w in _WEIGHTS]
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
_PREFECTURES_CSV = Path(__file__).resolve().parent / "data" / "gb2260_prefectures.csv"
# Taiwan, Hong Kong and Macao have no prefecture codes in GB/T 2260.
_WITHOUT_PREFECTURES = {"71", "81", "82"}
_EXCLUDED_HINT = {"I": "1", "O": "0", "S": "5", "V": "U", "Z": "2"}
# Characters a copy from a web page or a Word file brings along unseen.
_INVISIBLE = {"\u200b": "零宽空格", "\u200c": "零宽非连接符", "\u200d": "零宽连接符",
              "\u2060": "零宽不换行符", "\ufeff": "零宽不换行空格", "\u00ad": "软连字符",
              "\u00a0": "不换行空格", "\u202f": "窄不换行空格"}
_DASHES = "-‐‑‒–—―−"
ID_LIKE = "这像是居民身份证号码，请核对是否填写了统一社会信用代码。"


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
    id_like: bool = False

    def as_dict(self):
        return asdict(self)

    @property
    def message(self):
        """All errors in one sentence, for a form or an import row."""
        return "".join(self.errors)


def normalize_code(text):
    """Full-width letters, digits and signs to half-width, lowercase to
    uppercase, and spaces (also inner ones, as in pasted '9141 1602 …') and
    invisible characters removed. Only the full-width forms are folded: other
    look-alikes (①, ｌ in another script) stay and fail the check."""
    text = "".join(_half_width(ch) for ch in str(text or "") if ch not in _INVISIBLE)
    return "".join(text.split()).upper()


def _half_width(ch):
    if "\uff01" <= ch <= "\uff5e":
        return chr(ord(ch) - 0xFEE0)
    return " " if ch == "\u3000" else ch


def looks_like_code(text):
    """Whether what was typed into a "name or code" box is an attempt at a
    code rather than a name: 15 to 20 characters once spaces, dashes and
    invisible characters are gone, all but one of them ASCII letters or
    digits, and at least five digits (a code has six in its region alone; an
    English firm name has none)."""
    compact = "".join(ch for ch in normalize_code(text) if ch not in _DASHES)
    if not 15 <= len(compact) <= 20:
        return False
    alnum = sum(ch.isascii() and ch.isalnum() for ch in compact)
    digits = sum(ch.isascii() and ch.isdigit() for ch in compact)
    return alnum >= len(compact) - 1 and digits >= 5


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
    raw = str(text if text is not None else "")
    code = normalize_code(raw)
    result = CodeCheck(input=raw, code=code)
    _note_cleaning(result, raw)
    if not code:
        result.errors.append("代码为空。")
        return result
    if any(ch in _DASHES for ch in code):
        return _check_dashed(result)
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
    if code[17] != uscc_check_char(code[:17]):
        result.errors.append(_check_failure(code))
    org = code[8:17]
    if org[8] != org_check_char(org[:8]):
        result.warnings.append(
            f"第9—17位组织机构代码“{org}”的校验位应为“{org_check_char(org[:8])}”，"
            f"实为“{org[8]}”（GB 11714）。")
    if not check_id_number(code)[1]:
        _flag_id_number(result)
    result.valid = not result.errors
    return result


def _note_cleaning(result, raw):
    """Say what normalising removed or folded, so that a code which only
    checks once cleaned does not look as typed."""
    invisible = sorted({_INVISIBLE[ch] for ch in raw if ch in _INVISIBLE})
    if invisible:
        result.warnings.append(f"输入中含有不可见字符（{'、'.join(invisible)}），已去除。")
    if any("\uff01" <= ch <= "\uff5e" or ch == "\u3000" for ch in raw):
        result.warnings.append("输入中含有全角字符，已按半角字符核对。")


def _check_dashed(result):
    code = result.code
    positions = "、".join(str(i) for i, ch in enumerate(code, start=1) if ch in _DASHES)
    result.errors.append(f"第{positions}位是连字符“-”：统一社会信用代码中间没有连字符。")
    bare = "".join(ch for ch in code if ch not in _DASHES)
    if len(bare) == 9:
        result.errors.append(
            "“××××××××-×”是旧的9位组织机构代码的写法；请填写18位统一社会信用代码"
            "（组织机构代码是其中的第9—17位）。")
        return result
    inner = check_code(bare)
    result.id_like = inner.id_like
    if inner.valid:
        result.errors.append(f"去掉连字符后是有效的代码“{bare}”，请去掉连字符后重新填写。")
    else:
        result.errors.append("去掉连字符后仍有问题：" + inner.message)
    return result


def _flag_id_number(result):
    """The code is also a valid citizen ID number. When it fails as a credit
    code, that is the explanation and the details would only mislead; when it
    passes, both readings are possible and the user is asked to look."""
    result.id_like = True
    if result.errors:
        result.errors = [ID_LIKE]
        result.warnings = [w for w in result.warnings if w.startswith("输入中含有")]
        result.department = result.category = result.region_code = result.region = None
    else:
        result.warnings.insert(0, ID_LIKE)


def _check_failure(code):
    """The check character does not fit. Which character is wrong cannot be
    known; only when exactly one single-character change (a substitution or
    a swap of neighbours) gives a code that passes every check is its place
    worth naming."""
    message = ("校验未通过：这18位字符按GB 32100的校验规则对不上，可能有一位字符输错，"
               "或相邻两位字符颠倒，请对照证照逐位核对。")
    fixes = single_fixes(code)
    if len(fixes) == 1:
        kind, position = fixes[0][:2]
        if kind == "substitution":
            message += f"若只错了一处，应是第{position}位有误。"
        else:
            message += f"若只错了一处，应是第{position}位与第{position + 1}位颠倒了。"
    return message


def single_fixes(code):
    """[(kind, position, fixed code)] for every substitution of one character
    and every swap of two neighbours that makes `code` (18 characters of the
    alphabet) pass all checks, the organisation code's included."""
    values = [_VALUE[ch] for ch in code]
    total = sum(v * w for v, w in zip(values[:17], _WEIGHTS, strict=True)) + values[17]
    fixes = []
    for i in range(18):
        weight, inverse = (_WEIGHTS[i], _INVERSE_WEIGHTS[i]) if i < 17 else (1, 1)
        # The one value at position i that brings the weighted sum to 0 mod 31.
        needed = (-(total - values[i] * weight) * inverse) % 31
        if needed != values[i]:
            fixes.append(("substitution", i + 1, code[:i] + ALPHABET[needed] + code[i + 1:]))
    for i in range(17):
        if code[i] != code[i + 1]:
            fixes.append(("transposition", i + 1,
                          code[:i] + code[i + 1] + code[i] + code[i + 2:]))
    return [fix for fix in fixes if _passes_everything(fix[2])]


def _passes_everything(code):
    return (code[17] == uscc_check_char(code[:17]) and code[2:8].isdigit()
            and code[:2] in CATEGORIES and not region_problem(code[2:8])
            and code[16] == org_check_char(code[8:16]))


def _decode(result, code):
    department = DEPARTMENTS.get(code[0])
    if department is None:
        result.errors.append(
            f"第1位登记管理部门代码“{code[0]}”不存在（可用的有"
            f"{'、'.join(DEPARTMENTS)}）。")
    else:
        result.department = department
        category = CATEGORIES.get(code[:2])
        if category is None:
            allowed = "、".join(k[1] for k in CATEGORIES if k[0] == code[0])
            result.errors.append(
                f"第2位机构类别代码“{code[1]}”不是{department}部门的机构类别（可用的有{allowed}）。")
        result.category = category
    if code[2:8].isdigit():
        problem = region_problem(code[2:8])
        if problem:
            result.errors.append(problem)
            result.region_code = code[2:8]
        else:
            _decode_region(result, code[2:8])


def region_problem(code):
    """Why six digits cannot be the region of a credit code, or ''. The
    province must exist, and the prefecture must have existed when credit
    codes were issued; county digits are not checked (counties change too
    often for a shipped table to be trusted)."""
    if code == "100000":
        return ""  # national registration authorities
    province = regions().get(code[:2] + "0000") if code[:2] != "10" else None
    if province is None:
        return (f"第3—8位行政区划代码“{code}”无效：第3—4位“{code[:2]}”不是省级行政区代码"
                f"（GB/T 2260）。")
    if code[2:4] == "00":
        if code[4:] != "00":
            return (f"第3—8位行政区划代码“{code}”无效：第5—6位为“00”（省级）时，"
                    f"第7—8位也应为“00”。")
        return ""
    if code[:2] in _WITHOUT_PREFECTURES or code[:4] + "00" in prefectures():
        return ""
    return (f"第3—8位行政区划代码“{code}”无效：{province[0]}没有代码为“{code[2:4]}”的地级行政区"
            f"（第5—6位）。")


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


@lru_cache(maxsize=1)
def prefectures():
    """Prefecture-level codes (xxyy00) in use since 2010; read once per
    process from the shipped table."""
    with _PREFECTURES_CSV.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return frozenset(row["code"] for row in rows)


def _covered(code):
    """Provinces whose counties the shipped table lists in full."""
    return code.startswith("41")


def is_valid_uscc(text):
    return check_code(text).valid
