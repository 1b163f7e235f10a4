"""A draft referral can be corrected by its sending state until it is sent, and only then."""

from django.urls import reverse

from members.models import Role
from referrals import services
from referrals.models import ReferralEvent
from tests.cases.factories import make_case
from tests.referrals.factories import make_consent, make_referral, post_for_messages


def draft_form(referral, **changes) -> dict:
    data = {
        "receiving_state": referral.receiving_state_id,
        "purpose": referral.purpose,
        "urgency": referral.urgency,
        "consent": referral.consent_id,
        "shared_categories": referral.shared_categories,
        "safeguard": referral.safeguard,
        "safeguard_note": referral.safeguard_note,
        "note": referral.note,
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value not in ("", None)}


def test_the_sender_records_the_missing_safeguard_in_the_draft_then_sends_it(
    client, login, ee_ncp, make_user, demo_states
):
    ukraine = demo_states["UA"]
    make_user(Role.NCP, "UA")
    case = make_case(ee_ncp)
    referral = make_referral(ee_ncp, ukraine, case=case, consent=make_consent(case, ee_ncp, states=[ukraine]))
    login(ee_ncp)
    detail = client.get(referral.get_absolute_url()).content.decode()
    assert "record the transfer safeguard before sending" in detail and "Edit draft" in detail

    edit_url = reverse("referrals:edit", args=[referral.pk])
    assert client.get(edit_url).status_code == 200
    _, _, shown = post_for_messages(
        client,
        edit_url,
        draft_form(referral, safeguard="clauses", safeguard_note="Agreement of 2024", urgency="urgent"),
    )
    assert shown == [f"Draft {referral.reference} saved. Check it, then send it."]
    referral.refresh_from_db()
    assert (referral.safeguard, referral.urgency, referral.status) == ("clauses", "urgent", "draft")
    assert services.send_guard_problems(referral) == []
    assert not ReferralEvent.objects.filter(referral=referral).exists()  # drafting writes no timeline event

    _, _, shown = post_for_messages(client, reverse("referrals:action", args=[referral.pk, "send"]))
    assert shown == ["Done: send."]


def test_a_bad_change_is_refused_with_its_reason_and_the_draft_stays(client, login, ee_ncp, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"])
    login(ee_ncp)
    edit_url = reverse("referrals:edit", args=[referral.pk])
    response = client.post(edit_url, draft_form(referral, shared_categories=[]))
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post(edit_url, draft_form(referral, receiving_state=demo_states["EE"].pk))
    assert response.status_code == 400  # not a state it can go to: EE is the sender
    referral.refresh_from_db()
    assert referral.receiving_state == demo_states["LV"] and referral.shared_categories == ["case_variables"]


def test_a_sent_referral_cannot_be_edited(client, login, ee_ncp, lv_ncp, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"], send=True)
    login(ee_ncp)
    edit_url = reverse("referrals:edit", args=[referral.pk])
    response = client.post(edit_url, draft_form(referral, urgency="urgent"), follow=True)
    assert "Only a draft can be changed" in response.content.decode()
    assert "Edit draft" not in client.get(referral.get_absolute_url()).content.decode()
    referral.refresh_from_db()
    assert referral.urgency == "normal"
    # The receiving state sees the referral but may never edit it: 404, as for anyone else.
    login(lv_ncp)
    assert client.get(edit_url).status_code == 404


def test_another_states_ncp_gets_404_on_a_draft(client, login, ee_ncp, lt_ncp, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"])
    login(lt_ncp)
    assert client.get(reverse("referrals:edit", args=[referral.pk])).status_code == 404
    assert client.post(reverse("referrals:edit", args=[referral.pk]), draft_form(referral)).status_code == 404
