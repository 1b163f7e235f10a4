from django.contrib import admin

from cases.models import Case, ControlMeans, ExploitationForm
from core.admin import ReadOnlyMetadataAdmin


@admin.register(Case)
class CaseMetadataAdmin(ReadOnlyMetadataAdmin):
    """What the secretariat may see of cases: pseudonymous metadata, read-only."""

    view_permission = "cases.view_case_statistics"
    list_display = ["reference", "member_state", "stage", "status", "created_at", "stage_changed_at", "anonymised_at"]
    list_filter = ["member_state", "stage", "status", "year"]
    list_select_related = ["member_state"]
    search_fields = ["reference"]
    fields = [
        "reference",
        "member_state",
        "year",
        "stage",
        "status",
        "created_at",
        "stage_changed_at",
        "closed_at",
        "anonymised_at",
    ]
    readonly_fields = fields


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
