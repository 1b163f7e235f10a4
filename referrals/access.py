"""From a URL id to a referral: 404 for missing and for not-yours alike.

Access is the object permission of a state's NCP team (guardian stores it; core.grants
reads it as an indexed EXISTS; a grant to a single user opens nothing): the sending team from the
draft on, the receiving team from sending until it is revoked. The grant alone is not
enough: only an active NCP of the sending or receiving state opens a referral, so a
stale grant opens nothing.
"""

from django.db.models import Q
from django.http import Http404

from core.grants import team_granted
from core.types import AnyUser
from members.models import Role
from referrals.models import Referral, ReferralDocument, ReferralGroupObjectPermission, ReferralQuerySet


def referrals_for(user: AnyUser, perm: str = "referrals.view_referral") -> ReferralQuerySet:
    if not user.is_authenticated or not user.is_active:
        return Referral.objects.none()
    if user.role != Role.NCP or user.member_state_id is None:
        return Referral.objects.none()
    own_state = Q(sending_state_id=user.member_state_id) | Q(receiving_state_id=user.member_state_id)
    return Referral.objects.filter(own_state).filter(
        team_granted(user, perm, group_grants=ReferralGroupObjectPermission)
    )


def access_referral(user: AnyUser, pk: int, perm: str = "referrals.view_referral") -> Referral:
    referral = (
        referrals_for(user, perm)
        .select_related("sending_state", "receiving_state", "sending_contact", "receiving_contact", "case")
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404("No such referral.")
    return referral


def access_referral_document(user: AnyUser, referral_pk: int, pk: int) -> tuple[Referral, ReferralDocument]:
    referral = access_referral(user, referral_pk)
    document = ReferralDocument.objects.filter(referral=referral, pk=pk).first()
    if document is None:
        raise Http404("No such document.")
    return referral, document
