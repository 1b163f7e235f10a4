from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.selectors import FOLLOW_UP_SOON_DAYS, follow_ups_due
from consultations.selectors import open_for_dashboard
from core.pagination import COUNT_LIMIT
from core.types import AuthenticatedRequest
from discussions.selectors import unread_followed
from meetings.selectors import minutes_awaiting, own_open_action_points, upcoming_for_dashboard
from members.expert_group import is_group_member
from members.models import Role, User
from members.selectors import ncp_directory_list
from notifications.models import Delivery, DeliveryStatus
from notifications.selectors import current_announcements_for
from referrals.selectors import referral_work_queue, referral_work_queue_count, unread_referral_messages
from trainings.models import Training, TrainingFormat
from trainings.selectors import trainings_awaiting_review, upcoming_sessions

# Each block of the dashboard shows this many rows and links to its full list for the rest.
BLOCK_LIMIT = 10
LATEST_MESSAGES = 5


@dataclass(frozen=True)
class Block:
    """The first rows of a list and how many there are in all."""

    items: list
    total: int
    # The total was counted up to core.pagination.COUNT_LIMIT and stopped there.
    total_is_bounded: bool = False

    @property
    def more(self) -> bool:
        return self.total > len(self.items)


def _block(queryset: QuerySet, limit: int = BLOCK_LIMIT) -> Block:
    # One query whatever is waiting: each row carries the total (COUNT(*) OVER (), taken
    # before the LIMIT), so no separate count.
    rows = list(queryset.annotate(block_total=Window(Count("pk")))[:limit])
    return Block(items=rows, total=rows[0].block_total if rows else 0)


# A followed topic may hold thousands of threads, each counted for its unread posts: the
# dashboard counts them up to this many and says "at least" beyond.
UNREAD_COUNT_LIMIT = 50


def _bounded_block(queryset: QuerySet, limit: int) -> Block:
    """The first rows and a total counted no further than UNREAD_COUNT_LIMIT rows (a window
    total would annotate every matching row before the LIMIT)."""
    count_limit = UNREAD_COUNT_LIMIT
    rows = list(queryset[:count_limit])
    return Block(items=rows[:limit], total=len(rows), total_is_bounded=len(rows) >= count_limit)


def _place(training: Training) -> str:
    """Where a training's sessions happen, in words: "Online", "Hotel Viru, Tallinn, Estonia and online"."""
    if training.format == TrainingFormat.ONLINE:
        return "Online"
    parts = [training.venue, training.city, training.member_state.name if training.member_state else ""]
    place = ", ".join(part for part in parts if part) or "Place not set"
    return f"{place} and online" if training.format == TrainingFormat.HYBRID else place


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user: User = request.user
    context: dict[str, object] = {
        "role_label": Role(user.role).label if user.role else "Administrator",
        "announcements": current_announcements_for(user),
    }
    if user.member_state_id:
        # A state's experts see their own contact points first.
        context["own_contact_points"] = ncp_directory_list(user=user).filter(member_state=user.member_state)[:5]
    if user.role == Role.NCP and user.member_state_id:
        # A contact point's work queue: what waits for their state, then what is new or due.
        waiting = referral_work_queue_count(user=user)
        context["work_queue"] = Block(
            items=referral_work_queue(user=user, limit=BLOCK_LIMIT),
            total=waiting,
            total_is_bounded=waiting >= COUNT_LIMIT,
        )
        context["unread_messages"] = _block(unread_referral_messages(user=user), LATEST_MESSAGES)
        context["follow_ups"] = _block(follow_ups_due(user=user))
        context["follow_up_days"] = FOLLOW_UP_SOON_DAYS
    if user.role == Role.TRAINER:
        context["awaiting_review"] = _block(trainings_awaiting_review(user=user))
        context["next_sessions"] = sessions = _block(upcoming_sessions(user=user))
        for session in sessions.items:
            session.place = _place(session.training)
    if is_group_member(user):
        # The expert group's meetings ahead, with what each asks of the user's state.
        context["meetings_ahead"] = _block(upcoming_for_dashboard(user=user), 5)
        context["consultations_open"] = _block(open_for_dashboard(user=user), 5)
        context["minutes_awaiting"] = _block(minutes_awaiting(user=user), 5)
        context["own_action_points"] = _block(own_open_action_points(user=user), 5)
        context["unread_threads"] = _bounded_block(unread_followed(user=user), 5)
    if user.is_staff:
        context["pending_invitations"] = User.objects.active().invitation_pending().count()
        context["failed_deliveries"] = Delivery.objects.filter(status=DeliveryStatus.FAILED).count()
    return render(request, "dashboard.html", context)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: whatever failed may be what they need.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
