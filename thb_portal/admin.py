from django.contrib import admin

from thb_portal.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    """The log of periodic jobs: read-only, so it stays a faithful record."""

    list_display = ["name", "started_at", "finished_at", "succeeded", "result"]
    list_filter = ["name", "succeeded"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
