from django.contrib import admin

from cases.models import Case, ControlMeans, ExploitationForm
from core.admin import ReadOnlyMetadataAdmin

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
class CaseMetadataAdmin(ReadOnlyMetadataAdmin):
    """What the secretariat may see of cases: pseudonymous metadata, read-only."""

    view_permission = "cases.view_case_statistics"
    list_display = ["reference", "member_state", "stage", "status", "created_at", "stage_changed_at", "anonymised_at"]
    list_filter = ["member_state", "stage", "status", "year"]
    list_select_related = ["member_state"]
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
