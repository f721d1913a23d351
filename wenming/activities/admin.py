from django.contrib import admin

from wenming.activities.models import Activity, CivilizedUnit, ThemedCampaign
from wenming.core.admin import ReadOnlyAdmin


@admin.register(CivilizedUnit)
class CivilizedUnitAdmin(ReadOnlyAdmin):
    list_display = ["holder_name", "unit", "level", "category", "awarded_on", "valid_until",
                    "revoked_on"]
    list_filter = ["level", "category"]
    search_fields = ["holder_name", "unit__name"]


@admin.register(ThemedCampaign)
class ThemedCampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "starts_on", "ends_on", "status"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "themed_campaign", "date", "participants", "volunteers",
                    "volunteer_hours"]
    list_filter = ["themed_campaign"]
    search_fields = ["title", "unit__name"]
