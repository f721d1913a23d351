from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def has_role(user, names):
    """{% if user|has_role:"督查员,管理员" %}"""
    return user.is_authenticated and user.has_role(*[n.strip() for n in names.split(",")])


@register.filter
def isodt(value):
    """An ISO timestamp kept in event data, shown in local time."""
    try:
        return timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return value or ""


@register.filter
def get(mapping, key):
    return mapping.get(key, "") if mapping else ""
