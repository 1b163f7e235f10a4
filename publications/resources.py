"""Bulk import and export of the publication catalogue (django-import-export, in the admin).

A catalogue row is a publication's metadata; files are uploaded in the admin. Every
bad value is reported as an error on its row, in words, naming the column: unknown
codes list the accepted ones. Rows are checked with the model's own validation, and
nothing is imported while any row has an error (the admin's confirm step).
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from core.spreadsheets import FORMULA_PREFIXES, safe_cell
from core.visibility import Visibility
from projects.models import Project
from publications import services
from publications.models import Audience, Publication, PublicationType, Topic


class ChoiceWidget(widgets.Widget):
    """A choice by its code or its label, in any case; anything else is a clear error."""

    def __init__(self, choices, what: str):
        super().__init__()
        self.choices = list(choices)
        self.what = what

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            return ""
        for code, label in self.choices:
            if text.lower() in (code.lower(), str(label).lower()):
                return code
        codes = ", ".join(code for code, _ in self.choices)
        raise ValueError(f"Unknown {self.what} “{text}”. Use one of: {codes}.")

    def render(self, value, obj=None, **kwargs):
        return value or ""


class CodesWidget(widgets.ManyToManyWidget):
    """Comma-separated codes of lookup rows (audiences, topics); an unknown code is an error."""

    def __init__(self, model, what: str):
        super().__init__(model, separator=",", field="code")
        self.what = what

    def clean(self, value, row=None, **kwargs):
        codes = [code.strip() for code in str(value or "").split(self.separator) if code.strip()]
        found = self.model.objects.filter(code__in=codes)
        unknown = sorted(set(codes) - {item.code for item in found})
        if unknown:
            known = ", ".join(self.model.objects.order_by("position").values_list("code", flat=True))
            raise ValueError(f"Unknown {self.what} “{'”, “'.join(unknown)}”. Use codes from: {known}.")
        return found


class ProjectWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(Project, field="slug")

    def clean(self, value, row=None, **kwargs):
        if not str(value or "").strip():
            return None
        try:
            return super().clean(str(value).strip(), row, **kwargs)
        except Project.DoesNotExist:
            raise ValueError(f"No project has the address (slug) “{value}”.") from None


class IsoDateWidget(widgets.DateWidget):
    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(f"“{value}” is not a date. Write it as YYYY-MM-DD, for example 2024-05-31.") from None


class PublicationResource(resources.ModelResource):
    slug = fields.Field(attribute="slug", column_name="slug")
    title = fields.Field(attribute="title", column_name="title")
    type = fields.Field(
        attribute="type", column_name="type", widget=ChoiceWidget(PublicationType.choices, "publication type")
    )
    visibility = fields.Field(
        attribute="visibility",
        column_name="visibility",
        widget=ChoiceWidget(Visibility.choices, "visibility"),
        default=Visibility.DRAFT,
    )
    publication_date = fields.Field(
        attribute="publication_date", column_name="publication_date", widget=IsoDateWidget()
    )
    audiences = fields.Field(attribute="audiences", column_name="audiences", widget=CodesWidget(Audience, "audience"))
    topics = fields.Field(attribute="topics", column_name="topics", widget=CodesWidget(Topic, "topic"))
    abstract = fields.Field(attribute="abstract", column_name="abstract")
    authors = fields.Field(attribute="authors", column_name="authors")
    isbn = fields.Field(attribute="isbn", column_name="isbn")
    project = fields.Field(attribute="project", column_name="project", widget=ProjectWidget())
    languages = fields.Field(column_name="languages", readonly=True)
    downloads = fields.Field(column_name="downloads", readonly=True)

    class Meta:
        model = Publication
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "type",
            "visibility",
            "publication_date",
            "audiences",
            "topics",
            "abstract",
            "authors",
            "isbn",
            "project",
            "languages",
            "downloads",
        ]
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True

    # Export ------------------------------------------------------------------------

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("project").prefetch_related("audiences", "topics", "files").order_by("pk")

    def dehydrate_languages(self, publication: Publication) -> str:
        return ",".join(file.language for file in publication.files_in_order)

    def dehydrate_downloads(self, publication: Publication) -> int:
        return sum(file.download_count for file in publication.files.all())

    def export_field(self, field, instance, **kwargs):
        # A cell that Excel would run as a formula is exported as text (see before_import_row).
        return safe_cell(super().export_field(field, instance, **kwargs))

    # Import ------------------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        for column, value in list(row.items()):
            # Undo safe_cell: "'=..." in a file this export made stands for "=...".
            if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in FORMULA_PREFIXES:
                row[column] = value[1:]

    def import_instance(self, instance, row, **kwargs):
        """Set the fields, and check the audience and topic codes too, so that every error shows at once."""
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not str(row.get("type") or "").strip():
            errors.setdefault("type", []).append(ValidationError("The type is empty."))
        for field in (self.fields["audiences"], self.fields["topics"]):
            if field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors.setdefault(field.attribute, []).append(ValidationError(str(error)))
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        """Each row is one publication_save, as the admin's form is, by the admin's signed-in user
        (import-export passes it as `user`): the audit actor, the topics indexed, the figures
        dropped. Visibility goes through publication_set_visibility, which records when an item
        first went out; the row's audiences and topics go with it (save_m2m does nothing more)."""
        if self._is_dry_run(kwargs) and not self._is_using_transactions(kwargs):
            return  # as import-export's own: a dry run with nothing to roll back writes nothing
        by = kwargs.get("user")
        self.before_save_instance(instance, row, **kwargs)
        fields = [field for field in self.get_import_fields() if field.attribute and field.column_name in row]
        m2m = {
            field.attribute: field.clean(row) for field in fields if isinstance(field.widget, widgets.ManyToManyWidget)
        }
        data = {
            field.attribute: getattr(instance, field.attribute)
            for field in fields
            if field.attribute not in m2m and field.attribute not in services.VISIBILITY_FIELDS
        }
        wanted = instance.visibility
        if is_create:
            instance.visibility = Visibility.DRAFT
        else:
            instance.visibility = Publication.objects.filter(pk=instance.pk).values_list("visibility", flat=True)[0]
        services.publication_save(publication=instance, data=data, m2m=m2m, by=by)
        if wanted != instance.visibility:
            updated = services.publication_set_visibility(publication=instance, visibility=wanted, by=by)
            instance.visibility, instance.published_at = updated.visibility, updated.published_at
        self.after_save_instance(instance, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        pass  # saved with the row, by publication_save (save_instance)
