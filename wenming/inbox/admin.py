from django.contrib import admin

from wenming.core.admin import ReadOnlyAdmin
from wenming.inbox.models import TextMessage


@admin.register(TextMessage)
class TextMessageAdmin(ReadOnlyAdmin):
    """The 短信 delivery log; the mobile shows masked, as everywhere."""

    list_display = ["created_at", "recipient", "masked_mobile", "status", "attempts",
                    "sent_at", "last_error"]
    list_filter = ["status"]
    fields = ["created_at", "recipient", "masked_mobile", "text", "status", "attempts",
              "next_attempt_at", "sent_at", "last_error"]
    readonly_fields = fields

    @admin.display(description="手机号")
    def masked_mobile(self, obj):
        return obj.masked_mobile
