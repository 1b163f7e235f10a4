"""The admin lists consultations and answers for the secretariat to look up; every change
goes through the portal's pages, where the deadline and one answer per state hold."""

from django.contrib import admin

from consultations.models import Answer, Consultation
from core.admin import ReadOnlyAdminMixin


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "round", "procedure", "deadline", "status", "outcome"]
    list_filter = ["status", "procedure", "outcome"]
    ordering = ["-opened_at", "-id"]
    search_fields = ["title"]
    exclude = ["file"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["consultation", "member_state", "position", "answered_by", "answered_at"]
    list_filter = ["position"]
    list_select_related = ["consultation", "member_state", "answered_by"]
    ordering = ["consultation", "member_state__name"]
