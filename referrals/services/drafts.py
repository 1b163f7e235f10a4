"""A draft referral: made from a case, changed and deleted by the sending state only until it is sent."""

from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from guardian.shortcuts import assign_perm

from cases.models import Case, DataCategory
from core.audit import audited_as_by
from core.db import update_fields
from members.models import Role, User
from members.roles import team_group
from referrals.models import DRAFT_FIELDS, Referral, ReferralStatus, Side
from referrals.services._audit import log_referral_entry
from referrals.services._sides import side_of
from referrals.services.sharing import SENDER_PERMISSIONS


@audited_as_by
@transaction.atomic
def referral_create(*, case: Case, by: User, data: dict[str, Any]) -> Referral:
    """A draft referral of a case; only the sending state sees it until it is sent."""
    # Locking the case serialises the numbering of its referrals (…-R1, …-R2).
    Case.objects.select_for_update().get(pk=case.pk)
    # The highest number so far, not the count: a deleted draft leaves a gap.
    used = [
        int(ref.rsplit("-R", 1)[1]) for ref in Referral.objects.filter(case=case).values_list("reference", flat=True)
    ]
    referral = Referral(
        case=case,
        sending_state=case.member_state,
        sending_contact=by,
        reference=f"{case.reference}-R{max(used, default=0) + 1}",
        **data,
    )
    _check_draft(referral)
    referral.full_clean()
    referral.save()
    sending_team = team_group(referral.sending_state, Role.NCP)
    for permission in SENDER_PERMISSIONS:
        assign_perm(permission, sending_team, referral)
    return referral


@audited_as_by
@transaction.atomic
def referral_update_draft(*, referral: Referral, by: User, data: dict[str, Any]) -> Referral:
    """Change a draft before it is sent; once sent, the snapshot is what the receiver got."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.DRAFT:
        raise ValidationError(
            f"Only a draft can be changed; this referral is “{referral.get_status_display()}”. "
            "Write to the receiving state in the thread instead."
        )
    unknown = set(data) - set(DRAFT_FIELDS)
    if unknown:
        raise ValidationError(f"These cannot be changed in a draft: {', '.join(sorted(unknown))}.")
    update_fields(referral, data, check=_check_draft)
    return referral


@audited_as_by
@transaction.atomic
def referral_delete_draft(*, referral: Referral, by: User) -> str:
    """Delete a draft its sending state will not send; it was never shared, so nothing else goes.

    The case's audit trail keeps a record (its reference and who deleted it). Returns the reference.
    """
    referral = Referral.objects.select_for_update().select_related("sending_state").get(pk=referral.pk)
    if side_of(referral, by) != Side.SENDING or by.role != Role.NCP:
        raise ValidationError("Only the sending state's contact points can delete a draft.")
    if referral.status != ReferralStatus.DRAFT:
        raise ValidationError(
            f"Only a draft can be deleted; this referral is “{referral.get_status_display()}”. Withdraw it instead."
        )
    reference = referral.reference
    log_referral_entry(referral, by=by, action=LogEntry.Action.DELETE, what=f"draft referral {reference} deleted")
    referral.delete()
    return reference


def _check_draft(referral: Referral) -> None:
    if referral.receiving_state_id == referral.sending_state_id:
        raise ValidationError({"receiving_state": "A referral goes to another state."})
    if referral.consent.case_id != referral.case_id:
        raise ValidationError({"consent": "Choose a consent recorded on this case."})
    unknown = set(referral.shared_categories) - set(DataCategory.values)
    if unknown:
        raise ValidationError({"shared_categories": f"Unknown data categories: {', '.join(sorted(unknown))}."})
    if not referral.shared_categories:
        raise ValidationError({"shared_categories": "Choose what the referral shares."})
