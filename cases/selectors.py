from auditlog.models import LogEntry
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
    return (
        LogEntry.objects.filter(additional_data__case_id=case.pk)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


# How many of the latest outside reads the case page lists; the audit trail has them all.
SEEN_OUTSIDE_TEAM_LIMIT = 20


def case_seen_outside_team(*, case: Case, limit: int = SEEN_OUTSIDE_TEAM_LIMIT) -> list[LogEntry]:
    """Who outside the owning state's team read or revealed the case's data through a referral.

    The referral services record each read with the referral's case and the acting side
    (referrals.services._log_read); the sending side is always the case's own state, so
    the receiving side's entries are exactly the outside ones. Newest first, bounded, in
    one query whatever the number of entries.
    """
    return list(
        LogEntry.objects.filter(
            additional_data__case_id=case.pk,
            additional_data__side="receiving",
            action=LogEntry.Action.ACCESS,
        )
        .select_related("actor")
        .order_by("-timestamp", "-pk")[:limit]
    )
