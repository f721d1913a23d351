from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Admin pages only read: every change goes through a service, which
    checks permission and writes the audit trail."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
