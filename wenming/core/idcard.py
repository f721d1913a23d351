"""Personal identifiers: the citizen ID number (公民身份号码, GB 11643-1999)
and phone numbers — checking them on the way in, and masking them wherever
they are shown or exported. Public pages never show them."""

import re
import unicodedata
from datetime import date

from wenming.core.errors import DomainError

_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_CHECK = "10X98765432"
_PHONE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")


def normalize_id_number(text):
    text = unicodedata.normalize("NFKC", str(text or ""))
    return "".join(text.split()).upper()


def id_check_char(first17):
    return _CHECK[sum(int(ch) * w for ch, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def check_id_number(text):
    """(normalised number, error message or '') for an 18-character ID number."""
    number = normalize_id_number(text)
    if not number:
        return number, "身份证号码为空。"
    if len(number) != 18:
        return number, f"身份证号码共{len(number)}位，应为18位。"
    if not (number[:17].isdigit() and (number[17].isdigit() or number[17] == "X")):
        return number, "身份证号码前17位应为数字，第18位为数字或X。"
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return number, f"身份证号码中的出生日期“{number[6:14]}”不是有效日期。"
    if born.year < 1900 or born > date.today():
        return number, f"身份证号码中的出生日期“{number[6:14]}”不合理。"
    expected = id_check_char(number[:17])
    if number[17] != expected:
        return number, f"身份证号码第18位校验码应为“{expected}”，实为“{number[17]}”。"
    return number, ""


def require_id_number(text, field="id_number"):
    """A form's optional ID number, normalised; a bad one is refused with a
    DomainError on `field`."""
    if not normalize_id_number(text):
        return ""
    number, error = check_id_number(text)
    if error:
        raise DomainError(error, field=field)
    return number


def make_id_number(region, born, sequence):
    """A valid ID number from its parts; for tests and demo data only."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


def mask_id_number(number):
    """4116**********123X: enough to tell two people apart on a list, not
    enough to use the number."""
    number = normalize_id_number(number)
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def normalize_phone(text):
    text = unicodedata.normalize("NFKC", str(text or ""))
    return re.sub(r"[\s\-()]", "", text)


def check_phone(text, label="联系电话"):
    """(normalised phone, error or ''): a mobile number or a landline with
    area code; empty is allowed (the caller decides whether it is required)."""
    phone = normalize_phone(text)
    if not phone:
        return phone, ""
    if _PHONE.match(phone) or re.fullmatch(r"0\d{2,3}\d{7,8}", phone):
        return phone, ""
    return phone, f"“{label}”应为11位手机号或带区号的固定电话，“{phone}”格式不正确。"


def require_phone(text, label="联系电话", field="phone"):
    """A form's optional phone, normalised; a bad one is refused with a
    DomainError on `field`."""
    phone, error = check_phone(text, label)
    if error:
        raise DomainError(error, field=field)
    return phone


_MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_IN_TEXT = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def check_no_private_numbers(value, label, field=None):
    """Text that will be public must not carry a phone or ID number, e.g.
    typed into a deeds summary; those belong in their own fields."""
    if _MOBILE_IN_TEXT.search(value or "") or _ID_IN_TEXT.search(value or ""):
        raise DomainError(f"“{label}”将会公开，其中不能含有手机号或身份证号，"
                          "联系方式请填在专门的栏目中。", field=field)
    return value


def mask_phone(phone):
    """138****8000"""
    phone = normalize_phone(phone)
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
