"""What the receiving state is given and what it loses: its grants, and the shared identity.

What a sent referral shares is its snapshot (referrals.sending builds it, when the send step runs).
"""

from typing import Any

from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from members.models import Role, User
from members.roles import team_group
from referrals.models import EventKind, Referral, ReferralEvent, Side

SENDER_PERMISSIONS = ("referrals.view_referral", "referrals.change_referral")
RECEIVER_PERMISSIONS = ("referrals.view_referral", "referrals.change_referral")


def grant_receiver(referral: Referral) -> None:
    receiving_team = team_group(referral.receiving_state, Role.NCP)
    for permission in RECEIVER_PERMISSIONS:
        assign_perm(permission, receiving_team, referral)


def revoke_receiver(referral: Referral, *, by: User | None) -> None:
    receiving_team = team_group(referral.receiving_state, Role.NCP)
    for permission in RECEIVER_PERMISSIONS:
        remove_perm(permission, receiving_team, referral)
    referral.receiving_access_revoked_at = timezone.now()
    referral.save(update_fields=["receiving_access_revoked_at"])
    ReferralEvent.objects.create(referral=referral, kind=EventKind.ACCESS_REVOKED, side=Side.PORTAL, actor=by)


# The snapshot categories that stay hidden until someone states why they need them.
REVEALED_CATEGORIES = ("identity", "contact")


def shared_identity(referral: Referral) -> dict[str, Any]:
    """The hidden categories of the snapshot that this referral shares, empty when none."""
    snapshot = referral.snapshot or {}
    return {category: snapshot[category] for category in REVEALED_CATEGORIES if snapshot.get(category)}
