from django.contrib import admin

from core.admin import ReadOnlyMetadataAdmin
from referrals.models import Referral

# Shown and read-only alike: the secretariat sees these of a referral, and changes none.
REFERRAL_METADATA_FIELDS = (
    "reference",
    "sending_state",
    "receiving_state",
    "purpose",
    "urgency",
    "status",
    "created_at",
    "sent_at",
    "ack_deadline",
    "acknowledged_at",
    "accepted_at",
    "completed_at",
    "ended_at",
    "overdue_notified_at",
    "receiving_access_revoked_at",
)


@admin.register(Referral)
class ReferralMetadataAdmin(ReadOnlyMetadataAdmin):
    """The secretariat's view of referrals: states, purpose, dates, status, overdue. No shared data."""

    view_permission = "referrals.view_referral_statistics"
    list_display = [
        "reference",
        "sending_state",
        "receiving_state",
        "purpose",
        "urgency",
        "status",
        "sent_at",
        "ack_deadline",
        "overdue",
    ]
    list_filter = ["status", "purpose", "urgency", "sending_state", "receiving_state"]
    list_select_related = ["sending_state", "receiving_state"]
    search_fields = ["reference"]
    date_hierarchy = "sent_at"
    fields = REFERRAL_METADATA_FIELDS
    readonly_fields = REFERRAL_METADATA_FIELDS

    @admin.display(boolean=True, description="Overdue")
    def overdue(self, referral: Referral) -> bool:
        return referral.is_overdue_now
