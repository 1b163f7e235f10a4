from django.db.models import QuerySet

from referrals.access import referrals_for
from referrals.models import Referral


def inbox(*, user) -> QuerySet[Referral]:
    """Referrals sent to the user's state (drafts are never in an inbox)."""
    return (
        referrals_for(user)
        .filter(receiving_state_id=user.member_state_id)
        .exclude(status="draft")
        .select_related("sending_state", "receiving_state")
        .with_overdue_flag()
        .order_by("-sent_at", "-pk")
    )


def outbox(*, user) -> QuerySet[Referral]:
    return (
        referrals_for(user)
        .filter(sending_state_id=user.member_state_id)
        .select_related("sending_state", "receiving_state", "case")
        .with_overdue_flag()
        .order_by("-created_at", "-pk")
    )
