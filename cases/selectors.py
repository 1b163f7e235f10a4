from django.db.models import Count, QuerySet

from cases.access import cases_for
from cases.models import Case, Stage


def case_list(*, user) -> QuerySet[Case]:
    """The cases the user may open, ready for the list page (no identity, ever)."""
    return (
        cases_for(user)
        .select_related("member_state", "case_worker")
        .prefetch_related("forms_of_exploitation")
        .order_by("-created_at", "-pk")
    )


def open_cases_per_stage(*, user) -> list[dict]:
    counts = dict(
        cases_for(user).open().order_by().values_list("stage").annotate(count=Count("pk")).values_list("stage", "count")
    )
    return [
        {"stage": stage, "label": label, "count": counts.get(stage, 0)}
        for stage, label in Stage.choices
        if stage != Stage.CLOSED
    ]


def case_audit_trail(*, case: Case):
    from auditlog.models import LogEntry

    return (
        LogEntry.objects.filter(additional_data__case_id=case.pk)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )
