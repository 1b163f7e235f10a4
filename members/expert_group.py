"""Who is in the expert group, which the meetings and the consultations share.

Members are the secretariat, the observers (IOM, UNODC, OSCE…), and the national
representatives and NCPs of the states in the group: the CBSS members, the EU among them.
Trainers, the referral mechanism's partner states (Bulgaria, Romania, Ukraine) and the
public are not. A state acts as a state: any of its representatives answers for it.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from core.types import AnyUser
from members.models import STATE_ROLES, MemberState, MemberStateKind, Role, User
from notifications.services import notify

# The kinds of state whose representatives sit in the expert group.
GROUP_STATE_KINDS = (MemberStateKind.CBSS_MEMBER, MemberStateKind.EU)


def acting_state(user: AnyUser) -> MemberState | None:
    """The state a member answers for: their own, if it sits in the group."""
    if not user.is_authenticated or not user.is_active or user.role not in STATE_ROLES:
        return None
    state = user.member_state
    if state is None or not state.is_active or state.kind not in GROUP_STATE_KINDS:
        return None
    return state


def is_observer(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.OBSERVER)


def is_group_member(user: AnyUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.role in (Role.SECRETARIAT, Role.OBSERVER) or acting_state(user) is not None


def group_members() -> QuerySet[User]:
    """Everyone in the expert group, as users to notify."""
    states = Q(role__in=STATE_ROLES, member_state__kind__in=GROUP_STATE_KINDS, member_state__is_active=True)
    return User.objects.filter(Q(role__in=(Role.SECRETARIAT, Role.OBSERVER)) | states, is_active=True)


def state_members(state: MemberState) -> QuerySet[User]:
    """Who answers for a state: its national representatives and NCPs."""
    return User.objects.filter(role__in=STATE_ROLES, member_state=state, is_active=True)


def secretariat_members() -> QuerySet[User]:
    return User.objects.filter(role=Role.SECRETARIAT, is_active=True)


def participating_states() -> QuerySet[MemberState]:
    return MemberState.objects.active().filter(kind__in=GROUP_STATE_KINDS)


def notify_states_without_answer(
    *,
    answered: set[int],
    kind: str,
    text: Callable[[MemberState], str],
    link: str,
    target: Any,
    dedupe_prefix: str,
) -> tuple[int, int]:
    """Tell the members of each participating state whose id is not in `answered` (a meeting's
    invitation, a consultation), once per state and object however often a job runs (the
    notices' dedupe key). Returns (states reminded, notices sent)."""
    states = notices = 0
    for state in participating_states():
        if state.pk in answered:
            continue
        sent = notify(
            recipients=state_members(state),
            kind=kind,
            text=text(state),
            link=link,
            target=target,
            dedupe_prefix=dedupe_prefix,
        )
        states += bool(sent)
        notices += len(sent)
    return states, notices


R = TypeVar("R", bound=HttpResponseBase)


def group_members_only(view: Callable[..., R]) -> Callable[..., R]:
    """Anyone outside the expert group, signed in or not, gets 404: the group's pages do not
    even show that they exist (the 404 page offers visitors to sign in)."""

    @wraps(view)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> R:
        if not is_group_member(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return run
