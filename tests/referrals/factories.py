from django.utils import timezone

from cases import services as case_services
from cases.models import Consent
from referrals import services
from referrals.models import Referral
from tests.cases.factories import make_case

INFORMED = {
    name: True
    for name in [
        "informed_of_purpose",
        "informed_of_data_use",
        "informed_of_research_use",
        "informed_of_access_right",
        "informed_of_retention",
        "informed_of_withdrawal",
    ]
}


def make_consent(
    case,
    ncp,
    *,
    states,
    purposes=("referral", "assistance", "return", "data_sharing"),
    categories=("case_variables", "risk", "identity"),
) -> Consent:
    consent = Consent(
        given_by="person",
        given_on=timezone.localdate(),
        method="written",
        purposes=list(purposes),
        data_categories=list(categories),
        **INFORMED,
    )
    return case_services.case_record_add(case=case, record=consent, by=ncp, m2m={"member_states": states})


def make_referral(sender, receiving_state, *, case=None, consent=None, send=False, **data) -> Referral:
    case = case or make_case(sender)
    consent = consent or make_consent(case, sender, states=[receiving_state])
    referral = services.referral_create(
        case=case,
        by=sender,
        data={
            "receiving_state": receiving_state,
            "purpose": data.pop("purpose", "assistance"),
            "urgency": data.pop("urgency", "normal"),
            "consent": consent,
            "shared_categories": data.pop("shared_categories", ["case_variables"]),
            **data,
        },
    )
    if send:
        referral = services.referral_transition(referral=referral, action="send", by=sender)
    return referral


# What each receiving-side step needs, for tests that only want to get a referral somewhere.
def step_data(action: str, *, receiver=None, alternate=None) -> dict:
    return {
        "acknowledge": {"receiving_contact": receiver, "receiving_alternate": alternate},
        "accept": {"met_by": "Shelter staff", "meeting_place": "Riga bus station", "meeting_time": "2026-12-01 10:00"},
        "complete": {"arrived_on": "2026-12-01"},
        "decline": {"reason": "No shelter place for these dates."},
        "withdraw": {"reason": "The person chose to stay."},
        "consent_withdrawn": {"reason": "The person withdrew consent."},
    }.get(action, {})


# The path from "sent" to each status: (action, acting side) steps.
PATH_TO = {
    "sent": [],
    "acknowledged": [("acknowledge", "receiving")],
    "accepted": [("acknowledge", "receiving"), ("accept", "receiving")],
    "in_progress": [("acknowledge", "receiving"), ("accept", "receiving"), ("start", "receiving")],
    "completed": [("acknowledge", "receiving"), ("accept", "receiving"), ("complete", "receiving")],
    "closed": [("acknowledge", "receiving"), ("accept", "receiving"), ("complete", "receiving"), ("close", "sending")],
    "declined": [("decline", "receiving")],
    "withdrawn": [("withdraw", "sending")],
    "consent_withdrawn": [("consent_withdrawn", "sending")],
}


def advance(referral, status: str, *, sender, receiver, alternate) -> Referral:
    """Move a sent referral to `status` through the service, as the two sides would."""
    for action, side in PATH_TO[status]:
        by = sender if side == "sending" else receiver
        referral = services.referral_transition(
            referral=referral, action=action, by=by, data=step_data(action, receiver=receiver, alternate=alternate)
        )
    return referral


def post_for_messages(client, url: str, data: dict | None = None) -> tuple[int, str, list[str]]:
    """POST, follow the redirect, and return (status of the POST, where it led, the messages shown there)."""
    response = client.post(url, data or {}, follow=True)
    first = response.redirect_chain[0] if response.redirect_chain else (response.request["PATH_INFO"], 200)
    shown = [str(message) for message in response.context["messages"]] if response.context else []
    return first[1], first[0], shown
