"""The admin lists data calls and returns for the secretariat to look up; values are
entered and returns moved on the portal's pages, where the checks and the workflow hold."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from reporting.models import DataCall, Indicator, IndicatorSet, Return


@admin.register(DataCall)
class DataCallAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "deadline", "indicator_set", "opened_at"]
    ordering = ["-year"]


@admin.register(Return)
class ReturnAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["data_call", "member_state", "status", "changed_at"]
    list_filter = ["status"]
    list_select_related = ["data_call", "member_state"]
    ordering = ["-data_call__year", "member_state__name"]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ["position", "code", "label", "group", "kind", "total_code", "breakdown"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IndicatorSet)
class IndicatorSetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The versions, read-only: a new one is made by reporting.services.indicator_set_new_version."""

    list_display = ["version", "label", "created_at"]
    ordering = ["-version"]
    inlines = [IndicatorInline]
