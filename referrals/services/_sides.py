"""The two sides of a referral and how one side is told of something: shared by this package's modules."""

from members.models import MemberState, User, UserQuerySet
from notifications.services import notify
from referrals.models import Referral, Side


def side_of(referral: Referral, user: User) -> str | None:
    if user.member_state_id == referral.sending_state_id:
        return Side.SENDING
    if user.member_state_id == referral.receiving_state_id:
        return Side.RECEIVING
    return None


def state_contacts(state: MemberState) -> UserQuerySet:
    return User.objects.ncps_of(state)


def notify_side(referral: Referral, side: str, text: str, *, actor: User | None, kind: str = "referral_update") -> None:
    state = referral.sending_state if side == Side.SENDING else referral.receiving_state
    notify(
        recipients=state_contacts(state),
        kind=kind,
        text=f"{referral.reference}: {text}",
        link=referral.get_absolute_url(),
        target=referral,
        actor=actor,
    )
