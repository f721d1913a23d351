"""Chinese text helpers: dates as offices write them, and checks on user text."""

import re

from wenming.core.errors import DomainError

# C0 controls except tab and newline, DEL, and C1 controls: they break XML
# (DOCX) and PDF text and have no place in an article.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_TEXT = 50_000


def chinese_date(d):
    """2024年1月10日"""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def check_text(value, label, max_length=MAX_TEXT, required=False):
    """Refuse text a document cannot carry, naming the field. Returns the
    text with Windows line ends normalised."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    if required and not value.strip():
        raise DomainError(f"“{label}”不能为空。", field=label)
    if len(value) > max_length:
        raise DomainError(f"“{label}”共{len(value)}字，超过{max_length}字的上限。", field=label)
    match = _CONTROL.search(value)
    if match:
        line = value.count("\n", 0, match.start()) + 1
        raise DomainError(
            f"“{label}”第{line}行含有控制字符（U+{ord(match.group()):04X}），请删除后重试。",
            field=label)
    return value


def paragraphs(text):
    """Body text to paragraphs: one per non-blank line, trimmed."""
    return [p.strip() for p in (text or "").split("\n") if p.strip()]
