"""The admin lists meetings, agenda items and delegations for the secretariat to look up;
every change goes through the portal's pages, where the services keep the rules (cut-offs,
one answer per state) and the notices."""

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from meetings.models import AgendaItem, Delegation, Meeting


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "starts_on", "status", "host_state"]
    list_filter = ["status", "kind"]
    list_select_related = ["host_state"]
    ordering = ["-starts_on", "-id"]
    search_fields = ["title"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "meeting", "status", "proposing_state", "position"]
    list_filter = ["status", "purpose"]
    list_select_related = ["meeting", "proposing_state"]
    ordering = ["meeting", "status", "position", "id"]
    search_fields = ["title"]


@admin.register(Delegation)
class DelegationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["meeting", "member_state", "reply", "answered_by", "answered_at"]
    list_filter = ["reply"]
    list_select_related = ["meeting", "member_state", "answered_by"]
    ordering = ["meeting", "member_state__name"]
