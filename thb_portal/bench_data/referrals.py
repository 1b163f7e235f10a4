"""The referrals: half sent by the big state, half sent to it, each in one of the workflow's
statuses in turn, with the consent it relies on, its snapshot (when sent), the events of the
steps that led there, and the grants the services give: the sending team's SENDER_PERMISSIONS,
and the receiving team's RECEIVER_PERMISSIONS from sending until the access is revoked."""

import json
from datetime import datetime

from django.conf import settings

from cases.models import Consent, ConsentPurpose, DataCategory, Gender, Stage
from members.demo import PARTICIPATING_STATE_CODES
from members.models import User
from referrals.models import (
    EventKind,
    Purpose,
    Referral,
    ReferralEvent,
    ReferralGroupObjectPermission,
    ReferralStatus,
    Service,
    Side,
)
from referrals.services import RECEIVER_PERMISSIONS, SENDER_PERMISSIONS, add_working_days
from thb_portal.bench_data.bulk import Row, copy, grant, next_id
from thb_portal.bench_data.cases import ReferredCase
from thb_portal.bench_data.world import BIG_STATE, OTHER_STATES, World

# Each referral ends in one of these statuses, in turn; its events are the steps that led there.
_TO_COMPLETED = (EventKind.SENT, EventKind.ACKNOWLEDGED, EventKind.ACCEPTED, EventKind.COMPLETED)
PATHS: dict[str, tuple[str, ...]] = {
    ReferralStatus.DRAFT: (),
    ReferralStatus.SENT: (EventKind.SENT,),
    ReferralStatus.ACKNOWLEDGED: (EventKind.SENT, EventKind.ACKNOWLEDGED),
    ReferralStatus.ACCEPTED: (EventKind.SENT, EventKind.ACKNOWLEDGED, EventKind.ACCEPTED),
    ReferralStatus.IN_PROGRESS: (EventKind.SENT, EventKind.ACKNOWLEDGED, EventKind.ACCEPTED, EventKind.STARTED),
    ReferralStatus.COMPLETED: _TO_COMPLETED,
    ReferralStatus.CLOSED: (*_TO_COMPLETED, EventKind.CLOSED),
    ReferralStatus.DECLINED: (EventKind.SENT, EventKind.DECLINED),
    # Withdrawing revokes the receiving state's access, which the portal records.
    ReferralStatus.WITHDRAWN: (EventKind.SENT, EventKind.WITHDRAWN, EventKind.ACCESS_REVOKED),
}
RECEIVING_STEPS = {EventKind.ACKNOWLEDGED, EventKind.ACCEPTED, EventKind.STARTED, EventKind.COMPLETED}
RECEIVING_STEPS |= {EventKind.DECLINED}
# The field each step stamps (starting the work stamps none).
STAMPS: dict[str, str] = {
    EventKind.SENT: "sent_at",
    EventKind.ACKNOWLEDGED: "acknowledged_at",
    EventKind.ACCEPTED: "accepted_at",
    EventKind.COMPLETED: "completed_at",
    EventKind.CLOSED: "ended_at",
    EventKind.DECLINED: "ended_at",
    EventKind.WITHDRAWN: "ended_at",
    EventKind.ACCESS_REVOKED: "receiving_access_revoked_at",
}
PURPOSES = [Purpose.ASSISTANCE, Purpose.RETURN, Purpose.TRACING, Purpose.PROCEEDINGS]
# What each referral's consent covers: a referral, and what each of the purposes above needs.
CONSENTED_PURPOSES = [ConsentPurpose.REFERRAL, ConsentPurpose.ASSISTANCE, ConsentPurpose.RETURN]
CONSENTED_PURPOSES += [ConsentPurpose.DATA_SHARING]


