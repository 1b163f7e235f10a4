from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from members.models import Role
from referrals.access import referrals_for
from referrals.models import EventKind, Referral, ReferralEvent, ReferralStatus


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


def case_referrals(*, case, user) -> list[Referral]:
    """The case's referrals for its page, each with `next_deadline`: (what, when) or None."""
    referrals = list(
        referrals_for(user).filter(case=case).select_related("receiving_state").order_by("-created_at", "-pk")
    )
    now = timezone.now()
    for referral in referrals:
        referral.next_deadline = _next_deadline(referral, now)
    return referrals


def _next_deadline(referral: Referral, now: datetime) -> tuple[str, datetime] | None:
    if referral.status == ReferralStatus.SENT and referral.ack_deadline:
        return ("acknowledgement", referral.ack_deadline)
    if referral.status in (ReferralStatus.COMPLETED, ReferralStatus.CLOSED) and referral.completed_at:
        # The follow-up reminders (referrals.services.referrals_follow_up_reminders) use the same months.
        for months in settings.THB_REFERRAL_FOLLOW_UP_MONTHS:
            due = referral.completed_at + timedelta(days=round(months * 30.44))
            if due > now:
                return ("follow-up", due)
    return None


def access_ended_for(*, user, pk: int) -> tuple[Referral, ReferralEvent] | None:
    """The referral sent to the user's state whose access that state has lost, and the event that ended it.

    Used only where access_referral answered 404, so a contact point whose open referral was
    withdrawn meanwhile is told so instead of meeting a 404; anyone else learns nothing.
    """
    if not user.is_authenticated or not user.is_active or user.role != Role.NCP or user.member_state_id is None:
        return None
    referral = (
        Referral.objects.filter(
            pk=pk, receiving_state_id=user.member_state_id, receiving_access_revoked_at__isnull=False
        )
        .exclude(status=ReferralStatus.DRAFT)
        .select_related("consent")
        .first()
    )
    if referral is None:
        return None
    event = referral.events.filter(kind=EventKind.ACCESS_REVOKED).first()
    return (referral, event) if event else None
