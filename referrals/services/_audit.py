"""The audit entry the referral services write by hand: who, on which side, did what; never a shared value."""

from typing import Any

from core.audit import log_entry
from members.models import MemberState, User
from referrals.models import Referral, Side
from referrals.services._sides import side_of


def log_referral_entry(referral: Referral, *, by: User, action: int, what: str, **extra: Any) -> None:
    """An entry on the referral, findable from its case (cases.selectors).

    It names the acting side and state, so the owning state can tell its own team's
    reads from the receiving state's; never a shared value. log_create runs inside
    auditlog's request context, which records the client's address.
    """
    side = side_of(referral, by)
    # Only the acting side's state is read: a caller may have joined that one alone.
    state: MemberState | None = None
    if side == Side.SENDING:
        state = referral.sending_state
    elif side == Side.RECEIVING:
        state = referral.receiving_state
    log_entry(
        referral,
        by=by,
        action=action,
        what=what,
        case_id=referral.case_id,
        referral_id=referral.pk,
        role=by.role,
        side=side,
        state=state.code if state else None,
        state_name=state.name if state else None,
        **extra,
    )
