"""Reads of a referral, each audited: views, prints, downloads, reveals of the shared identity, statistics."""

from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction

from cases.models import RevealPurpose
from core.audit import audited_as_by, log_entry
from members.models import User
from referrals.models import Referral
from referrals.services._audit import log_referral_entry
from referrals.services.sharing import shared_identity


@audited_as_by
def referral_read_record(*, referral: Referral, by: User, what: str, **extra: object) -> None:
    """Record a read of a referral (viewed, printed, attachment downloaded)."""
    log_referral_entry(referral, by=by, action=LogEntry.Action.ACCESS, what=what, **extra)


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
    log_referral_entry(
        referral,
        by=by,
        action=LogEntry.Action.ACCESS,
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
    log_entry(
        # An unsaved Referral stands for "referral data": the entry's type is Referral.
        Referral(),
        by=by,
        action=LogEntry.Action.ACCESS,
        what="referral statistics viewed",
        object_pk="statistics",
        object_repr="Referral statistics",
        role=by.role,
    )
