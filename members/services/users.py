"""A person changes a user's role, state, activity or superuser status.

Nobody changes their own (DESIGN §5). A change that would open case data (or its
confirmation) is not made: it becomes a pending access request, which is returned;
any other change is made at once and None is returned.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audited_as_by
from members.models import AccessRequest, AccessRequestKind, MemberState, Organisation, Role, User
from members.services._common import audit_log
from members.services.access_requests import _access_request_create
from members.services.role_assignment import (
    CONFIRMED_ROLES,
    _apply_reactivation,
    _apply_role,
    _team_groups,
    role_change_needs_confirmation,
    validate_role_assignment,
)
from members.services.sessions import _sessions_end


def _refuse_own_change(*, user: User, by: User | None) -> None:
    # Nobody raises their own access: another person makes the change (DESIGN §5).
    if by is not None and by.pk == user.pk:
        raise ValidationError(
            "You cannot change your own role, member state, activity or superuser status; "
            "another member of the secretariat must do it."
        )


@audited_as_by
@transaction.atomic
def user_reassign(
    *, user: User, role: str, member_state: MemberState | None, organisation: Organisation | None, by: User
) -> AccessRequest | None:
    """A person changes a user's role, state or organisation; the user is told.

    A change that would open case data (making someone an NCP, moving an NCP to another
    state) is not made: it becomes a pending access request, which is returned. Any other
    change is made at once (None is returned), and the grants of the old role go.
    """
    _refuse_own_change(user=user, by=by)
    validate_role_assignment(role=role, member_state=member_state, organisation=organisation)
    user = User.objects.select_for_update().get(pk=user.pk)
    if role_change_needs_confirmation(user=user, role=role, member_state=member_state):
        return _access_request_create(
            subject=user,
            kind=AccessRequestKind.ROLE,
            role=role,
            member_state=member_state,
            organisation=organisation,
            by=by,
        )
    _apply_role(user=user, role=role, member_state=member_state, organisation=organisation, by=by)
    return None


@audited_as_by
@transaction.atomic
def user_deactivate(*, user: User, by: User | None = None) -> User:
    _refuse_own_change(user=user, by=by)
    user.is_active = False
    user.save(update_fields=["is_active"])
    # The team's grants open case data: a deactivated user leaves the team at once.
    user.groups.remove(*_team_groups())
    _sessions_end(user)
    audit_log(user, by=by, what="deactivated")
    return user


def _case_access_on_reactivation(user: User) -> bool:
    return user.role in CONFIRMED_ROLES or user.is_superuser


@audited_as_by
@transaction.atomic
def user_reactivate(*, user: User, by: User) -> AccessRequest | None:
    """Reactivate a deactivated user; for an NCP or a superuser, a pending access request."""
    _refuse_own_change(user=user, by=by)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        return None
    if _case_access_on_reactivation(user):
        return _access_request_create(
            subject=user,
            kind=AccessRequestKind.REACTIVATION,
            role=user.role,
            member_state=user.member_state if user.role == Role.NCP else None,
            organisation=None,
            by=by,
        )
    _apply_reactivation(user=user, by=by)
    return None


@audited_as_by
@transaction.atomic
def user_set_superuser(*, user: User, is_superuser: bool, by: User) -> AccessRequest | None:
    """Removing superuser status is immediate; granting it is a request for a second secretariat member."""
    _refuse_own_change(user=user, by=by)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_superuser == is_superuser:
        return None
    if is_superuser:
        return _access_request_create(
            subject=user, kind=AccessRequestKind.SUPERUSER, role="", member_state=None, organisation=None, by=by
        )
    user.is_superuser = False
    user.save(update_fields=["is_superuser"])
    audit_log(user, by=by, what="superuser status removed", changes={"is_superuser": ["True", "False"]})
    return None
