"""Access requests: four-eyes on case access (DESIGN §5).

A change that would open case data to someone (or let them confirm who may) is not made
when it is asked for: it becomes a pending AccessRequest, which a different person
confirms (only then does the change take effect), declines, or lets expire; the requester
may withdraw it. Each step is written to the audit log with the deciding person as actor.
"""

from datetime import datetime, timedelta

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audited_as_by, log_entry
from members.models import (
    AccessRequest,
    AccessRequestKind,
    AccessRequestStatus,
    MemberState,
    Organisation,
    Role,
    User,
)
from members.services._common import audit_log
from members.services.role_assignment import _apply_reactivation, _apply_role, validate_role_assignment
from notifications.services import notify


def access_request_deciders_text(access_request: AccessRequest) -> str:
    """Who may confirm the request, in words (for the admin's message and the pages)."""
    member_state = access_request.member_state
    if member_state is None:
        return "another member of the secretariat"
    return f"a national contact point of {member_state.name} or another member of the secretariat"


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


def _log_request(
    access_request: AccessRequest, *, action: int, actor: User | None, changes: dict[str, list[str]], what: str
) -> None:
    # The request's own save runs with auditlog disabled; this entry says what happened and who did it.
    log_entry(access_request, by=actor, action=action, what=what, changes=changes, subject_id=access_request.subject_id)


def _access_request_create(
    *,
    subject: User,
    kind: str,
    role: str,
    member_state: MemberState | None,
    organisation: Organisation | None,
    by: User,
) -> AccessRequest:
    """A pending request; the calling service (a role change, a reactivation, an invitation)
    has checked who may ask and runs in a transaction as `by`."""
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
    _log_request(
        access_request,
        action=LogEntry.Action.CREATE,
        actor=by,
        changes={"change": ["", access_request.change_text], "subject": ["", subject.email]},
        what="access request made",
    )
    notify(
        recipients=[by, *_request_notice_recipients(access_request)],
        kind="access_request_made",
        text=f"{by.full_name} asks that {subject.full_name} get {access_request.change_text}; "
        f"it waits for confirmation by {access_request_deciders_text(access_request)}",
        link=access_request.get_absolute_url(),
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
    _log_request(
        access_request,
        action=LogEntry.Action.UPDATE,
        actor=by,
        changes={"status": [AccessRequestStatus.PENDING.value, status]},
        what=f"access request {status}",
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
        audit_log(subject, by=by, what="superuser status granted", changes={"is_superuser": ["False", "True"]})
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


def access_requests_expire(*, now: datetime | None = None) -> dict[str, int]:
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
            _log_request(
                access_request,
                action=LogEntry.Action.UPDATE,
                actor=None,
                changes={"status": [AccessRequestStatus.PENDING.value, AccessRequestStatus.EXPIRED.value]},
                what="access request expired",
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
