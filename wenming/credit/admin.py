from django.contrib import admin

from wenming.core.admin import ReadOnlyAdmin
from wenming.credit.models import CreditList, Entity, Listing, Objection, Report, Restoration


@admin.register(Entity)
class EntityAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "kind", "district"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    exclude = ["id_number", "phone"]


@admin.register(CreditList)
class CreditListAdmin(ReadOnlyAdmin):
    list_display = ["title", "year", "color", "subject", "status", "number"]
    list_filter = ["status", "color", "subject"]


@admin.register(Listing)
class ListingAdmin(ReadOnlyAdmin):
    list_display = ["entity", "credit_list", "basis", "department", "status", "seq"]
    list_filter = ["status", "basis"]
    search_fields = ["entity__name", "entity__code", "document_number"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ["listing", "objector", "status", "received_on"]
    exclude = ["contact"]


@admin.register(Restoration)
class RestorationAdmin(ReadOnlyAdmin):
    list_display = ["number", "listing", "status", "applied_on", "decided_on"]
    list_filter = ["status"]
    exclude = ["contact"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["number", "entity", "issued_at", "issued_by"]
    exclude = ["verification_code"]
