"""Demo referrals between demo states, in several states of the mechanism, one overdue."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cases import services as case_services
from cases.demo import INFORMED_CHECKLIST
from cases.models import Case, CaseIdentity, Consent
from members.models import MemberState, Role, User
from referrals import services
from referrals.models import Referral

# (sending state, receiving state, actions taken by the receiving side)
ROUTES = [
    ("EE", "LV", ["acknowledge", "accept", "complete"]),
    ("LT", "PL", ["acknowledge"]),
    ("FI", "SE", []),  # left unacknowledged past its deadline: overdue
    ("SE", "EE", ["decline"]),
]


def _ncps(code: str) -> list[User]:
    return list(User.objects.filter(member_state__code=code, role=Role.NCP).order_by("pk"))


@transaction.atomic
def seed_demo_referrals() -> int:
    if Referral.objects.exists():
        return 0
    created = 0
    for sending, receiving, actions in ROUTES:
        sender, receiver_state = _ncps(sending)[0], MemberState.objects.get(code=receiving)
        case = Case.objects.filter(member_state__code=sending).exclude(stage="closed").order_by("pk").first()
        consent = Consent.objects.filter(case=case).first()
        if case is None or consent is None:
            continue
        consent.member_states.add(receiver_state)
        referral = services.referral_create(
            case=case,
            by=sender,
            data={
                "receiving_state": receiver_state,
                "purpose": "assistance",
                "urgency": "urgent" if sending == "FI" else "normal",
                "consent": consent,
                "shared_categories": ["case_variables", "risk"],
            },
        )
        referral = services.referral_transition(referral=referral, action="send", by=sender)
        receiver = _ncps(receiving)[0]
        data: dict[str, dict[str, object]] = {
            "acknowledge": {"receiving_contact": receiver, "receiving_alternate": _ncps(receiving)[1]},
            "accept": {"met_by": "Shelter staff", "meeting_place": "Bus station", "meeting_time": timezone.now()},
            "complete": {"arrived_on": timezone.localdate()},
            "decline": {"reason": "No shelter place for the requested dates."},
        }
        for action in actions:
            referral = services.referral_transition(referral=referral, action=action, by=receiver, data=data[action])
        if sending == "FI":
            Referral.objects.filter(pk=referral.pk).update(
                sent_at=timezone.now() - timedelta(days=4), ack_deadline=timezone.now() - timedelta(days=2)
            )
        created += 1
    created += _seed_identity_sharing_referral()
    services.referrals_mark_overdue()
    return created


# Invented, and marked as such: what the Latvian contact point sees after a reveal.
DEMO_SHARED_IDENTITY = {
    "document_numbers": "Passport EE0000001 (demo)",
    "contact_details": "+372 5000 0001 (demo)",
}


def _seed_identity_sharing_referral() -> int:
    """An EE→LV referral that shares the identity, sent: Latvia sees it only through a reveal."""
    cases = Case.objects.filter(member_state__code="EE").exclude(stage="closed").order_by("pk")
    # The second open case: the first one already went to Latvia above, without the identity.
    case = cases[1:2].first()
    sender, latvia = _ncps("EE")[0], MemberState.objects.get(code="LV")
    if case is None or not CaseIdentity.objects.filter(case=case).exists():
        return 0
    case_services.identity_save(case=case, by=sender, data=DEMO_SHARED_IDENTITY)
    consent = case_services.case_record_add(
        case=case,
        record=Consent(
            given_by="person",
            given_on=timezone.localdate(),
            method="written",
            purposes=["referral", "assistance"],
            data_categories=["case_variables", "identity", "contact"],
            **dict.fromkeys(INFORMED_CHECKLIST, True),
        ),
        by=sender,
        m2m={"member_states": [latvia]},
    )
    referral = services.referral_create(
        case=case,
        by=sender,
        data={
            "receiving_state": latvia,
            "purpose": "assistance",
            "urgency": "normal",
            "consent": consent,
            "shared_categories": ["case_variables", "identity", "contact"],
            "note": "The person agreed to share her identity with Latvia, to arrange her documents.",
        },
    )
    services.referral_transition(referral=referral, action="send", by=sender)
    return 1
