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
