"""A user's profile and directory entry: what the user edits, and what the secretariat corrects."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audited_as_by
from core.db import update_fields
from members.models import User

# What the secretariat changes on a user straight from the admin's form. Role, state,
# organisation, activity and superuser status have their services (four-eyes), and so
# has the login email (the new address confirms it).
DETAIL_FIELDS = ("full_name", "position", "phone", "languages", "directory_verified_at")


@transaction.atomic
def user_update_profile(*, user: User, data: Mapping[str, Any]) -> User:
    """The user's own edit (the profile form's cleaned data, `expertise` included)."""
    editable = ["full_name", "position", "phone", "languages"]
    for name in editable:
        setattr(user, name, data[name])
    user.full_clean(exclude=["password"])
    user.save(update_fields=editable)
    user.expertise.set(data["expertise"])
    return user


def _clean_user(user: User) -> None:
    user.full_clean(exclude=["password"])


@audited_as_by
@transaction.atomic
def user_update_details(*, user: User, data: Mapping[str, Any], by: User) -> User:
    """The secretariat corrects a user's name and directory entry: `data` holds what changed,
    of DETAIL_FIELDS and `expertise`."""
    values = dict(data)
    expertise = values.pop("expertise", None)
    unknown = set(values) - set(DETAIL_FIELDS)
    if unknown:
        raise ValidationError(f"These are not changed here: {', '.join(sorted(unknown))}.")
    update_fields(user, values, clean=False, check=_clean_user)
    if expertise is not None:
        user.expertise.set(expertise)
    return user


@audited_as_by
def users_mark_directory_verified(*, users: list[User], verified_at: datetime | None, by: User | None = None) -> int:
    # Saved one by one so that the audit log records each change.
    for user in users:
        update_fields(user, {"directory_verified_at": verified_at}, clean=False)
    return len(users)
