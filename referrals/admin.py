import datetime
from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.utils import timezone

from core.admin import LargeTableAdmin, ReadOnlyMetadataAdmin, YearListFilter
from referrals.models import Referral


class SentYearFilter(YearListFilter):
    """In place of a date hierarchy, which asks the table for its distinct years, months and days."""

    title = "year sent"
    parameter_name = "sent_year"

    def filter_year(self, queryset: QuerySet[Any], year: int) -> QuerySet[Any]:
        # A range on sent_at (referral_sent_idx), not sent_at__year, which PostgreSQL computes per row.
        zone = timezone.get_current_timezone()
        start = datetime.datetime(year, 1, 1, tzinfo=zone)
        return queryset.filter(sent_at__gte=start, sent_at__lt=start.replace(year=year + 1))


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
class ReferralMetadataAdmin(LargeTableAdmin, ReadOnlyMetadataAdmin):
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
    # Fixed choices, and member states (a small table).
    list_filter = ["status", "purpose", "urgency", "sending_state", "receiving_state", SentYearFilter]
    list_select_related = ["sending_state", "receiving_state"]
    search_fields = ["reference"]
    ordering = ["-created_at", "-id"]  # referral_created_list_idx
    sortable_by = ["reference", "sent_at"]  # the unique reference's index and referral_sent_idx
    fields = REFERRAL_METADATA_FIELDS
    readonly_fields = REFERRAL_METADATA_FIELDS

    @admin.display(boolean=True, description="Overdue")
    def overdue(self, referral: Referral) -> bool:
        return referral.is_overdue_now
