"""The referrals' periodic jobs (referrals.jobs): overdue acknowledgements, follow-up reminders, access expiry."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from members.models import Role, User
from notifications.services import notify
from referrals.models import EventKind, Referral, ReferralEvent, ReferralStatus, Side
from referrals.services._sides import notify_side, state_contacts
from referrals.services.sharing import revoke_receiver


def referrals_mark_overdue(*, now: datetime | None = None) -> dict[str, int]:
    """Sent referrals past their acknowledgement deadline: record it and tell both sides and the secretariat."""
    now = now or timezone.now()
    count = 0
    for referral_id in (
        Referral.objects.overdue(now).filter(overdue_notified_at__isnull=True).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=referral_id)
            if referral.overdue_notified_at or referral.status != ReferralStatus.SENT:
                continue
            referral.overdue_notified_at = now
            referral.save(update_fields=["overdue_notified_at"])
            ReferralEvent.objects.create(referral=referral, kind=EventKind.OVERDUE, side=Side.PORTAL)
            text = "not acknowledged by its deadline"
            for side in (Side.SENDING, Side.RECEIVING):
                notify_side(referral, side, text, actor=None, kind="referral_overdue")
            notify(
                recipients=User.objects.active().filter(role=Role.SECRETARIAT),
                kind="referral_overdue",
                text=f"A referral from {referral.sending_state.code} to {referral.receiving_state.code} is overdue",
                link="",
                target=referral,
            )
            count += 1
    return {"overdue": count}


def referrals_follow_up_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Remind the sending state to follow up at 3, 6 and 12 months (configurable) after completion."""
    now = now or timezone.now()
    reminded = 0
    for months in settings.THB_REFERRAL_FOLLOW_UP_MONTHS:
        due = Referral.objects.filter(
            status__in=[ReferralStatus.COMPLETED, ReferralStatus.CLOSED],
            completed_at__lte=now - timedelta(days=round(months * 30.44)),
        ).select_related("sending_state")
        for referral in due:
            with transaction.atomic():
                created = notify(
                    recipients=state_contacts(referral.sending_state),
                    kind="referral_follow_up",
                    text=f"{referral.reference}: follow up {months} month{'s' if months != 1 else ''} after completion",
                    link=referral.get_absolute_url(),
                    target=referral,
                    dedupe_prefix=f"referral:{referral.pk}:follow-up:{months}",
                )
                reminded += len(created)
    return {"reminders": reminded}


def referrals_expire_access(*, now: datetime | None = None) -> dict[str, int]:
    """After the access period, an ended referral's data is no longer the receiving state's to see.

    Withdrawal and consent withdrawal revoke at once; closed, declined and referred-onward
    referrals keep the receiving side's access for THB_REFERRAL_ACCESS_DAYS, for questions.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.THB_REFERRAL_ACCESS_DAYS)
    count = 0
    ended_with_access = [ReferralStatus.CLOSED, ReferralStatus.DECLINED, ReferralStatus.REFERRED_ONWARD]
    for referral_id in Referral.objects.filter(
        status__in=ended_with_access, ended_at__lt=cutoff, receiving_access_revoked_at__isnull=True
    ).values_list("pk", flat=True):
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=referral_id)
            if referral.receiving_access_revoked_at is None:
                revoke_receiver(referral, by=None)
                count += 1
    return {"revoked": count}
