"""What a case's consent withdrawal and anonymisation do to its referrals.

cases.services calls these through cases.hooks (connected in ReferralsConfig.ready), inside
its own transaction: cases sits below referrals and does not import them.
"""

from functools import partial

from django.db import transaction

from cases.models import Case, Consent
from core.audit import audited_as_by
from members.models import User
from referrals.models import Referral, ReferralDocument, ReferralEvent, ReferralMessage, ReferralStatus, Side
from referrals.services._sides import notify_side
from referrals.services.sharing import revoke_receiver
from referrals.services.transitions import referral_transition
from referrals.workflow import CONSENT_WITHDRAWAL


@audited_as_by
@transaction.atomic
def referrals_end_for_withdrawn_consent(*, consent: Consent, by: User) -> dict[str, int]:
    """Every referral resting on a withdrawn consent stops being readable by the receiving state.

    An active referral ends as "consent withdrawn", which revokes and tells the receiving
    state. One that had already ended (declined, closed, referred onward) keeps its status,
    and the receiving side's grants go now rather than at the end of the access period. A
    draft was never shared, and the send guard refuses it from now on.
    """
    ended, revoked = 0, 0
    relying = Referral.objects.filter(consent=consent).exclude(status=ReferralStatus.DRAFT).order_by("pk")
    for referral_id in relying.values_list("pk", flat=True):
        referral = (
            Referral.objects.select_for_update().select_related("receiving_state", "sending_state").get(pk=referral_id)
        )
        if referral.status in CONSENT_WITHDRAWAL.sources:
            referral_transition(
                referral=referral,
                action=CONSENT_WITHDRAWAL.name,
                by=by,
                data={"reason": "The person withdrew the consent this referral relied on."},
            )
            ended += 1
        elif referral.receiving_access_revoked_at is None:
            revoke_receiver(referral, by=by)
            notify_side(
                referral, Side.RECEIVING, "access ended: the person withdrew the consent it relied on", actor=by
            )
            revoked += 1
    return {"ended": ended, "revoked": revoked}


def referrals_anonymise_for_case(*, case: Case) -> dict[str, int]:
    """Retention reaches what the case shared, on both sides: snapshots, notes, messages,
    the steps' free text and the attachments.

    Runs inside the case's anonymisation (cases.services, through cases.hooks), after the case is
    marked anonymised: the events' trigger allows blanking a step's data only then. The
    bulk updates bypass auditlog's signals; the caller logs the counts on the case.
    """
    referrals = list(Referral.objects.select_for_update().filter(case=case).order_by("pk"))
    for referral in referrals:
        # What stays says which case it was and that its content is gone, nothing more.
        referral.snapshot = {"case_reference": case.reference, "anonymised": True} if referral.snapshot else None
        referral.note = ""
        referral.safeguard_note = ""
        referral.save(update_fields=["snapshot", "note", "safeguard_note"])
    messages = ReferralMessage.objects.filter(referral__case=case)
    message_count = messages.update(body="", attachment=None)
    # Reasons, reception plans, meeting places: free text that may name the person.
    event_count = ReferralEvent.objects.filter(referral__case=case, data__isnull=False).update(data=None)
    documents = list(ReferralDocument.objects.filter(referral__case=case))
    for document in documents:
        # The file goes once the rows are gone for good: a rolled-back run keeps both.
        transaction.on_commit(partial(document.file.storage.delete, document.file.name))
    ReferralDocument.objects.filter(pk__in=[document.pk for document in documents]).delete()
    return {
        "referrals": len(referrals),
        "messages": message_count,
        "events": event_count,
        "attachments": len(documents),
    }
