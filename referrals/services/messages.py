"""The two states' message thread on a referral, with checked attachments."""

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from core.audit import audited_as_by
from core.uploads import CASE_DOCUMENT_TYPES, check_upload, store_checked_upload
from members.models import User
from referrals.models import ENDED_STATUSES, Referral, ReferralDocument, ReferralMessage, ReferralStatus, Side
from referrals.services._sides import notify_side, side_of


@audited_as_by
@transaction.atomic
def referral_message_post(
    *, referral: Referral, by: User, body: str, upload: "File[bytes] | None" = None
) -> ReferralMessage:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    side = side_of(referral, by)
    if side is None:
        raise ValidationError("Only the two states' contact points can write here.")
    if referral.status == ReferralStatus.DRAFT:
        raise ValidationError("Send the referral before writing messages.")
    if referral.status in ENDED_STATUSES and referral.status != ReferralStatus.CLOSED:
        raise ValidationError("The referral has ended; no more messages can be added.")
    if not body.strip():
        raise ValidationError({"body": "Write a message."})
    attachment = None
    if upload is not None:
        try:
            checked = check_upload(upload, allowed=CASE_DOCUMENT_TYPES)
        except ValidationError as error:
            # Said at the file, so the message's text can stay where it was written.
            raise ValidationError({"attachment": error.messages}) from None
        attachment = ReferralDocument(referral=referral, uploaded_by=by)
        store_checked_upload(attachment, upload, checked)
    message = ReferralMessage.objects.create(
        referral=referral, author=by, side=side, body=body.strip(), attachment=attachment
    )
    other_side = Side.RECEIVING if side == Side.SENDING else Side.SENDING
    notify_side(referral, other_side, f"new message from {by.full_name}", actor=by)
    return message
