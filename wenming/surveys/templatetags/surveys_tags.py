from django import template

register = template.Library()


@register.filter
def pct(value, digits=1):
    """0.9321 → 93.2%"""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def points(value):
    """A change in percentage points with its sign: +2.1 / −0.4."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{abs(value) * 100:.1f}"


TREND_WORDS = {"up": "↑ 上升", "down": "↓ 下降", "flat": "→ 无显著变化"}


@register.filter
def trend_word(value):
    return TREND_WORDS.get(value, "")
