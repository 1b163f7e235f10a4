"""Writes on users, roles, invitations and access requests.

Every change of role or state made by a person goes through user_reassign (and an
invitation through user_invite): a change that would open case data to someone becomes
a pending AccessRequest that only a different person can confirm (four-eyes, DESIGN §5).
user_set_role is the low-level step underneath, which keeps the role group, the state
team group and is_staff in step with the user's role; only system actions with no
second person (the demo seeder, test factories) call it directly.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.usersessions.models import UserSession
from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from core.audit import audit_actor_from, audited_as_by
from core.db import update_fields
from core.errors import error_text
from members.models import (
    STATE_ROLES,
    STATELESS_ROLES,
    AccessRequest,
    AccessRequestKind,
    AccessRequestStatus,
    MemberState,
    Organisation,
    Role,
    User,
)
from members.roles import ALL_ROLES, role_group_name, team_group
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


@dataclass
class InvitationImportError(Exception):
    """Raised with every bad row of an invitation CSV; nothing has been written."""

    row_errors: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"row {row}: {message}" for row, message in self.row_errors)


def validate_role_assignment(*, role: str, member_state: MemberState | None, organisation: Organisation | None) -> None:
    errors = {}
    if role not in ALL_ROLES:
        errors["role"] = f"Unknown role “{role}”."
    elif role in STATE_ROLES and member_state is None:
        errors["member_state"] = f"A {Role(role).label.lower()} must belong to a member state."
    elif role in STATELESS_ROLES and member_state is not None:
        errors["member_state"] = f"The {Role(role).label.lower()} role belongs to no member state."
    if (
        organisation is not None
        and member_state is not None
        and organisation.member_state_id not in (None, member_state.pk)
    ):
        errors["organisation"] = "The organisation belongs to another member state."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def user_set_role(
    *,
    user: User,
    role: str,
    member_state: MemberState | None,
    organisation: Organisation | None = None,
) -> User:
    validate_role_assignment(role=role, member_state=member_state, organisation=organisation)
    user.role = role
    user.member_state = member_state
    user.organisation = organisation
    user.is_staff = role == Role.SECRETARIAT
    user.save(update_fields=["role", "member_state", "organisation", "is_staff"])

    role_groups = Group.objects.filter(name__in=[role_group_name(r) for r in ALL_ROLES])
    user.groups.remove(*role_groups, *_team_groups())
    user.groups.add(Group.objects.get(name=role_group_name(role)))
    # A deactivated user keeps no team membership (the team's grants open case data);
    # reactivation puts it back.
    if member_state is not None and role in STATE_ROLES and user.is_active:
        user.groups.add(team_group(member_state, role))
    return user


def _team_groups():
    return Group.objects.filter(name__contains=" · ")


def _normalise_email(email: str) -> str:
    return email.strip().lower()


def _check_email_free(email: str) -> None:
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": f"A user with the email address {email} already exists."})


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
    email = _normalise_email(email)
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
    needs_confirmation = role_change_needs_confirmation(user=user, role=role, member_state=member_state)
    if needs_confirmation and invited_by is None:
        raise ValidationError({"role": f"Inviting a {Role(role).label.lower()} needs a person who asks for it."})
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user_email_address_ensure(user=user)
    if needs_confirmation:
        # The account exists without a role: the role opens case data (or its confirmation),
        # so it waits for a second person (the invitee can set a password meanwhile, and sees nothing).
        _access_request_create(
            subject=user,
            kind=AccessRequestKind.ROLE,
            role=role,
            member_state=member_state,
            organisation=organisation,
            by=invited_by,
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


INVITATION_CSV_COLUMNS = ["email", "full_name", "role", "member_state", "organisation", "position"]


def _read_invitation_csv(raw: bytes) -> list[dict[str, str]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvitationImportError(
            [(0, "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")]
        ) from error
    if not text.strip():
        raise InvitationImportError([(0, "The file is empty.")])
    if "\x00" in text:
        raise InvitationImportError([(0, "The file contains binary data, not CSV text.")])
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        headers = [h.strip().lower() for h in (reader.fieldnames or [])]
        missing = [column for column in ("email", "full_name", "role") if column not in headers]
        if missing:
            raise InvitationImportError(
                [(1, f"Missing column(s): {', '.join(missing)}. Expected: {', '.join(INVITATION_CSV_COLUMNS)}.")]
            )
        rows = [
            {(key or "").strip().lower(): (value or "").strip() for key, value in raw_row.items() if key}
            for raw_row in reader
        ]
    except csv.Error as error:
        raise InvitationImportError([(reader.line_num, f"The CSV cannot be read: {error}")]) from error
    if not rows:
        raise InvitationImportError([(0, "The file has a header but no rows.")])
    return rows


def _resolve_invitation_row(
    row: dict[str, str], states: dict[str, MemberState], organisations: dict[tuple | str, Organisation]
) -> dict:
    """The row's invitation data, or a ValidationError listing every problem of the row at once
    (an admin fixing a file should not have to upload it once per mistake)."""
    problems: list[str] = []
    reported: set[str] = set()
    email = _normalise_email(row.get("email", ""))
    try:
        validate_email(email)
    except ValidationError as error:
        problems.append(error_text(error))
        reported.add("email")
    if not row.get("full_name"):
        problems.append("full_name is empty.")
        reported.add("full_name")
    role = row.get("role", "").lower()
    role_known = role in ALL_ROLES
    if not role_known:
        problems.append(f"unknown role “{row.get('role', '')}” (use one of: {', '.join(ALL_ROLES)}).")
    state_code = row.get("member_state", "").upper()
    member_state = None
    state_known = True
    if state_code:
        member_state = states.get(state_code)
        if member_state is None:
            state_known = False
            problems.append(f"unknown member state code “{state_code}”.")
    organisation = None
    name = row.get("organisation", "").lower()
    if name:
        # By its name within the row's state, a state-less one by its name, or by the name the
        # admin shows (Organisation.__str__, e.g. "Police (EE)"), which names its state itself.
        organisation = (
            organisations.get((name, member_state and member_state.pk))
            or organisations.get((name, None))
            or organisations.get(name)
        )
        if organisation is None:
            problems.append(f"unknown organisation “{row['organisation']}” for that member state.")
    if role_known and state_known:
        # Only meaningful once role and state are known; an unknown one is reported above.
        try:
            validate_role_assignment(role=role, member_state=member_state, organisation=organisation)
        except ValidationError as error:
            problems.append(error_text(error))
    data = {
        "email": email,
        "full_name": row.get("full_name", ""),
        "role": role,
        "member_state": member_state,
        "organisation": organisation,
        "position": row.get("position", ""),
    }
    # Field limits (lengths and the like) are checked here, before anything is written, except
    # on fields whose problem is already named above.
    try:
        User(**data).clean_fields(exclude=["password", "member_state", "organisation", "role", *reported])
    except ValidationError as error:
        problems.extend(message for messages in error.message_dict.values() for message in messages)
    if problems:
        raise ValidationError(problems)
    return data


@audit_actor_from("invited_by")
@transaction.atomic
def invitations_import_csv(*, raw: bytes, invited_by: User) -> list[User]:
    """Invite every row of a CSV, or nobody: all rows are checked before any is written."""
    rows = _read_invitation_csv(raw)
    states = {state.code: state for state in MemberState.objects.all()}
    organisations: dict[tuple | str, Organisation] = {}
    for org in Organisation.objects.select_related("member_state"):
        organisations[(org.name.lower(), org.member_state_id)] = org
        organisations.setdefault(str(org).lower(), org)
    existing = set(
        User.objects.filter(email__in=[_normalise_email(r.get("email", "")) for r in rows]).values_list(
            "email", flat=True
        )
    )
    resolved, errors, seen = [], [], {}
    for line_number, row in enumerate(rows, start=2):
        problems = []
        try:
            data = _resolve_invitation_row(row, states, organisations)
        except ValidationError as error:
            problems.extend(error.messages)
            data = None
        # Every problem of the row is reported at once, the email's clash with others too.
        email = _normalise_email(row.get("email", ""))
        if email and email in existing:
            problems.append(f"a user with the email address {email} already exists.")
        elif email and email in seen:
            problems.append(f"{email} is also on row {seen[email]}.")
        elif email:
            seen[email] = line_number
        if problems:
            errors.append((line_number, " ".join(problems)))
        else:
            resolved.append(data)
    if errors:
        raise InvitationImportError(errors)
    return [user_invite(**data, invited_by=invited_by) for data in resolved]


def invitation_token(user: User) -> str:
    # Bound to invited_at, so a newer invitation supersedes every older link.
    return signing.dumps({"u": user.pk, "t": user.invited_at.isoformat()}, salt=INVITATION_SALT)


def invitation_link(user: User) -> str:
    path = reverse("members:accept_invitation", args=[invitation_token(user)])
    return settings.THB_PUBLIC_BASE_URL.rstrip("/") + path


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


# Roles that read case data (NCP), or that confirm who may (the secretariat: were it given
# at once, one secretariat member could make a second account that confirms for them).
CONFIRMED_ROLES = (Role.NCP, Role.SECRETARIAT)


def role_change_needs_confirmation(*, user: User, role: str, member_state: MemberState | None) -> bool:
    """Whether giving `user` this role and state opens case data (or its confirmation) to them."""
    if role not in CONFIRMED_ROLES:
        return False
    state_pk = member_state.pk if member_state is not None else None
    return not (user.pk is not None and user.role == role and user.member_state_id == state_pk)


def _refuse_own_change(*, user: User, by: User | None) -> None:
    # Nobody raises their own access: another person makes the change (DESIGN §5).
    if by is not None and by.pk == user.pk:
        raise ValidationError(
            "You cannot change your own role, member state, activity or superuser status; "
            "another member of the secretariat must do it."
        )


def _log(instance, *, by: User | None, what: str, changes: dict | None = None) -> None:
    """An explicit audit entry with the person who acted, also outside a request."""
    LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=by,
        changes=changes or {},
        additional_data={"what": what},
    )


def user_grants_revoke(*, user: User) -> int:
    """Remove every per-object permission given to the user personally; returns how many.

    Each app keeps its grants in its own direct-foreign-key model, so they are found by
    their base class: members needs to know no app.
    """
    revoked = 0
    for model in apps.get_models():
        if issubclass(model, UserObjectPermissionBase):
            revoked += model.objects.filter(user=user).delete()[0]
    return revoked


def _apply_role(
    *, user: User, role: str, member_state: MemberState | None, organisation: Organisation | None, by: User | None
) -> User:
    before = {"role": user.role, "member_state": user.member_state_id, "organisation": user.organisation_id}
    user_set_role(user=user, role=role, member_state=member_state, organisation=organisation)
    after = {"role": user.role, "member_state": user.member_state_id, "organisation": user.organisation_id}
    revoked = 0
    if (before["role"], before["member_state"]) != (after["role"], after["member_state"]):
        # The grants came with the old role or state; they do not carry over.
        revoked = user_grants_revoke(user=user)
    changes = {name: [str(before[name]), str(after[name])] for name in before if before[name] != after[name]}
    _log(user, by=by, what=f"role changed; {revoked} personal grant(s) revoked", changes=changes)
    where = f" for {member_state.name}" if member_state else ""
    notify(
        recipients=[user],
        kind="role_changed",
        text=f"Your role in the THB Portal is now {Role(role).label}{where}",
        link=reverse("dashboard"),
        actor=by,
    )
    return user


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


def _end_sessions(user: User) -> None:
    for session in UserSession.objects.filter(user=user):
        session.end()


@audited_as_by
@transaction.atomic
def user_deactivate(*, user: User, by: User | None = None) -> User:
    _refuse_own_change(user=user, by=by)
    user.is_active = False
    user.save(update_fields=["is_active"])
    # The team's grants open case data: a deactivated user leaves the team at once.
    user.groups.remove(*_team_groups())
    # Their open sessions end at once, not when they next expire.
    _end_sessions(user)
    _log(user, by=by, what="deactivated")
    return user


def _case_access_on_reactivation(user: User) -> bool:
    return user.role in CONFIRMED_ROLES or user.is_superuser


def _apply_reactivation(*, user: User, by: User | None) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    if user.role:
        # Puts the team membership that deactivation removed back.
        user_set_role(user=user, role=user.role, member_state=user.member_state, organisation=user.organisation)
    _log(user, by=by, what="reactivated")
    return user


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
    _log(user, by=by, what="superuser status removed", changes={"is_superuser": ["True", "False"]})
    return None


# Access requests (four-eyes on case access) -----------------------------------------


def access_request_deciders_text(access_request: AccessRequest) -> str:
    """Who may confirm the request, in words (for the admin's message and the pages)."""
    if access_request.member_state_id is None:
        return "another member of the secretariat"
    return f"a national contact point of {access_request.member_state.name} or another member of the secretariat"


def may_decide_access_request(user: User, access_request: AccessRequest) -> bool:
    """Whether the user's role lets them decide it (the requester and the subject never may)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.pk in (access_request.requested_by_id, access_request.subject_id):
        return False
    if user.role == Role.SECRETARIAT:
        return True
    return (
        user.role == Role.NCP
        and access_request.member_state_id is not None
        and user.member_state_id == access_request.member_state_id
    )


def _request_notice_recipients(access_request: AccessRequest) -> list[User]:
    others = User.objects.active().exclude(pk__in=[access_request.requested_by_id, access_request.subject_id])
    if access_request.member_state_id is not None:
        team = list(others.ncps_of(access_request.member_state_id))
        if team:
            return team
    # No NCP team to ask (a superuser, or a state's first NCP): the rest of the secretariat decides.
    return list(others.with_role(Role.SECRETARIAT))


def _access_request_create(
    *,
    subject: User,
    kind: str,
    role: str,
    member_state: MemberState | None,
    organisation: Organisation | None,
    by: User,
) -> AccessRequest:
    now = timezone.now()
    # Only the newest request of a kind counts for a user: older open ones are withdrawn.
    for earlier in AccessRequest.objects.pending().select_for_update().filter(subject=subject, kind=kind):
        _access_request_close(
            earlier, status=AccessRequestStatus.CANCELLED, by=by, reason="superseded by a newer request"
        )
    access_request = AccessRequest(
        subject=subject,
        kind=kind,
        role=role,
        member_state=member_state,
        organisation=organisation,
        requested_by=by,
        created_at=now,
        expires_at=now + timedelta(hours=settings.THB_ACCESS_REQUEST_MAX_AGE_HOURS),
    )
    access_request.full_clean()
    with disable_auditlog():  # logged explicitly below, with `by` as the actor
        access_request.save()
    LogEntry.objects.log_create(
        access_request,
        force_log=True,
        action=LogEntry.Action.CREATE,
        actor=by,
        changes={"change": ["", access_request.change_text], "subject": ["", subject.email]},
        additional_data={"what": "access request made", "subject_id": subject.pk},
    )
    link = access_request.get_absolute_url()
    notify(
        recipients=[by, *_request_notice_recipients(access_request)],
        kind="access_request_made",
        text=f"{by.full_name} asks that {subject.full_name} get {access_request.change_text}; "
        f"it waits for confirmation by {access_request_deciders_text(access_request)}",
        link=link,
        target=access_request,
        actor=by,
    )
    return access_request


def _access_request_close(access_request: AccessRequest, *, status: str, by: User, reason: str = "") -> None:
    access_request.status = status
    access_request.decided_by = by
    access_request.decided_at = timezone.now()
    access_request.reason = reason
    with disable_auditlog():  # logged explicitly below, with `by` as the actor
        access_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    LogEntry.objects.log_create(
        access_request,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=by,
        changes={"status": [AccessRequestStatus.PENDING.value, status]},
        additional_data={"what": f"access request {status}", "subject_id": access_request.subject_id},
    )


def _locked_open_request(access_request: AccessRequest) -> AccessRequest:
    # Locked, so that two people deciding at once cannot both win.
    locked = AccessRequest.objects.select_for_update().get(pk=access_request.pk)
    if locked.status != AccessRequestStatus.PENDING:
        raise ValidationError(f"This request is already {locked.get_status_display().lower()}; nothing was changed.")
    if locked.is_expired:
        raise ValidationError(
            f"This request expired on {timezone.localtime(locked.expires_at):%d %b %Y %H:%M}; nothing was changed. "
            "The secretariat can make a new one."
        )
    return locked


def _check_decider(access_request: AccessRequest, by: User) -> None:
    if by.pk == access_request.requested_by_id:
        raise ValidationError("You made this request; a different person must confirm or decline it.")
    if by.pk == access_request.subject_id:
        raise ValidationError("This request concerns you; a different person must confirm or decline it.")
    if not may_decide_access_request(by, access_request):
        raise ValidationError(
            f"You may not decide this request; it waits for {access_request_deciders_text(access_request)}."
        )


def _notify_decision(access_request: AccessRequest, *, by: User) -> None:
    status = access_request.get_status_display().lower()
    reason = f" ({access_request.reason})" if access_request.reason else ""
    notify(
        recipients=[access_request.requested_by, access_request.subject],
        kind="access_request_decided",
        text=f"{by.full_name} {status} the request that {access_request.subject.full_name} get "
        f"{access_request.change_text}{reason}",
        link=access_request.get_absolute_url(),
        target=access_request,
        actor=by,
    )


@audited_as_by
@transaction.atomic
def access_request_confirm(*, access_request: AccessRequest, by: User) -> AccessRequest:
    """A second person confirms: only now does the change take effect."""
    access_request = _locked_open_request(access_request)
    _check_decider(access_request, by)
    subject = User.objects.select_for_update().get(pk=access_request.subject_id)
    if access_request.kind == AccessRequestKind.ROLE:
        validate_role_assignment(
            role=access_request.role,
            member_state=access_request.member_state,
            organisation=access_request.organisation,
        )
        _apply_role(
            user=subject,
            role=access_request.role,
            member_state=access_request.member_state,
            organisation=access_request.organisation,
            by=by,
        )
    elif access_request.kind == AccessRequestKind.REACTIVATION:
        _apply_reactivation(user=subject, by=by)
    else:
        subject.is_superuser = True
        subject.save(update_fields=["is_superuser"])
        _log(subject, by=by, what="superuser status granted", changes={"is_superuser": ["False", "True"]})
    _access_request_close(access_request, status=AccessRequestStatus.CONFIRMED, by=by)
    _notify_decision(access_request, by=by)
    return access_request


@audited_as_by
@transaction.atomic
def access_request_decline(*, access_request: AccessRequest, by: User, reason: str) -> AccessRequest:
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why you decline the request."})
    access_request = _locked_open_request(access_request)
    _check_decider(access_request, by)
    _access_request_close(access_request, status=AccessRequestStatus.DECLINED, by=by, reason=reason[:500])
    _notify_decision(access_request, by=by)
    return access_request


@audited_as_by
@transaction.atomic
def access_request_cancel(*, access_request: AccessRequest, by: User) -> AccessRequest:
    """The requester withdraws their own open request."""
    access_request = _locked_open_request(access_request)
    if by.pk != access_request.requested_by_id:
        raise ValidationError("Only the person who made the request can withdraw it.")
    _access_request_close(access_request, status=AccessRequestStatus.CANCELLED, by=by)
    _notify_decision(access_request, by=by)
    return access_request


def access_requests_expire(*, now=None) -> dict:
    """The periodic job: open requests past their expiry become expired (they could not be
    confirmed anyway; this records it and tells the requester)."""
    now = now or timezone.now()
    expired = 0
    for pk in AccessRequest.objects.filter(status=AccessRequestStatus.PENDING, expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            access_request = (
                AccessRequest.objects.select_for_update(of=("self",))
                .select_related("subject", "member_state", "requested_by")
                .get(pk=pk)
            )
            if access_request.status != AccessRequestStatus.PENDING:
                continue
            access_request.status = AccessRequestStatus.EXPIRED
            with disable_auditlog():  # logged explicitly below
                access_request.save(update_fields=["status"])
            LogEntry.objects.log_create(
                access_request,
                force_log=True,
                action=LogEntry.Action.UPDATE,
                actor=None,
                changes={"status": [AccessRequestStatus.PENDING.value, AccessRequestStatus.EXPIRED.value]},
                additional_data={"what": "access request expired", "subject_id": access_request.subject_id},
            )
            notify(
                recipients=[access_request.requested_by],
                kind="access_request_decided",
                text=f"The request that {access_request.subject.full_name} get {access_request.change_text} "
                "expired unconfirmed; nothing was changed",
                link=access_request.get_absolute_url(),
                target=access_request,
            )
            expired += 1
    return {"expired": expired}


@transaction.atomic
def user_update_profile(*, user: User, data: dict) -> User:
    editable = ["full_name", "position", "phone", "languages"]
    for name in editable:
        setattr(user, name, data[name])
    user.full_clean(exclude=["password"])
    user.save(update_fields=editable)
    user.expertise.set(data["expertise"])
    return user


# What the secretariat changes on a user straight from the admin's form. Role, state,
# organisation, activity and superuser status have their services (four-eyes), and so
# has the login email (the new address confirms it).
DETAIL_FIELDS = ("full_name", "position", "phone", "languages", "directory_verified_at")


def _clean_user(user: User) -> None:
    user.full_clean(exclude=["password"])


@audited_as_by
@transaction.atomic
def user_update_details(*, user: User, data: dict, by: User) -> User:
    """The secretariat corrects a user's name and directory entry: `data` holds what changed,
    of DETAIL_FIELDS and `expertise`."""
    data = dict(data)
    expertise = data.pop("expertise", None)
    unknown = set(data) - set(DETAIL_FIELDS)
    if unknown:
        raise ValidationError(f"These are not changed here: {', '.join(sorted(unknown))}.")
    update_fields(user, data, clean=False, check=_clean_user)
    if expertise is not None:
        user.expertise.set(expertise)
    return user


@audited_as_by
def users_mark_directory_verified(*, users: list[User], verified_at, by: User | None = None) -> int:
    # Saved one by one so that the audit log records each change.
    for user in users:
        update_fields(user, {"directory_verified_at": verified_at}, clean=False)
    return len(users)


# Sessions and the login email -----------------------------------------------------


def user_email_locked(user: User) -> bool:
    """Whether only the user may change their login email.

    Whoever could send this account's password reset to themselves could take it over: so
    nobody else changes the email of someone who reads case data (NCP, superuser), of
    someone who confirms others' access (the secretariat: one member must not take over a
    second one and confirm their own requests with it), nor of someone an access request
    is waiting about (the confirmer must know whom they confirm).
    """
    if user.role in CONFIRMED_ROLES or user.is_superuser:
        return True
    return AccessRequest.objects.pending().filter(subject=user).exists()


@audited_as_by
@transaction.atomic
def user_sessions_end_others(*, user: User, keep_session_key: str | None, by: User | None) -> int:
    """End every session of `user` but the one given (adding or removing an authenticator
    must not leave a session opened without it signed in elsewhere). `by` is who caused it."""
    sessions = UserSession.objects.filter(user=user)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    ended = 0
    for session in sessions:
        session.end()
        ended += 1
    return ended


@transaction.atomic
def user_email_address_ensure(*, user: User):
    """The verified primary EmailAddress of the login email, which allauth's email change
    needs (to tell the old address, and to know what a confirmation replaces). Called
    where users are created and at each sign-in (members.adapters), so that accounts
    made without one (the demo, createsuperuser) get it too. Returns None when the
    address is another user's row (nothing sensible to make then)."""
    # Imported here to keep this block of the shared module self-contained.
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(email__iexact=user.email).first()
    if address is not None and address.user_id != user.pk:
        return None
    if address is not None and address.verified and address.primary:
        return address
    # The login email is the primary address; another one marked primary is stale (an
    # email changed outside allauth).
    EmailAddress.objects.filter(user=user, primary=True).exclude(email__iexact=user.email).update(primary=False)
    if address is None:
        return EmailAddress.objects.create(user=user, email=user.email.lower(), verified=True, primary=True)
    address.verified = address.primary = True
    address.save(update_fields=["verified", "primary"])
    return address


