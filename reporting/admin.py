"""The admin lists data calls and returns for the secretariat to look up; values are
entered and returns moved on the portal's pages, where the checks and the workflow hold."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from reporting.models import DataCall, Return


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
