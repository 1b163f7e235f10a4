from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects import services
from projects.models import Project
from publications.models import Publication
from thb_portal.public_figures import public_figures_changed


class OutputInline(admin.TabularInline):
    """The project's publications, read-only here: a publication names its project in its own form."""

    model = Publication
    fields = ["title", "type", "publication_date", "visibility"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name = "output (publication)"
    verbose_name_plural = "outputs (publications): set a publication's related project to add it here"


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
class ProjectAdmin(admin.ModelAdmin):
    form = ProjectForm
    inlines = [OutputInline]
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

    def save_model(self, request, obj, form, change):
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)
        public_figures_changed()

    def _set_visibility(self, request, queryset, change, done: str) -> None:
        count = 0
        for project in queryset:
            try:
                change(project)
            except ValidationError as error:
                self.message_user(request, f"{project}: {' '.join(error.messages)}", messages.ERROR)
            else:
                count += 1
        self.message_user(request, f"{count} project(s) {done}.", messages.SUCCESS)

    @admin.action(description="Publish: public, for everyone", permissions=["change"])
    def publish_public(self, request, queryset):
        self._set_visibility(request, queryset, lambda p: services.project_publish(project=p), "published for everyone")

    @admin.action(description="Publish: members only", permissions=["change"])
    def publish_members_only(self, request, queryset):
        self._set_visibility(
            request,
            queryset,
            lambda p: services.project_publish(project=p, members_only=True),
            "published for members only",
        )

    @admin.action(description="Unpublish: back to draft", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_visibility(
            request, queryset, lambda p: services.project_unpublish(project=p), "unpublished (now drafts)"
        )
