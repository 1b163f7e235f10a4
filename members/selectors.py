from django.db.models import QuerySet

from members.models import Role, User


def directory_user_list(*, user: User) -> QuerySet[User]:
    """Everyone in the expert directory: active, invited members with a role."""
    return (
        User.objects.active()
        .exclude(role="")
        .select_related("member_state", "organisation")
        .prefetch_related("expertise")
        .order_by("full_name", "pk")
    )


def ncp_directory_list(*, user: User) -> QuerySet[User]:
    return (
        User.objects.active()
        .with_role(Role.NCP)
        .select_related("member_state", "organisation")
        .order_by("member_state__name", "full_name", "pk")
    )
