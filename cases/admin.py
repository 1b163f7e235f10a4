from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from cases.models import Case, ControlMeans, ExploitationForm
from core.admin import LargeTableAdmin, ReadOnlyMetadataAdmin, YearListFilter


class CaseYearFilter(YearListFilter):
    def filter_year(self, queryset: QuerySet[Any], year: int) -> QuerySet[Any]:
        return queryset.filter(year=year)  # case_year_list_idx, in the changelist's order


# Shown and read-only alike: the secretariat sees these of a case, and changes none.
CASE_METADATA_FIELDS = (
    "reference",
    "member_state",
    "year",
    "stage",
    "status",
    "created_at",
    "stage_changed_at",
    "closed_at",
    "anonymised_at",
)


@admin.register(Case)
class CaseMetadataAdmin(LargeTableAdmin, ReadOnlyMetadataAdmin):
    """What the secretariat may see of cases: pseudonymous metadata, read-only."""

    view_permission = "cases.view_case_statistics"
    list_display = ["reference", "member_state", "stage", "status", "created_at", "stage_changed_at", "anonymised_at"]
    # Member states are a small table; the rest are fixed choices.
    list_filter = ["member_state", "stage", "status", CaseYearFilter]
    list_select_related = ["member_state"]
    # case_created_list_idx; with a state, stage, status or year filter, that filter's index.
    ordering = ["-created_at", "-id"]
    sortable_by = ["reference", "created_at"]  # the unique reference's index and the ordering's
    search_fields = ["reference"]
    fields = CASE_METADATA_FIELDS
    readonly_fields = CASE_METADATA_FIELDS


@admin.register(ExploitationForm)
class ExploitationFormAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "ctdc_column"]
    readonly_fields = ["code"]

    def has_delete_permission(self, request, obj=None):
        return False  # statistics depend on stable codes


@admin.register(ControlMeans)
class ControlMeansAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    readonly_fields = ["code"]

    def has_delete_permission(self, request, obj=None):
        return False
