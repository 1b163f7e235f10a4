from django.db.models import QuerySet

from core.types import AnyUser
from members.access import access_requests_for
from members.models import AccessRequest, Role, User


def directory_user_list(*, user: AnyUser) -> QuerySet[User]:
    """Everyone in the expert directory: active, invited members with a role."""
    return (
        User.objects.active()
        .exclude(role="")
        .select_related("member_state", "organisation")
        .prefetch_related("expertise")
        .order_by("full_name", "pk")
    )


def ncp_directory_list(*, user: AnyUser) -> QuerySet[User]:
    return (
        User.objects.active()
        .with_role(Role.NCP)
        .select_related("member_state", "organisation")
        .order_by("member_state__name", "full_name", "pk")
    )


def access_request_list(*, user: AnyUser, open_only: bool = False) -> QuerySet[AccessRequest]:
    """The requests the user may see, newest first; with open_only, those still to decide."""
    requests = access_requests_for(user)
    if open_only:
        requests = requests.pending()
    return requests.select_related("subject", "member_state", "requested_by", "decided_by").order_by(
        "-created_at", "-pk"
    )


def pending_access_requests(*, subject: User) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.pending().filter(subject=subject).select_related("member_state")
