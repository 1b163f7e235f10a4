"""Invitations: nobody signs up; the secretariat invites, and the invitee sets a password.

An invitation is the account without a usable password and a signed link bound to the
time it was sent, so a resent invitation supersedes every older link. Inviting someone
to a role that opens case data makes the role a pending access request (four-eyes).
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_actor_from
from members.models import AccessRequestKind, MemberState, Organisation, Role, User
from members.services._common import normalise_email
from members.services.access_requests import _access_request_create
from members.services.emails import _check_email_free, user_email_address_ensure
from members.services.role_assignment import role_change_needs_confirmation, user_set_role, validate_role_assignment
from notifications.services import notify

INVITATION_SALT = "members.invitation"


class InvitationError(Exception):
    """An invitation link that cannot be used; `reason` picks the page shown."""

    EXPIRED = "expired"
    USED = "used"
    SUPERSEDED = "superseded"
    INVALID = "invalid"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@audit_actor_from("invited_by")
@transaction.atomic
def user_invite(
    *,
    email: str,
    full_name: str,
    role: str,
    member_state: MemberState | None,
    organisation: Organisation | None = None,
    position: str = "",
    invited_by: User | None,
) -> User:
    """Create the account without a password and email a link to set one."""
    email = normalise_email(email)
    validate_email(email)
    _check_email_free(email)
    validate_role_assignment(role=role, member_state=member_state, organisation=organisation)
    user = User(
        email=email,
        full_name=full_name.strip(),
        position=position.strip(),
        invited_at=timezone.now(),
        invited_by=invited_by,
    )
    # Who asks for the role, when the role waits for a second person.
    requester: User | None = None
    if role_change_needs_confirmation(user=user, role=role, member_state=member_state):
        if invited_by is None:
            raise ValidationError({"role": f"Inviting a {Role(role).label.lower()} needs a person who asks for it."})
        requester = invited_by
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user_email_address_ensure(user=user)
    if requester is not None:
        # The account exists without a role: the role opens case data (or its confirmation),
        # so it waits for a second person (the invitee can set a password meanwhile, and sees nothing).
        _access_request_create(
            subject=user,
            kind=AccessRequestKind.ROLE,
            role=role,
            member_state=member_state,
            organisation=organisation,
            by=requester,
        )
    else:
        user_set_role(user=user, role=role, member_state=member_state, organisation=organisation)
    _notify_invitation(user)
    return user


def _notify_invitation(user: User) -> None:
    # Through the notifications outbox, so the email survives a broker outage.
    notify(
        recipients=[user], kind="account_invitation", text="You are invited to the THB Portal", actor=user.invited_by
    )


@audit_actor_from("invited_by")
@transaction.atomic
def user_reinvite(*, user: User, invited_by: User | None) -> User:
    """Send a fresh link; earlier links for this user stop working."""
    if user.has_usable_password():
        raise ValidationError(f"{user.email} has already accepted an invitation.")
    if not user.is_active:
        raise ValidationError(f"{user.email} is deactivated; reactivate the account first.")
    user.invited_at = timezone.now()
    user.invited_by = invited_by
    user.save(update_fields=["invited_at", "invited_by"])
    _notify_invitation(user)
    return user


def invitation_token(user: User) -> str:
    # Bound to invited_at, so a newer invitation supersedes every older link.
    if user.invited_at is None:
        raise ValueError(f"{user.email} was never invited, so there is no invitation link.")
    return signing.dumps({"u": user.pk, "t": user.invited_at.isoformat()}, salt=INVITATION_SALT)


def invitation_link(user: User) -> str:
    path = reverse("members:accept_invitation", args=[invitation_token(user)])
    base_url: str = settings.THB_PUBLIC_BASE_URL
    return base_url.rstrip("/") + path


def invitation_user(token: str) -> User:
    """The user a link invites, or InvitationError saying why the link cannot be used."""
    try:
        payload = signing.loads(token, salt=INVITATION_SALT)
        user = User.objects.get(pk=payload["u"], is_active=True)
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError) as error:
        raise InvitationError(InvitationError.INVALID) from error
    if user.has_usable_password():
        raise InvitationError(InvitationError.USED)
    if user.invited_at is None or payload["t"] != user.invited_at.isoformat():
        raise InvitationError(InvitationError.SUPERSEDED)
    if timezone.now() - user.invited_at > timedelta(days=settings.THB_INVITATION_MAX_AGE_DAYS):
        raise InvitationError(InvitationError.EXPIRED)
    return user


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    user = invitation_user(token)
    # Lock so that two submissions of the same link cannot both set a password.
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password():
        raise InvitationError(InvitationError.USED)
    user.set_password(password)
    user.save(update_fields=["password"])
    if user.invited_by is not None:
        notify(
            recipients=[user.invited_by],
            kind="invitation_accepted",
            text=f"{user.full_name} ({user.email}) accepted the invitation",
            link=reverse("admin:members_user_change", args=[user.pk]),
            target=user,
        )
    return user
