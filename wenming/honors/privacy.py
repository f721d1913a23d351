"""A person's ID number and phone number: checks on the way in, masks on
the way out. Public pages never show them; exports show them masked."""

import re
from datetime import date

from wenming.core.errors import DomainError

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def check_id_number(value, label="身份证号"):
    """An 18-character resident ID (GB 11643): digits, a real birth date
    and the right check character. Blank is allowed; returns it upper-case."""
    value = (value or "").strip().upper()
    if not value:
        return ""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise DomainError(f"“{label}”应为18位，前17位为数字。", field="id_number")
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise DomainError(f"“{label}”中的出生日期不正确。", field="id_number") from None
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        raise DomainError(f"“{label}”校验位不正确，请核对。", field="id_number")
    return value


def check_phone(value, label="联系电话", field="phone"):
    value = re.sub(r"[\s()（）]", "", value or "")
    if not value:
        return ""
    if not (_MOBILE.match(value) or _LANDLINE.match(value)):
        raise DomainError(f"“{label}”应为11位手机号或带区号的固定电话。", field=field)
    return value


_MOBILE_IN_TEXT = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_IN_TEXT = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def check_no_private_numbers(value, label, field=None):
    """Text that will be public must not carry a phone or ID number, e.g.
    typed into the deeds summary; those belong in their own fields."""
    if _MOBILE_IN_TEXT.search(value or "") or _ID_IN_TEXT.search(value or ""):
        raise DomainError(f"“{label}”将会公开，其中不能含有手机号或身份证号，"
                          "联系方式请填在专门的栏目中。", field=field)
    return value


def mask_id_number(value):
    """4116**********1234"""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


def mask_phone(value):
    """138****5678; 0394-****88"""
    if not value:
        return ""
    if _MOBILE.match(value):
        return value[:3] + "****" + value[-4:]
    head = value.split("-")[0] + "-" if "-" in value else value[:4]
    return head + "****" + value[-2:]
