"""Reads on national reporting that depend on who asks."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.types import AnyUser
from reporting.access import manages, reporting_state
from reporting.models import DataCall, IndicatorSet, Return, ReturnComment, ReturnEvent, ReturnFile, ReturnStatus


def data_calls(*, user: AnyUser) -> QuerySet[DataCall]:
    """The secretariat's list of calls, newest year first, with how many returns are validated."""
    if not manages(user):
        return DataCall.objects.none()
    return DataCall.objects.order_by("-year").annotate(
        return_total=Count("returns"),
        validated=Count("returns", filter=Q(returns__status=ReturnStatus.VALIDATED)),
        submitted=Count("returns", filter=Q(returns__status=ReturnStatus.SUBMITTED)),
    )


def own_returns(*, user: AnyUser) -> QuerySet[Return]:
    """A state's returns, newest year first."""
    state = reporting_state(user)
    if state is None:
        return Return.objects.none()
    return (
        Return.objects.filter(member_state=state)
        .select_related("data_call", "member_state")
        .order_by("-data_call__year")
    )


# A new version is made for each indicator added: a handful a year.
VERSIONS_SHOWN = 20


def indicator_versions() -> list[IndicatorSet]:
    """The newest versions first, each with the years of the data calls that ask for it."""
    calls = Prefetch("data_calls", queryset=DataCall.objects.order_by("-year").only("year", "indicator_set_id"))
    return list(
        IndicatorSet.objects.annotate(indicator_count=Count("indicators"))
        .prefetch_related(calls)
        .order_by("-version")[:VERSIONS_SHOWN]
    )


def section_files(*, return_record: Return) -> dict[int, ReturnFile]:
    """Each qualitative section's current file (the newest not removed), by indicator id."""
    files = (
        ReturnFile.objects.filter(return_record=return_record, removed_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("indicator_id", "-uploaded_at", "-id")
    )
    current: dict[int, ReturnFile] = {}
    for one in files:
        current.setdefault(one.indicator_id, one)
    return current


def board(*, call: DataCall) -> QuerySet[Return]:
    """Per state: the status, the last change and the secretariat's comments still open."""
    open_comments = (
        ReturnComment.objects.filter(return_record=OuterRef("pk"), from_secretariat=True, resolved=False)
        .order_by()
        .values("return_record")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Return.objects.filter(data_call=call)
        .select_related("member_state", "changed_by")
        .annotate(open_comments=Coalesce(Subquery(open_comments, output_field=IntegerField()), 0))
        .order_by("member_state__name")
    )


def events(*, return_record: Return) -> list[ReturnEvent]:
    return list(return_record.events.select_related("by").order_by("at", "id"))


def comments(*, return_record: Return) -> list[ReturnComment]:
    return list(return_record.comments.select_related("author").order_by("created_at", "id"))
