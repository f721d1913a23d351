"""Civilized units and themed campaigns: the campaign state machine and the office check every step shares."""

from wenming.accounts import roles
from wenming.activities.models import (
    ThemedCampaign,
)
from wenming.core.errors import require

TITLE_FIELDS = ["unit", "holder_name", "category", "level", "awarded_on", "valid_until",
                "batch", "document_no", "revoked_on", "revoke_reason"]
THEMED_CAMPAIGN_FIELDS = ["title", "short_name", "participants_label", "starts_on", "ends_on",
                   "purpose", "status"]
ACTIVITY_FIELDS = ["themed_campaign", "unit", "title", "date", "place", "content_area", "participants",
                   "volunteers", "volunteer_hours", "beneficiaries", "summary"]
# A title is named for three years unless the decision says otherwise.
DEFAULT_VALIDITY_YEARS = 3
MAX_AREAS = 20
MAX_COUNT = 1_000_000

# The themed campaign state machine: status → statuses it may move to.
TRANSITIONS = {
    ThemedCampaign.Status.OPEN: {ThemedCampaign.Status.CLOSED},
    ThemedCampaign.Status.CLOSED: {ThemedCampaign.Status.OPEN},
}


def _check_office(user, what):
    require(roles.is_office_editor(user), f"只有文明办管理员或编辑可以{what}。")