def write_referrals(world: World, referred: dict[str, list[ReferredCase]]) -> None:
    big_states_cases = referred.get(BIG_STATE, [])
    pairs = [(case, OTHER_STATES[index % len(OTHER_STATES)]) for index, case in enumerate(big_states_cases)]
    pairs += [(case, BIG_STATE) for code in OTHER_STATES for case in referred.get(code, [])]
    first_consent, first_referral = next_id(Consent), next_id(Referral)
    statuses = list(PATHS)
    consents, consent_states, referrals, events = [], [], [], []
    for index, (case, receiving) in enumerate(pairs):
        consent_id, referral_id = first_consent + index, first_referral + index
        status = statuses[index % len(statuses)]
        sender, receiver = world.users[case.state], world.users[receiving]
        created = case.created_at + (world.now - case.created_at) * 0.2
        consents.append(_consent_row(consent_id, case, sender, created))
        consent_states.append({"consent_id": consent_id, "memberstate_id": world.states[receiving].pk})
        stamps: dict[str, datetime | None] = dict.fromkeys(STAMPS.values())
        moment = created
        for kind in PATHS[status]:
            moment += (world.now - moment) * 0.1
            if kind in STAMPS:
                stamps[STAMPS[kind]] = moment
            side = (
                Side.PORTAL
                if kind == EventKind.ACCESS_REVOKED
                else Side.RECEIVING
                if kind in RECEIVING_STEPS
                else Side.SENDING
            )
            actor = {Side.SENDING: sender.pk, Side.RECEIVING: receiver.pk}.get(side)
            events.append(
                {"referral_id": referral_id, "kind": kind, "side": side, "actor_id": actor}
                | {"created_at": moment, "data": None}
            )
        referrals.append(_referral_row(world, referral_id, case, receiving, consent_id, status, created, stamps))
    copy(Consent, consents)
    copy(Consent.member_states.through, consent_states)
    copy(Referral, referrals)
    copy(ReferralEvent, events)
    for code in PARTICIPATING_STATE_CODES:
        team, state = world.teams[code], world.states[code].pk
        for permission in SENDER_PERMISSIONS:
            grant(ReferralGroupObjectPermission, Referral, permission, team, "sending_state_id = %s", [state])
        # From sending on, until the access is revoked.
        shared = "receiving_state_id = %s AND status <> %s AND receiving_access_revoked_at IS NULL"
        for permission in RECEIVER_PERMISSIONS:
            grant(ReferralGroupObjectPermission, Referral, permission, team, shared, [state, ReferralStatus.DRAFT])


def _consent_row(consent_id: int, case: ReferredCase, sender: User, given: datetime) -> Row:
    """The consent a referral relies on: to a referral, for its purposes, of the shared category."""
    return {
        "id": consent_id,
        "case_id": case.id,
        "recorded_by_id": sender.pk,
        "recorded_at": given,
        "given_by": "person",
        "given_on": given.date(),
        "purposes": json.dumps(CONSENTED_PURPOSES),
        "data_categories": json.dumps([DataCategory.CASE_VARIABLES]),
        "method": "written",
        "interpreter_language": "",
        # Every point the person was informed of, as the consent form's checklist asks.
        **{field.name: True for field in Consent._meta.fields if field.name.startswith("informed_of_")},
        "scanned_form_id": None,
        "withdrawn_at": None,
        "withdrawal_reason": "",
    }


def _referral_row(
    world: World,
    referral_id: int,
    case: ReferredCase,
    receiving: str,
    consent_id: int,
    status: str,
    created: datetime,
    stamps: dict[str, datetime | None],
) -> Row:
    sent = stamps["sent_at"]
    urgency = "urgent" if referral_id % 7 == 0 else "normal"
    snapshot = None
    if sent is not None:
        # What the send step freezes: the shared category, encrypted by the field itworld.
        snapshot = Referral._meta.get_field("snapshot").get_prep_value(
            {
                "case_reference": case.reference,
                "taken_at": sent.isoformat(),
                "case_variables": {"stage": Stage(case.stage).label, "gender": Gender(case.gender).label},
            }
        )
    return {
        "id": referral_id,
        "reference": f"{case.reference}-R1",
        "case_id": case.id,
        "sending_state_id": world.states[case.state].pk,
        "receiving_state_id": world.states[receiving].pk,
        "sending_contact_id": world.users[case.state].pk,
        "receiving_contact_id": world.users[receiving].pk if stamps["acknowledged_at"] else None,
        "receiving_alternate_id": None,
        "purpose": PURPOSES[referral_id % len(PURPOSES)],
        "urgency": urgency,
        "requested_services": json.dumps([Service.ACCOMMODATION, Service.MEDICAL]),
        "consent_id": consent_id,
        "shared_categories": json.dumps([DataCategory.CASE_VARIABLES]),
        # Outside the EU/EEA a transfer needs its safeguard recorded before sending.
        "safeguard": "" if world.states[receiving].is_eu_eea else "clauses",
        "safeguard_note": "",
        "note": "",
        "snapshot": snapshot,
        "status": status,
        "created_at": created,
        "ack_deadline": add_working_days(sent, settings.THB_REFERRAL_ACK_WORKING_DAYS[urgency]) if sent else None,
        "overdue_notified_at": None,
        **stamps,
    }
