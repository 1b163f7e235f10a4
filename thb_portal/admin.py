from functools import cached_property
from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Q

from core.admin import ReadOnlyAdminMixin
from thb_portal.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The log of periodic jobs: read-only, so it stays a faithful record."""

    list_display = ["name", "started_at", "finished_at", "succeeded", "result"]
    list_filter = ["name", "succeeded"]
    date_hierarchy = "started_at"


# The audit trail, as the secretariat sees it -------------------------------------------
#
# auditlog's own admin shows every change value: for a case that is its citizenship,
# gender, age band, consent and risk levels, which the suppression of the statistics is
# there to hide. The secretariat oversees the log's metadata only (DESIGN.md §7); the
# values stay on each case's own trail, for its state's contact points.

# Apps whose change values are not about a victim: accounts, states, organisations, reference
# data and publications. Deny by default: a model audited later shows no values until its
# app is listed here.
VALUES_SHOWN_APPS = frozenset({"members", "publications", "projects"})
# Among the victims' records, these have a pseudonymous reference as their string (EE-2026-0042,
# EE-2026-0042-R1). Every other record of theirs may carry a value in its string (a document's
# title, a proceedings' country, a consent's date), so it is shown by its id.
REFERENCE_REPR_MODELS = frozenset({("cases", "case"), ("referrals", "referral")})


def _values_shown(entry: LogEntry) -> bool:
    return entry.content_type.app_label in VALUES_SHOWN_APPS


def _repr_shown(content_type: ContentType) -> bool:
    return (
        content_type.app_label in VALUES_SHOWN_APPS
        or (content_type.app_label, content_type.model) in REFERENCE_REPR_MODELS
    )


def _audited_types() -> list[ContentType]:
    # From ContentType's cache after the first call: no query per page.
    return list(ContentType.objects.get_for_models(*auditlog.get_models()).values())


def audit_reference(entry: LogEntry) -> str:
    """What the secretariat may call the object: its reference where harmless, else its id."""
    if _repr_shown(entry.content_type):
        return entry.object_repr
    return f"#{entry.object_pk}"


class AuditedTypeFilter(admin.SimpleListFilter):
    """The object types from the audit registry: fixed choices, no DISTINCT over the log."""

    title = "object type"
    parameter_name = "type"

    def lookups(self, request, model_admin):
        return sorted(((str(t.pk), t.name) for t in _audited_types()), key=lambda choice: choice[1])

    def queryset(self, request, queryset):
        # A value that is not one of the choices filters nothing, rather than failing.
        value = self.value()
        if value is not None and value in {key for key, _label in self.lookup_choices}:
            return queryset.filter(content_type_id=int(value))
        return queryset


class CappedCountPaginator(Paginator):
    """Counts at most CAP entries: the log grows for ever, and a page must not count it whole."""

    CAP = 10_000

    @cached_property
    def count(self) -> int:
        # The admin hands this paginator a queryset, which counts in the database.
        return int(self.object_list[: self.CAP].count())  # type: ignore[attr-defined]


_SHOWN_FIELDS: list[Any] = ["timestamp", "actor_display", "action", "content_type", "reference", "remote_addr"]


class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit log's metadata, read-only: who, when, which action, on what, from where."""

    list_display = ["timestamp", "actor_display", "action", "content_type", "reference", "remote_addr"]
    list_display_links = ["timestamp"]
    list_filter = ["action", AuditedTypeFilter, ("timestamp", admin.DateFieldListFilter)]
    list_select_related = ["actor", "content_type"]
    list_per_page = 50
    # Shown for the search box; the search itself is get_search_results below.
    search_fields = ["actor__email", "actor__full_name", "object_repr"]
    search_help_text = "Search by the actor's email or name, or by a reference (EE-2026-0042)."
    show_full_result_count = False
    paginator = CappedCountPaginator
    ordering = ["-timestamp", "-pk"]
    actions = None
    # The detail page is built from these, never from the model's own fields: changes,
    # changes_text, serialized_data and additional_data all hold values.
    fields = _SHOWN_FIELDS
    readonly_fields = [*_SHOWN_FIELDS, "values"]
    change_form_template = "admin/auditlog/logentry/change_form.html"

    @admin.display(description="actor", ordering="actor__email")
    def actor_display(self, entry: LogEntry) -> str:
        if entry.actor_id:
            return str(entry.actor)
        return entry.actor_email or "the portal (a job or a command)"

    @admin.display(description="reference")
    def reference(self, entry: LogEntry) -> str:
        return audit_reference(entry)

    @admin.display(description="values")
    def values(self, entry: LogEntry) -> str:
        if not _values_shown(entry):
            return "Not shown here."
        lines = [f"{name}: {' → '.join(str(v) for v in change)}" for name, change in entry.changes_dict.items()]
        lines += [f"{name}: {value}" for name, value in (entry.additional_data or {}).items()]
        return "\n".join(lines) or "—"

    def get_fields(self, request, obj=None):
        if obj is not None and _values_shown(obj):
            return [*self.fields, "values"]
        return list(self.fields)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()[:200]
        if not term:
            return queryset, False
        shown_types = [t.pk for t in _audited_types() if _repr_shown(t)]
        # A repr that is not shown is not searched either, or the search would answer
        # "which document is titled Passport of …".
        matches = (
            Q(actor__email__icontains=term)
            | Q(actor__full_name__icontains=term)
            | Q(object_repr__icontains=term, content_type_id__in=shown_types)
        )
        return queryset.filter(matches), False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entry = self.get_object(request, object_id)
        # The admin titles the page with str(entry), which is "Updated <object repr>".
        label = f"{entry.get_action_display()} {audit_reference(entry)}" if entry else ""
        context = {**(extra_context or {}), "subtitle": label, "entry_label": label}
        return super().change_view(request, object_id, form_url, extra_context=context)

    def get_urls(self):
        # The history page would title itself with str(entry); there is no admin history of
        # a read-only record anyway.
        return [pattern for pattern in super().get_urls() if not (pattern.name or "").endswith("_history")]


# auditlog registers its own admin first (it comes before this app in INSTALLED_APPS).
if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
admin.site.register(LogEntry, AuditEntryAdmin)
