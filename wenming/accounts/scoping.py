"""The one scoping rule of the platform.

Office roles see every unit's records. A unit liaison (or a viewer bound to
a unit) sees its own unit and every unit below it. Anyone else sees nothing
here; public pages select published records on their own.
"""

from django.http import Http404


def visible_units(user):
    from wenming.accounts.models import Unit

    if not user.is_authenticated:
        return Unit.objects.none()
    if user.is_office:
        return Unit.objects.all()
    if user.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(path__startswith=user.unit.path)


def scope(queryset, user, unit_field="unit"):
    """Narrow `queryset` to what `user` may see. `unit_field` is the lookup
    path from the queryset's model to the unit that owns each record."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_office:
        return queryset
    if user.unit_id is None:
        return queryset.none()
    prefix = f"{unit_field}__" if unit_field else ""
    return queryset.filter(**{f"{prefix}path__startswith": user.unit.path})


def get_scoped_or_404(queryset, user, unit_field="unit", **lookup):
    """Fetch one object the user may see. Out-of-scope objects answer 404,
    never 403, so that their existence does not leak."""
    try:
        return scope(queryset, user, unit_field).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def can_see_unit(user, unit):
    if unit is None:
        return user.is_authenticated and user.is_office
    return scope(type(unit).objects.filter(pk=unit.pk), user, unit_field="").exists()
