"""From a URL id to an access request (404 for missing and for not-yours alike), and who a
state's contact-point pages are for."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from core.types import AnyUser
from members.models import AccessRequest, AccessRequestKind, AccessRequestQuerySet, MemberState, Role, User

# Only these roles have the access-request pages at all (others get 403 for the list).
DECIDING_ROLES = (Role.NCP, Role.SECRETARIAT)


def access_requests_for(user: AnyUser) -> AccessRequestQuerySet:
    """The requests a user may see: those they may decide, made, or that concern them."""
    if not user.is_authenticated or not user.is_active or user.role not in DECIDING_ROLES:
        return AccessRequest.objects.none()
    mine = Q(requested_by=user) | Q(subject=user)
    if user.role == Role.SECRETARIAT:
        return AccessRequest.objects.all()
    # An NCP sees their own state's requests; superuser requests are the secretariat's alone.
    state = Q(member_state_id=user.member_state_id) & ~Q(kind=AccessRequestKind.SUPERUSER)
    return AccessRequest.objects.filter(mine | state)


def access_access_request(user: AnyUser, pk: int) -> AccessRequest:
    access_request = (
        access_requests_for(user)
        .select_related("subject__member_state", "member_state", "organisation", "requested_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if access_request is None:
        raise Http404("No such access request.")
    return access_request


def require_state_ncp(user: User) -> MemberState:
    """The state of a contact point, for the pages of a state's contact points (the case list,
    a new case, the referral inbox and outbox): anyone else gets 403. Pages of one case or
    referral need no such check: their access functions answer 404 to anyone without the
    state's grant, whatever their role."""
    if user.role != Role.NCP or user.member_state is None:
        raise PermissionDenied
    return user.member_state
