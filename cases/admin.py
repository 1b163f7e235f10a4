from django.contrib import admin

from cases.models import Case, ControlMeans, ExploitationForm


@admin.register(Case)
class CaseMetadataAdmin(admin.ModelAdmin):
    """What the secretariat may see of cases: pseudonymous metadata, read-only."""

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

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.has_perm("cases.view_case_statistics")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
