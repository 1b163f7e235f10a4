"""Admin pieces shared by several apps."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from core.errors import error_text
from core.pagination import BoundedCountPaginator
from core.types import AnyUser
from core.visibility import Visibility

if TYPE_CHECKING:
    # The mixins are mixed into ModelAdmin classes: the checker sees the admin they extend.
    AdminBase = admin.ModelAdmin[Any]
    ModelAdminBase = admin.ModelAdmin[Any]
else:
    AdminBase = object
    ModelAdminBase = admin.ModelAdmin


class VisibilityActionsMixin(AdminBase):
    """Publish (public or members only) and unpublish actions that call the app's service.

    The admin class defines `set_visibility(obj, visibility, by)`, calling its service.
    """

    def set_visibility(self, obj: Any, visibility: str, by: AnyUser) -> None:
        raise NotImplementedError

    def _apply_visibility(self, request: HttpRequest, queryset: QuerySet[Any], visibility: str, done: str) -> None:
        count = 0
        for obj in queryset:
            try:
                self.set_visibility(obj, visibility, request.user)
            except ValidationError as error:
                self.message_user(request, f"{obj}: {error_text(error)}", messages.ERROR)
            else:
                count += 1
        label = self.model._meta.verbose_name if count == 1 else self.model._meta.verbose_name_plural
        self.message_user(request, f"{count} {label} {done}.", messages.SUCCESS)

    @admin.action(description="Publish: public, for everyone", permissions=["change"])
    def publish_public(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._apply_visibility(request, queryset, Visibility.PUBLIC, "published for everyone")

    @admin.action(description="Publish: members only", permissions=["change"])
    def publish_members_only(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._apply_visibility(request, queryset, Visibility.MEMBERS, "published for members only")

    @admin.action(description="Unpublish: back to draft", permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        self._apply_visibility(request, queryset, Visibility.DRAFT, "unpublished (now drafts)")


def form_changes(form: "forms.ModelForm[Any]", change: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a model form sets, as a service takes it: (fields, many-to-many fields).

    On a change form only what changed; on an add form every field of the form's model.
    Form-only fields (an upload, a "remove" box) are the admin's to pass on by name.
    """
    model_fields = {field.name: field for field in form._meta.model._meta.get_fields()}
    names = [name for name in form.fields if name in model_fields and name in form.cleaned_data]
    if change:
        names = [name for name in names if name in form.changed_data]
    data = {name: form.cleaned_data[name] for name in names if not model_fields[name].many_to_many}
    m2m = {name: form.cleaned_data[name] for name in names if model_fields[name].many_to_many}
    return data, m2m


class SaveThroughServiceMixin(AdminBase):
    """The add and change forms save through the app's service, in one call.

    Django saves the object in save_model and its many-to-many fields and inlines in
    save_related; the service takes them together (files, topics, partners), so save_model
    saves nothing and save_related calls `save_through_service(request, form, formsets, change)`.
    """

    def save_through_service(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        pass  # saved with what belongs to it, in save_related

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The admin's history message reads these; save_through_service fills in what it did.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        self.save_through_service(request, form, formsets, change)


class ReadOnlyAdminMixin(AdminBase):
    """Records the admin lists but never adds, changes or deletes (services or jobs write them)."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyMetadataAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]  # any model
    """A read-only admin shown to holders of `view_permission` (pseudonymous metadata only)."""

    view_permission = ""

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return bool(request.user.is_active and request.user.has_perm(self.view_permission))


class LargeTableAdmin(ModelAdminBase):
    """What a changelist over a big table needs: no full count, a bounded one, sensible pages.

    The admin's ordering, its sortable columns and its filters are each admin's own, backed
    by an index (tests/core/test_admin_changelists.py).
    """

    show_full_result_count = False
    paginator = BoundedCountPaginator
    list_per_page = 50


# How many years back a year filter offers: fixed choices, so it never asks the table
# which years it holds (SELECT DISTINCT over every row).
YEARS_OFFERED = 10


class YearListFilter(admin.SimpleListFilter):
    """This year and the YEARS_OFFERED - 1 before it; a subclass says how a year filters."""

    title = "year"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        this_year = timezone.localdate().year
        return [(str(year), str(year)) for year in range(this_year, this_year - YEARS_OFFERED, -1)]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any] | None:
        value = self.value()
        if value is None or not value.isdigit():
            return queryset
        return self.filter_year(queryset, int(value))

    def filter_year(self, queryset: QuerySet[Any], year: int) -> QuerySet[Any]:
        raise NotImplementedError
