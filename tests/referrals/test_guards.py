"""The guards on a referral (DESIGN.md section 6): what sending and drafting refuse.

A refused send changes nothing: the referral stays a draft, no event is written, no
snapshot is taken and the receiving state's team is granted nothing.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services as case_services
from members.models import Role
from members.roles import team_group
from referrals import services
from referrals.models import CONSENT_PURPOSE_FOR, Purpose, Referral, ReferralEvent, ReferralGroupObjectPermission
from tests.cases.factories import make_case
from tests.referrals.factories import make_consent, make_referral, post_for_messages

ALL_PURPOSES = ("referral", "assistance", "return", "data_sharing")


def _assert_nothing_happened(referral, receiving_state):
    referral.refresh_from_db()
    assert referral.status == "draft"
    assert referral.snapshot is None
    assert referral.sent_at is None and referral.ack_deadline is None
    assert not ReferralEvent.objects.filter(referral=referral).exists()
    receiving_team = team_group(receiving_state, Role.NCP)
    assert not ReferralGroupObjectPermission.objects.filter(group=receiving_team, content_object=referral).exists()


def _refused_send(referral, sender) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        services.referral_transition(referral=referral, action="send", by=sender)
    return refused.value.messages


def test_a_withdrawn_consent_cannot_carry_a_referral(ee_ncp, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"])
    case_services.consent_withdraw(consent=referral.consent, by=ee_ncp, reason="The person no longer agrees.")
    assert _refused_send(referral, ee_ncp) == ["The consent it relies on was withdrawn."]
    _assert_nothing_happened(referral, demo_states["LV"])


def test_a_consent_without_the_referral_purpose_is_refused(ee_ncp, demo_states):
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"]], purposes=("assistance", "return", "data_sharing"))
    referral = make_referral(ee_ncp, demo_states["LV"], case=case, consent=consent)
    assert _refused_send(referral, ee_ncp) == ["The consent does not cover a referral."]
    _assert_nothing_happened(referral, demo_states["LV"])


@pytest.mark.parametrize("purpose", Purpose.values)
def test_a_consent_without_the_purpose_the_referral_needs_is_refused(ee_ncp, demo_states, purpose):
    needed = CONSENT_PURPOSE_FOR[purpose]
    case = make_case(ee_ncp)
    others = tuple(p for p in ALL_PURPOSES if p != needed)
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"]], purposes=others)
    referral = make_referral(ee_ncp, demo_states["LV"], case=case, consent=consent, purpose=purpose)
    label = Purpose(purpose).label
    assert _refused_send(referral, ee_ncp) == [f"The consent does not cover the purpose “{label}”."]
    _assert_nothing_happened(referral, demo_states["LV"])


def test_a_consent_that_does_not_name_the_receiving_state_is_refused(ee_ncp, demo_states):
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[demo_states["FI"]])
    referral = make_referral(ee_ncp, demo_states["LV"], case=case, consent=consent)
    assert _refused_send(referral, ee_ncp) == ["The consent does not cover sharing with Latvia."]
    _assert_nothing_happened(referral, demo_states["LV"])


def test_a_shared_category_the_consent_does_not_cover_is_refused(ee_ncp, demo_states):
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"]], categories=("case_variables", "risk"))
    referral = make_referral(
        ee_ncp, demo_states["LV"], case=case, consent=consent, shared_categories=["case_variables", "identity"]
    )
    assert _refused_send(referral, ee_ncp) == [
        "The consent does not cover these data categories: Identity (name, date of birth, documents)."
    ]
    _assert_nothing_happened(referral, demo_states["LV"])


def test_every_problem_is_listed_at_once(ee_ncp, demo_states):
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[demo_states["FI"]], purposes=("assistance",), categories=("risk",))
    referral = make_referral(ee_ncp, demo_states["LV"], case=case, consent=consent, purpose="return")
    problems = _refused_send(referral, ee_ncp)
    assert problems == [
        "The consent does not cover a referral.",
        "The consent does not cover the purpose “Return to the country of origin”.",
        "The consent does not cover sharing with Latvia.",
        "The consent does not cover these data categories: Case variables (exploitation, countries, needs).",
    ]
    _assert_nothing_happened(referral, demo_states["LV"])


def test_sending_outside_the_eu_eea_needs_a_safeguard_and_succeeds_with_one(
    client, login, ee_ncp, make_user, demo_states
):
    ukraine = demo_states["UA"]
    assert not ukraine.is_eu_eea
    ua_ncp = make_user(Role.NCP, "UA")
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[ukraine])
    referral = make_referral(ee_ncp, ukraine, case=case, consent=consent)
    assert _refused_send(referral, ee_ncp) == [
        "Ukraine is outside the EU/EEA: record the transfer safeguard before sending."
    ]
    _assert_nothing_happened(referral, ukraine)
    assert not ua_ncp.has_perm("referrals.view_referral", referral)

    # The same referral drafted with its safeguard recorded goes through.
    login(ee_ncp)
    _, _, shown = post_for_messages(
        client,
        reverse("referrals:create", args=[case.pk]),
        {
            "receiving_state": ukraine.pk,
            "purpose": "assistance",
            "urgency": "normal",
            "consent": consent.pk,
            "shared_categories": ["case_variables"],
            "safeguard": "clauses",
            "safeguard_note": "Cooperation agreement of 2024",
        },
    )
    with_safeguard = Referral.objects.exclude(pk=referral.pk).get()
    assert shown == [f"Draft {with_safeguard.reference} saved. Check it, then send it."]
    assert with_safeguard.safeguard == "clauses"
    assert services.send_guard_problems(with_safeguard) == []
    _, _, shown = post_for_messages(client, reverse("referrals:action", args=[with_safeguard.pk, "send"]))
    assert shown == ["Done: send."]
    with_safeguard.refresh_from_db()
    assert with_safeguard.status == "sent" and with_safeguard.snapshot is not None
    assert ReferralEvent.objects.filter(referral=with_safeguard, kind="sent").count() == 1
    assert ua_ncp.has_perm("referrals.view_referral", with_safeguard)


def test_a_refused_send_through_the_view_says_why_and_changes_nothing(client, login, ee_ncp, demo_states):
    referral = make_referral(ee_ncp, demo_states["UA"])
    login(ee_ncp)
    page = client.get(referral.get_absolute_url()).content.decode()
    assert "This draft cannot be sent yet" in page and "Ukraine is outside the EU/EEA" in page
    status, _, shown = post_for_messages(client, reverse("referrals:action", args=[referral.pk, "send"]))
    assert status == 302
    assert shown == [
        "Nothing was changed. Ukraine is outside the EU/EEA: record the transfer safeguard before sending."
    ]
    _assert_nothing_happened(referral, demo_states["UA"])


# Drafting ------------------------------------------------------------------------------


def _draft_form(referral_data: dict) -> dict:
    return {
        "urgency": "normal",
        "purpose": "assistance",
        "safeguard": "",
        "safeguard_note": "",
        "note": "",
        **referral_data,
    }


@pytest.fixture
def drafting(ee_ncp, lv_ncp, demo_states):
    # lv_ncp: a state can be chosen only when it has a contact point to receive the referral.
    case = make_case(ee_ncp)
    consent = make_consent(case, ee_ncp, states=[demo_states["LV"]])
    return case, consent


def test_a_valid_draft_form_creates_a_draft_seen_only_by_the_sender(
    client, login, ee_ncp, lv_ncp, demo_states, drafting
):
    case, consent = drafting
    login(ee_ncp)
    response = client.post(
        reverse("referrals:create", args=[case.pk]),
        _draft_form(
            {"receiving_state": demo_states["LV"].pk, "consent": consent.pk, "shared_categories": ["case_variables"]}
        ),
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == referral.get_absolute_url()
    assert referral.status == "draft" and referral.sending_state == demo_states["EE"]
    assert ee_ncp.has_perm("referrals.view_referral", referral)
    assert not lv_ncp.has_perm("referrals.view_referral", referral)


@pytest.mark.parametrize(
    ("problem", "field"),
    [("own state", "receiving_state"), ("another case's consent", "consent"), ("nothing shared", "shared_categories")],
)
def test_the_draft_form_refuses_bad_choices_with_a_form_error(
    client, login, ee_ncp, demo_states, drafting, problem, field
):
    case, consent = drafting
    other_case = make_case(ee_ncp)
    other_consent = make_consent(other_case, ee_ncp, states=[demo_states["LV"]])
    data = {"receiving_state": demo_states["LV"].pk, "consent": consent.pk, "shared_categories": ["case_variables"]}
    if problem == "own state":
        data["receiving_state"] = demo_states["EE"].pk
    elif problem == "another case's consent":
        data["consent"] = other_consent.pk
    else:
        del data["shared_categories"]
    login(ee_ncp)
    response = client.post(reverse("referrals:create", args=[case.pk]), _draft_form(data))
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    error = form.errors[field][0]
    assert error in response.content.decode()
    assert error in (
        "Select a valid choice. That choice is not one of the available choices.",
        "This field is required.",
    )
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("problem", "field", "message"),
    [
        ("own state", "receiving_state", "A referral goes to another state."),
        ("another case's consent", "consent", "Choose a consent recorded on this case."),
        ("nothing shared", "shared_categories", "Choose what the referral shares."),
        ("unknown category", "shared_categories", "Unknown data categories: shoe_size."),
    ],
)
def test_the_draft_service_refuses_the_same_without_the_form(ee_ncp, demo_states, drafting, problem, field, message):
    case, consent = drafting
    data = {
        "receiving_state": demo_states["LV"],
        "purpose": "assistance",
        "consent": consent,
        "shared_categories": ["case_variables"],
    }
    if problem == "own state":
        data["receiving_state"] = demo_states["EE"]
    elif problem == "another case's consent":
        data["consent"] = make_consent(make_case(ee_ncp), ee_ncp, states=[demo_states["LV"]])
    elif problem == "nothing shared":
        data["shared_categories"] = []
    else:
        data["shared_categories"] = ["case_variables", "shoe_size"]
    with pytest.raises(ValidationError) as refused:
        services.referral_create(case=case, by=ee_ncp, data=data)
    assert refused.value.message_dict == {field: [message]}
    assert not Referral.objects.exists()


def test_another_states_ncp_cannot_draft_a_referral_of_a_case_they_do_not_hold(client, login, lv_ncp, drafting):
    case, _ = drafting
    login(lv_ncp)
    assert client.get(reverse("referrals:create", args=[case.pk])).status_code == 404
    assert client.post(reverse("referrals:create", args=[case.pk]), {}).status_code == 404
    assert not Referral.objects.exists()
