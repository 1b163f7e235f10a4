"""Withdrawing a consent, and with it whatever rested on it (through cases.hooks)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cases import hooks
from cases.models import Consent
from core.audit import audited_as_by
from members.models import User


@audited_as_by
@transaction.atomic
def consent_withdraw(*, consent: Consent, by: User, reason: str) -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at:
        raise ValidationError("This consent was already withdrawn.")
    if not reason.strip():
        raise ValidationError("Give the reason for the withdrawal, as the person stated it.")
    consent.withdrawn_at = timezone.now()
    consent.withdrawal_reason = reason.strip()
    consent.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    # What rested on the consent ends with it, in this transaction (referrals connects its
    # handler: every referral relying on it is closed to the receiving state at once).
    for handler in hooks.consent_withdrawn.handlers:
        handler(consent=consent, by=by)
    return consent
