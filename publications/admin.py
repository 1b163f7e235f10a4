from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats

from core.admin import SaveThroughServiceMixin, VisibilityActionsMixin, form_changes
from core.languages import LANGUAGES
from core.uploads import IMAGE_TYPES, PUBLICATION_FILE_TYPES
from projects.admin import add_project_inline
from publications import services
from publications.filters import year_choices
from publications.models import Audience, Publication, PublicationFile, Topic
from publications.resources import PublicationResource


def _accepted(types, max_bytes: int) -> str:
    return f"{', '.join(t.label for t in types)}; at most {max_bytes // 1_048_576} MB. Checked by its content."


class PublicationFileForm(forms.ModelForm):
    """The upload is checked here, so that a refused file is an error on its row and nothing is stored."""

    upload = forms.FileField(label="File", required=False)

    class Meta:
        model = PublicationFile
        fields = ["language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = _accepted(PUBLICATION_FILE_TYPES, settings.THB_PUBLICATION_MAX_UPLOAD_BYTES)
        if self.instance.pk:
            self.fields["upload"].help_text = (
                "Choose a file only to replace this one. " + self.fields["upload"].help_text
            )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            services.check_publication_file(upload)
        return upload

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if (
            not self.instance.pk
            and cleaned.get("language")
            and not cleaned.get("upload")
            and "upload" not in self.errors
        ):
            self.add_error("upload", "Choose the file for this language.")
        return cleaned


class PublicationFileInline(admin.TabularInline):
    model = PublicationFile
    form = PublicationFileForm
    extra = 1
    fields = ["language", "upload", "stored_file", "page_count", "download_count"]
    readonly_fields = ["stored_file", "page_count", "download_count"]

    @admin.display(description="Stored file")
    def stored_file(self, publication_file: PublicationFile) -> str:
        if not publication_file.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a> ({} KB)',
            publication_file.get_absolute_url(),
            publication_file.original_name,
            max(1, publication_file.size // 1024),
        )


class PublicationForm(forms.ModelForm):
    cover_upload = forms.FileField(label="Cover image", required=False)
    remove_cover = forms.BooleanField(label="Remove the cover", required=False)

    class Meta:
        model = Publication
        fields = [
            "title",
            "slug",
            "type",
            "publication_date",
            "abstract",
            "authors",
            "isbn",
            "audiences",
            "topics",
            "project",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cover_upload"].help_text = _accepted(IMAGE_TYPES, settings.THB_COVER_MAX_UPLOAD_BYTES)

    def clean_cover_upload(self):
        upload = self.cleaned_data.get("cover_upload")
        if upload:
            services.check_cover(upload)
        return upload


class FilesFilter(admin.SimpleListFilter):
    title = "files"
    parameter_name = "has_files"

    def lookups(self, request, model_admin):
        return [("no", "Without files"), ("yes", "With files")]

    def queryset(self, request, queryset):
        with_files = PublicationFile.objects.values("publication_id")
        if self.value() == "no":
            return queryset.exclude(pk__in=with_files)
        if self.value() == "yes":
            return queryset.filter(pk__in=with_files)
        return queryset


class RelatedRowFilter(admin.SimpleListFilter):
    """The publications with a related row of the value chosen, as a semi-join (`pk IN (…)`).

    A list filter on a many-to-many or reverse relation joins it, and the changelist then
    adds a DISTINCT over the whole list (and its count) against the duplicates; a semi-join
    has none. The choices come from small tables or fixed lists, never from the publications.
    """

    def choices_of(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def publications_with(self, value: str) -> QuerySet:
        """The ids of the publications with a related row for `value`."""
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return self.choices_of()

    def queryset(self, request, queryset):
        value = self.value()
        if value:
            return queryset.filter(pk__in=self.publications_with(value))
        return queryset


class AudienceFilter(RelatedRowFilter):
    title = "audience"
    parameter_name = "audience"

    def choices_of(self):
        return list(Audience.objects.values_list("code", "name"))

    def publications_with(self, value):
        return Publication.audiences.through.objects.filter(audience__code=value).values("publication_id")


class TopicFilter(RelatedRowFilter):
    title = "topic"
    parameter_name = "topic"

    def choices_of(self):
        return list(Topic.objects.values_list("code", "name"))

    def publications_with(self, value):
        return Publication.topics.through.objects.filter(topic__code=value).values("publication_id")


class LanguageFilter(RelatedRowFilter):
    title = "language of a file"
    parameter_name = "language"

    def choices_of(self):
        return list(LANGUAGES)

    def publications_with(self, value):
        return PublicationFile.objects.filter(language=value).values("publication_id")


class YearFilter(admin.SimpleListFilter):
    """Years from a fixed range (the library's), not a SELECT DISTINCT over every publication."""

    title = "year"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        return year_choices()

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            # A range of publication_date, which its indexes serve.
            return queryset.filter(publication_date__year=int(value))
        return queryset


@admin.register(Publication)
class PublicationAdmin(SaveThroughServiceMixin, VisibilityActionsMixin, ImportExportModelAdmin):
    form = PublicationForm
    resource_classes = [PublicationResource]
    formats = [base_formats.CSV, base_formats.XLSX]
    # Between preview and confirm the file waits in the shared cache, not on one web node's disk.
    tmp_storage_class = "import_export.tmp_storages.CacheStorage"
    inlines = [PublicationFileInline]
    list_display = ["title", "type", "publication_date", "visibility", "published_at", "project"]
    # Fixed choices and semi-joins only: no date_hierarchy (its years are a SELECT DISTINCT
    # over the table), no filter across a relation (the changelist would add a DISTINCT).
    list_filter = ["visibility", "type", AudienceFilter, TopicFilter, LanguageFilter, FilesFilter, YearFilter]
    list_select_related = ["project"]
    # The model's order, read off publication_date_list_idx.
    ordering = ["-publication_date", "-pk"]
    # One count (of the filtered list), not a second one of the whole table.
    show_full_result_count = False
    search_fields = ["title", "slug", "abstract", "authors", "isbn"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["project"]
    filter_horizontal = ["audiences", "topics"]
    readonly_fields = ["visibility", "published_at", "current_cover", "created_at", "updated_at"]
    actions = ["publish_public", "publish_members_only", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "type", "publication_date", "visibility", "published_at"]}),
        ("Content", {"fields": ["abstract", "authors", "isbn", "project"]}),
        ("Audiences and topics", {"fields": ["audiences", "topics"]}),
        ("Cover", {"fields": ["current_cover", "cover_upload", "remove_cover"]}),
        ("History", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="Current cover")
    def current_cover(self, publication: Publication) -> str:
        if not publication.cover:
            return "—"
        return format_html('<a href="{}">View the cover</a>', reverse("publications:cover", args=[publication.slug]))

    def has_import_permission(self, request):
        return request.user.has_perms(["publications.add_publication", "publications.change_publication"])

    def has_export_permission(self, request):
        return request.user.has_perm("publications.view_publication")

    def set_visibility(self, obj, visibility: str, by):
        return services.publication_set_visibility(publication=obj, visibility=visibility, by=by)

    def save_through_service(self, request, form, formsets, change):
        data, m2m = form_changes(form, change)
        files = next((formset for formset in formsets if formset.model is PublicationFile), None)
        services.publication_save(
            publication=form.instance,
            data=data,
            m2m=m2m,
            files=self._file_rows(files) if files is not None else (),
            cover=form.cleaned_data.get("cover_upload"),
            remove_cover=form.cleaned_data.get("remove_cover", False),
            by=request.user,
        )

    @staticmethod
    def _file_rows(formset) -> list[services.FileRow]:
        """The file rows as the service takes them; what to do with each is the service's."""
        rows = []
        deleted = formset.deleted_forms
        for inline_form in formset.forms:
            stored = inline_form.instance if inline_form.instance.pk else None
            if inline_form in deleted:
                if stored is not None:
                    rows.append(services.FileRow(file_id=stored.pk, remove=True))
                    formset.deleted_objects.append(stored)
                continue
            if not inline_form.has_changed():
                continue
            rows.append(
                services.FileRow(
                    language=inline_form.cleaned_data["language"],
                    upload=inline_form.cleaned_data.get("upload"),
                    file_id=stored.pk if stored is not None else None,
                )
            )
            if stored is not None:
                formset.changed_objects.append((stored, inline_form.changed_data))
            else:
                formset.new_objects.append(inline_form.instance)
        return rows

    def delete_model(self, request, obj):
        services.publication_delete(publication=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for publication in queryset:
            services.publication_delete(publication=publication, by=request.user)


# All shown, none changed: a publication names its project in its own form.
OUTPUT_FIELDS = ("title", "type", "publication_date", "visibility")


class OutputInline(admin.TabularInline):
    """A project's publications, on the project's form (added to projects' admin from here)."""

    model = Publication
    fields = OUTPUT_FIELDS
    readonly_fields = OUTPUT_FIELDS
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name = "output (publication)"
    verbose_name_plural = "outputs (publications): set a publication's related project to add it here"


add_project_inline(OutputInline)


class ReferenceDataAdmin(admin.ModelAdmin):
    """Audiences and topics: saved and deleted through their services (save_reference, delete_reference)."""

    list_display = ["name", "code", "position"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}

    def save_reference(self, obj, by) -> None:
        raise NotImplementedError

    def delete_reference(self, obj, by) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        self.save_reference(obj, request.user)

    def delete_model(self, request, obj):
        self.delete_reference(obj, request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_reference(obj, request.user)


@admin.register(Audience)
class AudienceAdmin(ReferenceDataAdmin):
    def save_reference(self, obj, by) -> None:
        services.audience_save(audience=obj, by=by)

    def delete_reference(self, obj, by) -> None:
        services.audience_delete(audience=obj, by=by)


@admin.register(Topic)
class TopicAdmin(ReferenceDataAdmin):
    # Through the service: its publications' search text follows a renamed or deleted topic.
    def save_reference(self, obj, by) -> None:
        services.topic_save(topic=obj, by=by)

    def delete_reference(self, obj, by) -> None:
        services.topic_delete(topic=obj, by=by)
