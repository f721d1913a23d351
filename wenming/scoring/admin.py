from django.contrib import admin

from wenming.core.admin import ReadOnlyAdmin
from wenming.scoring.models import Bulletin, Kiosk, ScoringRule


@admin.register(ScoringRule)
class ScoringRuleAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "version", "effective_from", "base", "normal", "serious",
                    "per_overdue_day", "district_mode", "created_by", "created_at"]
    list_filter = ["campaign", "district_mode"]
    list_select_related = ["campaign", "created_by"]


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "title", "campaign", "kind", "period_start", "status",
                    "replaces", "created_by", "published_at"]
    list_filter = ["campaign", "kind", "status", "year"]
    search_fields = ["title"]
    list_select_related = ["campaign", "replaces", "created_by"]
    # The frozen content is long JSON; the bulletin's own page shows it readably.
    exclude = ["content"]


@admin.register(Kiosk)
class KioskAdmin(ReadOnlyAdmin):
    list_display = ["name", "created_by", "created_at", "last_seen_at", "revoked_at"]
    list_select_related = ["created_by"]
    exclude = ["token_hash"]
