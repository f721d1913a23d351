from django.contrib import admin

from wenming.core.admin import ReadOnlyAdmin
from wenming.honors.models import HonorRoll, Nomination


@admin.register(HonorRoll)
class HonorRollAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "version", "notice_starts_on", "notice_ends_on", "published_at"]


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ["name", "category", "area", "source", "status", "roll"]
    list_filter = ["status", "category", "source"]
    search_fields = ["name", "workplace"]
    # Private fields stay out of the admin as well.
    exclude = ["id_number", "phone", "nominator_phone", "submitter_ip"]
