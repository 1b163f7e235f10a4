from datetime import datetime
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.types import AnyUser
from projects.models import Project
from trainings.access import trainings_for
from trainings.models import (
    ATTENDANCE_STATUSES,
    SEAT_STATUSES,
    Attendance,
    Registration,
    RegistrationStatus,
    Training,
    TrainingSession,
    TrainingStatus,
)


def training_list(*, user: AnyUser) -> QuerySet[Training]:
    """The trainings the user runs (all of them for the secretariat), with their counts."""
    return (
        trainings_for(user)
        .select_related("member_state")
        .annotate(
            seated=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES)),
            waitlisted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        )
        .order_by("-starts_on", "-pk")
    )


def training_counts(*, training: Training) -> dict[str, int]:
    """The training's registrations by status, and under "seated" the places they take."""
    counts = dict(
        training.registrations.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_status = {status: counts.get(status, 0) for status in RegistrationStatus.values}
    return {**by_status, "seated": sum(by_status[status] for status in SEAT_STATUSES)}


class SessionsAttended(TypedDict):
    # A Count; typed as the type checker's plugin types an annotate() it reads.
    sessions_attended: Any


if TYPE_CHECKING:
    # For the checker only: at run time WithAnnotations takes no TypedDict (Python 3.11).
    from django_stubs_ext import WithAnnotations

    # A registration read with how many sessions it was present at (lists, exports, certificates).
    RegistrationWithAttendance = WithAnnotations[Registration, SessionsAttended]


def _with_attendance(registrations: QuerySet[Any]) -> "QuerySet[RegistrationWithAttendance]":
    # What annotate(sessions_attended=...) gives; the plugin types each annotate() as a class of
    # its own, which a declared return type cannot name, so the selectors say it here.
    return cast("QuerySet[RegistrationWithAttendance]", registrations)


def registration_list(
    *, training: Training, query: str = "", status: str = ""
) -> "QuerySet[RegistrationWithAttendance]":
    # A correlated count, not Count("attendances"): a GROUP BY would count every participant's
    # attendance before the page takes its 25; this runs for the page's rows only.
    attended = (
        Attendance.objects.filter(registration=OuterRef("pk"))
        .order_by()
        .values("registration")
        .annotate(sessions=Count("pk"))
        .values("sessions")
    )
    registrations = training.registrations.annotate(
        sessions_attended=Coalesce(Subquery(attended), Value(0), output_field=IntegerField())
    ).order_by("full_name", "pk")
    if query:
        registrations = registrations.filter(
            Q(full_name__icontains=query) | Q(email__icontains=query) | Q(organisation__icontains=query)
        )
    if status in RegistrationStatus.values:
        registrations = registrations.filter(status=status)
    return _with_attendance(registrations)


def attendance_sheet(*, training: Training) -> QuerySet[Registration]:
    """Participants who can attend, each with the ids of the sessions they were at."""
    return (
        training.registrations.filter(status__in=ATTENDANCE_STATUSES)
        .prefetch_related(Prefetch("attendances", queryset=Attendance.objects.only("registration_id", "session_id")))
        .order_by("full_name", "pk")
    )


def attendees(*, training: Training, now: datetime) -> "QuerySet[RegistrationWithAttendance]":
    """Who gets a certificate: attended, counting only sessions that have started (a mark on a
    future session, from before that was refused, certifies nothing)."""
    started = Q(attendances__session__starts_at__lte=now)
    return _with_attendance(
        training.registrations.attended()
        .annotate(sessions_attended=Count("attendances", filter=started))
        .filter(sessions_attended__gt=0)
        .order_by("full_name", "pk")
    )


def sessions_with_attendance(*, training: Training) -> QuerySet[TrainingSession]:
    return training.sessions.annotate(present=Count("attendances")).order_by("starts_at", "pk")


# A training that is over or called off has no registrations left to decide.
_ENDED = (TrainingStatus.COMPLETED, TrainingStatus.CANCELLED)


def _run_by(trainer: AnyUser) -> QuerySet[Training]:
    """The trainings a trainer runs: their grant, which is the access rule (trainings.access),
    and the trainers list the same service keeps (services.training_set_trainers). The list
    gives the planner an index to start from, the trainer's few rows of the list, instead of
    every training checked against the grant's subqueries."""
    if not trainer.is_authenticated:
        return Training.objects.none()
    return trainings_for(trainer).filter(trainers=trainer)


def trainings_awaiting_review(*, user: AnyUser) -> QuerySet[Training]:
    """The trainer's running trainings with registrations awaiting approval, each with `pending`, soonest first.

    The status filter comes before the count, so only the waiting registrations are joined
    and counted (registration_training_status: training, status).
    """
    return (
        _run_by(user)
        .exclude(status__in=_ENDED)
        .filter(registrations__status=RegistrationStatus.REGISTERED)
        .annotate(pending=Count("registrations"))
        .order_by(F("starts_on").asc(nulls_last=True), "pk")
    )


def upcoming_sessions(*, user: AnyUser, now: datetime | None = None) -> QuerySet[TrainingSession]:
    """The sessions of the trainer's trainings that have not ended yet (one under way included), next first.

    Reached from the trainer's trainings through the session's training index.
    """
    now = now or timezone.now()
    return (
        TrainingSession.objects.filter(training__in=_run_by(user), ends_at__gt=now)
        .exclude(training__status=TrainingStatus.CANCELLED)
        .select_related("training", "training__member_state")
        .order_by("starts_at", "pk")
    )


def project_trainings(*, project: Project) -> QuerySet[Training]:
    """The project's trainings, as the public may know them (title, audience, place, dates): its
    page's list (projects.sections). Every training but the cancelled, whoever looks."""
    return (
        Training.objects.filter(project=project)
        .exclude(status=TrainingStatus.CANCELLED)
        .select_related("member_state")
        .order_by("-starts_on", "-pk")
    )
