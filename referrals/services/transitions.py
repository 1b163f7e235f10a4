"""The guarded steps of a referral, any entry of its table (referrals.workflow).

A transition locks the referral's row, checks that the action is allowed from the
current status and by the acting side, writes its immutable event (unique per
kind), changes the grants, and notifies the other side through the outbox, all in
one transaction. Two people acting at once: the second finds the status changed.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audited_as_by
from core.workflow import Transition
from members.models import User
from referrals.models import ENDED_STATUSES, EventKind, Referral, ReferralEvent, Side
from referrals.services._sides import notify_side, side_of
from referrals.services.sharing import grant_receiver, revoke_receiver
from referrals.workflow import REFERRAL_WORKFLOW


def actions_for(referral: Referral, user: User) -> list[Transition]:
    """The steps `user` may take on the referral as it is now, in the table's order."""
    side = side_of(referral, user)
    return REFERRAL_WORKFLOW.available(referral.status, side) if side else []


def transition_refusal(referral: Referral, action: str, *, by: User) -> str | None:
    """Why `by` cannot take this step on the referral as it is now; None when they can."""
    transition = REFERRAL_WORKFLOW.get(action)
    if side_of(referral, by) not in transition.by:
        sides = " or the ".join(Side(side).label.lower() for side in transition.by)
        return f"Only the {sides} can {transition.label.lower()}."
    if referral.status not in transition.sources:
        return REFERRAL_WORKFLOW.refusal(transition, referral.get_status_display())
    return None


@audited_as_by
@transaction.atomic
def referral_transition(*, referral: Referral, action: str, by: User, data: dict[str, Any] | None = None) -> Referral:
    """Take one step of the referral table (referrals.workflow), whichever it is."""
    data = data or {}
    if action not in REFERRAL_WORKFLOW:
        raise ValidationError(f"“{action}” is not an action on a referral.")
    transition = REFERRAL_WORKFLOW.get(action)
    referral = (
        Referral.objects.select_for_update().select_related("receiving_state", "sending_state").get(pk=referral.pk)
    )
    side = side_of(referral, by)
    refusal = transition_refusal(referral, action, by=by)
    if refusal:
        raise ValidationError(refusal)
    if side is None:  # transition_refusal refused anyone of neither side already; this tells the checker
        raise ValidationError("Only the two states' contact points can take a step.")
    event_data = transition.record(referral, data) if transition.record else {}
    now = timezone.now()
    update = ["status"]
    for name in transition.stamps:
        setattr(referral, name, now)
        update.append(name)
    if transition.apply:
        update += transition.apply(referral, data, now)
    if transition.target in ENDED_STATUSES:
        referral.ended_at = now
        update.append("ended_at")
    referral.status = transition.target
    referral.save(update_fields=update)
    ReferralEvent.objects.create(referral=referral, kind=transition.records, side=side, actor=by, data=event_data)
    if transition.grants:
        grant_receiver(referral)
    if transition.revokes:
        revoke_receiver(referral, by=by)
    # The referral table tells one audience: the other side's contact points.
    other_side = Side.RECEIVING if side == Side.SENDING else Side.SENDING
    for notice in transition.notifies:
        label = EventKind(transition.records).label.lower()
        notify_side(referral, other_side, f"{label} by {by.full_name}", actor=by, kind=notice.kind)
    return referral
