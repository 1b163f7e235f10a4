from django.contrib import admin

from referrals.models import Referral


@admin.register(Referral)
class ReferralMetadataAdmin(admin.ModelAdmin):
    """The secretariat's view of referrals: states, purpose, dates, status, overdue. No shared data."""

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
    fields = [
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
    ]
    readonly_fields = fields

    @admin.display(boolean=True, description="Overdue")
    def overdue(self, referral: Referral) -> bool:
        return referral.is_overdue_now

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm("referrals.view_referral_statistics")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
