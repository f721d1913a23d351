from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from wenming.accounts.models import Unit, User
from wenming.audit.admin import AuditedAdmin
from wenming.core.admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin, AuditedAdmin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("单位", {"fields": ("full_name", "phone", "unit")}),)
    list_display = ["username", "full_name", "unit", "is_active"]
    list_select_related = ["unit"]


# Role groups stay editable in the admin (a role's permissions), and audited.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdmin, BaseGroupAdmin):
    pass


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "parent", "area_code"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "area_code"]
