from django.contrib import admin

from wenming.audit.models import AuditEvent
from wenming.audit.services import record, snapshot
from wenming.core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_name", "verb", "object_type", "object_id", "ip"]
    list_filter = ["verb", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id"]


class AuditedAdmin(admin.ModelAdmin):
    """Admin pages that do change data (role groups; users, should their page
    ever allow it) leave the same trail as a service: one event per save or
    delete, in the admin's transaction, with the before and after state
    including the many-to-many choices (a group's permissions)."""

    def save_model(self, request, obj, form, change):
        # The state before is read from the database: `obj` already holds
        # the form's values.
        obj._audit_before = (_admin_snapshot(type(obj)._base_manager.get(pk=obj.pk))
                             if change else None)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        record(request.user, f"{obj._meta.model_name}.{'update' if change else 'create'}", obj,
               before=getattr(obj, "_audit_before", None), after=_admin_snapshot(obj))

    def delete_model(self, request, obj):
        record(request.user, f"{obj._meta.model_name}.delete", obj, before=_admin_snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record(request.user, f"{obj._meta.model_name}.delete", obj,
                   before=_admin_snapshot(obj))
        super().delete_queryset(request, queryset)


def _admin_snapshot(obj):
    # Never a password hash in the trail.
    data = snapshot(obj, exclude=("password",))
    for field in obj._meta.many_to_many:
        data[field.name] = sorted(str(related) for related in getattr(obj, field.name).all())
    return data
