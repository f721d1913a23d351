from django.contrib import admin

from wenming.campaign.models import (
    Campaign,
    CitizenReport,
    Criterion,
    Index,
    InspectionPlan,
    Notification,
    Problem,
    Site,
    SupervisionNotice,
)
from wenming.core.admin import ReadOnlyAdmin


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["name", "year", "is_active", "hours_immediate", "hours_normal",
                    "hours_serious"]


@admin.register(Index)
class IndexAdmin(ReadOnlyAdmin):
    list_display = ["name", "campaign", "year"]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["code", "text", "method", "weight", "index"]
    list_filter = ["index", "method"]
    search_fields = ["code", "text"]


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    list_display = ["name", "category", "district", "responsible_unit", "is_active"]
    list_filter = ["category", "district"]
    search_fields = ["name", "address"]


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyAdmin):
    list_display = ["title", "is_undercover", "starts_on", "ends_on", "status"]


@admin.register(Problem)
class ProblemAdmin(ReadOnlyAdmin):
    list_display = ["id", "site", "responsible_unit", "status", "severity", "found_at",
                    "deadline", "is_overdue", "is_repeat"]
    list_filter = ["status", "severity", "is_overdue", "is_repeat"]
    show_full_result_count = False  # the ledger is large


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "problem", "level", "issued_at"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind"]


@admin.register(CitizenReport)
class CitizenReportAdmin(ReadOnlyAdmin):
    list_display = ["tracking_code", "service_code", "status", "via", "created_at"]
    list_filter = ["status", "via"]
    exclude = ["contact_name", "contact_phone", "email", "submitter_ip"]
