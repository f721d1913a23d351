"""Settings checked once, by `manage.py check` (and migrate, runserver),
instead of failing the first request that needs them."""

from django.conf import settings
from django.core.checks import Error, register

from wenming.core import geo


@register()
def city_bounds(app_configs, **kwargs):
    try:
        geo.parse_bounds(settings.WENMING_CITY_BOUNDS)
    except ValueError as e:
        return [Error(
            f"环境变量 WENMING_CITY_BOUNDS 格式有误：{e}。",
            hint=f"写作 {geo.BOUNDS_FORM}，或留空（不限于本市，只要求在中国境内）。"
                 "在改正之前，坐标只按中国境内检查。",
            obj="WENMING_CITY_BOUNDS", id="core.E001")]
    return []
