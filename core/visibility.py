"""Who may see published content: the levels shared by publications and projects.

Public items are for everyone; members-only items for signed-in users who may read the
directories (every role); drafts for whoever holds the model's draft permission (the
secretariat).
"""

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import ParamSpec, Protocol

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from core.types import AnyUser

MEMBER_PERMISSION = "members.view_directory"

P = ParamSpec("P")


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    MEMBERS = "members", "Members only"
    DRAFT = "draft", "Draft"


def is_member(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(MEMBER_PERMISSION))


def visible_levels(user: AnyUser, *, draft_permission: str) -> list[str]:
    """The visibility values `user` may see; the draft permission is the model's own."""
    if not (user.is_authenticated and user.is_active):
        return [Visibility.PUBLIC]
    levels: list[str] = [Visibility.PUBLIC]
    if user.has_perm(MEMBER_PERMISSION):
        levels.append(Visibility.MEMBERS)
    if user.has_perm(draft_permission):
        levels.append(Visibility.DRAFT)
    return levels


class Publishable(Protocol):
    visibility: str
    published_at: datetime | None
    updated_at: datetime


def visibility_change(item: Publishable, visibility: str) -> list[str]:
    """Set an item's visibility, and when it first went out (feeds and lists order by that,
    not by a date the item names); the fields to save. Unknown values are refused."""
    if visibility not in Visibility.values:
        raise ValidationError(f"Unknown visibility “{visibility}”.")
    now = timezone.now()
    item.visibility = visibility
    if visibility != Visibility.DRAFT and item.published_at is None:
        item.published_at = now
    item.updated_at = now
    return ["visibility", "published_at", "updated_at"]


class SignInRequired(Exception):
    """A members-only item asked for by an anonymous visitor: they should sign in.

    Raised by access functions only for items that exist and are for members; drafts
    and unknown addresses answer 404 to everyone who may not see them.
    """


def sign_in_for_members_only(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Send an anonymous visitor who asked for a members-only item to the sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except SignInRequired:
            return redirect_to_login(request.get_full_path())

    return wrapper
