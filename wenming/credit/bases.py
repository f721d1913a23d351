"""What a listing can be based on, and the rules that follow from it.

Each basis belongs to the red list (守信激励) or the black list (失信惩戒).
For black-list bases the restoration rule says how long a listing must have
been published before the entity may apply for credit restoration; None
means restoration does not apply (a court removes a 失信被执行人 itself once
the judgment is performed). A deployment overrides the months with the
setting WENMING_CREDIT_RESTORATION_MONTHS (environment: market_penalty=3,…).
"""

from dataclasses import dataclass

from django.conf import settings

RED = "red"
BLACK = "black"


@dataclass(frozen=True)
class Basis:
    code: str
    label: str
    color: str
    restoration_months: int | None = None


BASES = [
    Basis("tax_a", "纳税信用A级", RED),
    Basis("contract", "守合同重信用", RED),
    Basis("quality", "产品质量诚信", RED),
    Basis("credit_a", "企业信用评价A级", RED),
    Basis("model_market", "诚信示范市场", RED),
    Basis("safety_standard", "安全生产标准化达标", RED),
    Basis("red_other", "其他守信激励", RED),
    Basis("market_penalty", "市场监管行政处罚", BLACK, 6),
    Basis("product_quality", "产品质量违法", BLACK, 6),
    Basis("food_drug", "食品药品安全违法", BLACK, 12),
    Basis("special_equipment", "特种设备安全违法", BLACK, 12),
    Basis("tax_violation", "重大税收违法失信", BLACK, 12),
    Basis("court", "失信被执行人", BLACK, None),
    Basis("safety", "安全生产失信", BLACK, 12),
    Basis("environment", "生态环境违法", BLACK, 12),
    Basis("wage_arrears", "拖欠农民工工资", BLACK, 12),
    Basis("black_other", "其他失信行为", BLACK, 12),
]
BY_CODE = {b.code: b for b in BASES}
CHOICES = [(b.code, b.label) for b in BASES]


def for_color(color):
    return [b for b in BASES if b.color == color]


def by_label(label, color):
    """The basis a department wrote in its sheet, by its Chinese label."""
    for basis in for_color(color):
        if basis.label == label:
            return basis
    return None


def restoration_months(code):
    """Months of publication before restoration may be applied for; None
    when restoration does not apply to this basis."""
    overrides = settings.WENMING_CREDIT_RESTORATION_MONTHS or {}
    if code in overrides:
        return overrides[code]
    basis = BY_CODE.get(code)
    return basis.restoration_months if basis else None


def notice_days():
    return settings.WENMING_CREDIT_NOTICE_DAYS
