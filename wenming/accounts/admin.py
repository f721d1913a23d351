from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from wenming.accounts.models import Unit, User
from wenming.core.admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("单位", {"fields": ("full_name", "phone", "unit")}),)
    list_display = ["username", "full_name", "unit", "is_active"]
    list_select_related = ["unit"]


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "parent", "area_code"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "area_code"]
