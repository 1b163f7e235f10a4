"""Reads of a referral, each audited: views, prints, downloads, reveals of the shared identity, statistics."""

from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import RevealPurpose
from core.audit import audited_as_by
from members.models import MemberState, User
from referrals.models import Referral, Side
from referrals.services._sides import side_of
from referrals.services.sharing import shared_identity


def _log_read(referral: Referral, *, by: User, what: str, **extra: object) -> None:
    """An access entry on the referral, findable from its case (cases.selectors).

    It names the acting side and state, so the owning state can tell its own team's
    reads from the receiving state's; never a shared value. log_create runs inside
    auditlog's request context, which records the client's address.
    """
    side = side_of(referral, by)
    states: dict[str | None, MemberState] = {
        Side.SENDING: referral.sending_state,
        Side.RECEIVING: referral.receiving_state,
    }
    state = states.get(side)
    LogEntry.objects.log_create(
        referral,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by,
        changes={},
        additional_data={
            "case_id": referral.case_id,
            "referral_id": referral.pk,
            "what": what,
            "role": by.role,
            "side": side,
            "state": state.code if state else None,
            "state_name": state.name if state else None,
            **extra,
        },
    )


@audited_as_by
def referral_read_record(*, referral: Referral, by: User, what: str, **extra: object) -> None:
    """Record a read of a referral (viewed, printed, attachment downloaded)."""
    _log_read(referral, by=by, what=what, **extra)


@audited_as_by
@transaction.atomic
def referral_identity_reveal(
    *, referral: Referral, by: User, purpose: str, note: str = "", printed: bool = False
) -> dict[str, Any]:
    """Return the shared identity and contact details, and record who saw them, when and why."""
    shared = shared_identity(referral)
    if not shared:
        raise ValidationError("This referral shares no identity or contact details.")
    if purpose not in RevealPurpose.values:
        raise ValidationError({"purpose": "Choose why you need to see the identity."})
    _log_read(
        referral,
        by=by,
        what="shared identity revealed",
        purpose=RevealPurpose(purpose).label,
        note=note[:500],
        categories=sorted(shared),
        printed=printed,
    )
    return shared


@audited_as_by
@transaction.atomic
def referral_statistics_record(*, by: User) -> None:
    """Audit a look at the referral statistics: a read of referral data, though of no one referral."""
    LogEntry.objects.log_create(
        # An unsaved Referral stands for "referral data": the entry's type is Referral.
        Referral(),
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by,
        changes={},
        object_pk="statistics",
        object_repr="Referral statistics",
        additional_data={"what": "referral statistics viewed", "role": by.role},
    )
