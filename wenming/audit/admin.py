from django.contrib import admin

from wenming.audit.models import AuditEvent
from wenming.core.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_name", "verb", "object_type", "object_id", "ip"]
    list_filter = ["verb", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id"]