@audited_as_by
@transaction.atomic
def user_email_change_request(*, user: User, new_email: str, by: User) -> None:
    """Ask to change the login email; it changes only when the new address confirms the
    link allauth sends to it, and allauth then tells the old address.

    The secretariat cannot change the email of someone with case access (they could
    otherwise send that user's password reset to themselves): that user changes it.
    """
    # Imported here to keep this block of the shared module self-contained.
    from allauth.account.models import EmailAddress
    from allauth.core import context

    if by.pk != user.pk and user_email_locked(user):
        raise ValidationError(
            {
                "email": f"{user.email} has (or is waiting for) access to case files or to confirming it, so only "
                "they can change their email: they change it themselves, from their profile."
            }
        )
    new_email = _normalise_email(new_email)
    validate_email(new_email)
    if new_email == user.email.lower():
        raise ValidationError({"email": f"{new_email} is already the login email."})
    in_use = User.objects.filter(email__iexact=new_email).exists() or (
        EmailAddress.objects.filter(email__iexact=new_email).exclude(user=user, verified=False).exists()
    )
    if in_use:
        raise ValidationError({"email": f"The email address {new_email} is already in use."})
    if context.request is None:
        # allauth builds the confirmation link, and rate-limits it, from the current
        # request (its middleware sets it): the admin has one, a shell does not.
        raise RuntimeError("An email change is requested from a page (the admin), not outside a request.")
    user_email_address_ensure(user=user)
    EmailAddress.objects.add_new_email(context.request, user, new_email)
