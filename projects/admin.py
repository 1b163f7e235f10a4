from typing import ClassVar

from django import forms
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin

from core.admin import SaveThroughServiceMixin, VisibilityActionsMixin, form_changes
from projects import services
from projects.models import Project


class ProjectForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Project
        fields = [
            "title",
            "acronym",
            "slug",
            "summary",
            "description",
            "status",
            "funding_source",
            "budget",
            "co_financing",
            "start_date",
            "end_date",
            "lead_organisation",
            "partner_organisations",
            "partner_states",
            "website",
            "contact_email",
        ]


@admin.register(Project)
class ProjectAdmin(SaveThroughServiceMixin, VisibilityActionsMixin, admin.ModelAdmin):
    form = ProjectForm
    # What belongs to a project and is kept by an app above this one (publications' outputs) is
    # shown by that app's inline, which its admin module adds (add_project_inline).
    inlines: ClassVar[list[type[InlineModelAdmin]]] = []
    list_display = ["title", "acronym", "status", "funding_source", "start_date", "end_date", "visibility"]
    list_filter = ["visibility", "status", "funding_source", "partner_states", "start_date"]
    list_select_related = ["lead_organisation"]
    search_fields = ["title", "acronym", "slug", "summary", "lead_organisation__name"]
    prepopulated_fields = {"slug": ["acronym", "title"]}
    autocomplete_fields = ["lead_organisation", "partner_organisations", "partner_states"]
    readonly_fields = ["visibility", "published_at", "created_at", "updated_at"]
    actions = ["publish_public", "publish_members_only", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "acronym", "slug", "summary", "description", "visibility", "published_at"]}),
        ("Status and funding", {"fields": ["status", "funding_source", "budget", "co_financing"]}),
        ("Dates", {"fields": ["start_date", "end_date"]}),
        ("Partners", {"fields": ["lead_organisation", "partner_organisations", "partner_states"]}),
        ("Contact", {"fields": ["website", "contact_email"]}),
        ("History", {"fields": ["created_at", "updated_at"]}),
    ]

    def set_visibility(self, obj, visibility: str, by):
        return services.project_set_visibility(project=obj, visibility=visibility, by=by)

    def delete_model(self, request, obj):
        services.project_delete(project=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for project in queryset:
            services.project_delete(project=project, by=request.user)

    def save_through_service(self, request, form, formsets, change):
        # The added inlines are read-only: a publication names its project in its own form.
        data, m2m = form_changes(form, change)
        services.project_save(project=form.instance, data=data, m2m=m2m, by=request.user)


def add_project_inline(inline: type[InlineModelAdmin]) -> None:
    """Show `inline` on the project form; for apps above projects, which projects cannot import."""
    if inline not in ProjectAdmin.inlines:
        ProjectAdmin.inlines.append(inline)
