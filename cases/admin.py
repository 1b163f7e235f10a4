from typing import Any

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property

from cases.models import Case, ControlMeans, ExploitationForm
from core.admin import ReadOnlyMetadataAdmin


class BoundedCountPaginator(Paginator):
    """Counts a changelist's rows up to COUNT_LIMIT, never the whole table.

    A COUNT(*) of a million cases reads them all; this reads at most COUNT_LIMIT ids off the
    ordering's index. Past the limit the changelist says COUNT_LIMIT and pages that far; a
    filter or a search narrows it down.
    """

    COUNT_LIMIT = 10_000

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if isinstance(object_list, QuerySet):
            return object_list.values("pk")[: self.COUNT_LIMIT].count()
        return min(len(object_list), self.COUNT_LIMIT)


class LargeTableAdmin(admin.ModelAdmin):
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


class CaseYearFilter(YearListFilter):
    def filter_year(self, queryset: QuerySet[Any], year: int) -> QuerySet[Any]:
        return queryset.filter(year=year)  # case_year_list_idx, in the changelist's order


# Shown and read-only alike: the secretariat sees these of a case, and changes none.
CASE_METADATA_FIELDS = (
    "reference",
    "member_state",
    "year",
    "stage",
    "status",
    "created_at",
    "stage_changed_at",
    "closed_at",
    "anonymised_at",
)


@admin.register(Case)
class CaseMetadataAdmin(LargeTableAdmin, ReadOnlyMetadataAdmin):
    """What the secretariat may see of cases: pseudonymous metadata, read-only."""

    view_permission = "cases.view_case_statistics"
    list_display = ["reference", "member_state", "stage", "status", "created_at", "stage_changed_at", "anonymised_at"]
    # Member states are a small table; the rest are fixed choices.
    list_filter = ["member_state", "stage", "status", CaseYearFilter]
    list_select_related = ["member_state"]
    # case_created_list_idx; with a state, stage, status or year filter, that filter's index.
    ordering = ["-created_at", "-id"]
    sortable_by = ["reference", "created_at"]  # the unique reference's index and the ordering's
    search_fields = ["reference"]
    fields = CASE_METADATA_FIELDS
    readonly_fields = CASE_METADATA_FIELDS


@admin.register(ExploitationForm)
class ExploitationFormAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "ctdc_column"]
    readonly_fields = ["code"]

    def has_delete_permission(self, request, obj=None):
        return False  # statistics depend on stable codes


@admin.register(ControlMeans)
class ControlMeansAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    readonly_fields = ["code"]

    def has_delete_permission(self, request, obj=None):
        return False
