"""Type aliases the apps share.

The kernel imports no app at run time (DESIGN.md section 3), so the user model is
named only for the type checker; at run time the alias holds forward references.
"""

from typing import TYPE_CHECKING, TypeAlias, Union

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from members.models import User

# Whoever makes a request: a signed-in user or an anonymous visitor (`request.user`).
# Every access and selector function takes this, and narrows with `user.is_authenticated`.
AnyUser: TypeAlias = Union["User", "AnonymousUser"]

# A portal user (settings.AUTH_USER_MODEL), for annotations in the apps below members
# (notifications), which must not import it. At run time the alias is a forward reference
# (a Union of one, so that `PortalUser | None` still evaluates).
PortalUser: TypeAlias = Union["User"]


class HtmxRequest(HttpRequest):
    """A request as the views see it: django-htmx's middleware adds `htmx` to every one."""

    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    """The request of a view that only a signed-in user reaches (@login_required, or
    @permission_required, which an anonymous visitor never passes)."""

    user: "User"
