"""Referring on goes to a third state: not the EU (a CBSS member, not a destination), nor
either state the referral is between; one posted anyway is refused and nothing changes."""

import pytest
from django.urls import reverse

from referrals.forms import action_form
from referrals.models import Referral, ReferralEvent
from tests.referrals.factories import advance, make_referral


@pytest.fixture
def acknowledged(ee_ncp, lv_ncp, lv_alt, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"], send=True)
    return advance(referral, "acknowledged", sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt)


def test_the_third_states_offered_are_neither_the_eu_nor_the_two_states_of_the_referral(acknowledged, lv_ncp):
    form = action_form("refer_onward", acknowledged, user=lv_ncp)
    offered = set(form.fields["third_state"].queryset.values_list("code", flat=True))
    assert "LT" in offered and "UA" in offered
    assert not offered & {"EU", "EE", "LV"}


def test_the_referral_page_does_not_offer_the_eu(client, login, acknowledged, lv_ncp, demo_states):
    login(lv_ncp)
    page = client.get(reverse("referrals:detail", args=[acknowledged.pk])).content.decode()
    assert 'name="refer_onward-third_state"' in page
    assert f'<option value="{demo_states["LT"].pk}">' in page
    assert f'<option value="{demo_states["EU"].pk}">' not in page


@pytest.mark.parametrize("code", ["EU", "LV", "EE"])
def test_referring_on_to_the_eu_or_a_state_of_the_referral_is_refused(
    client, login, acknowledged, lv_ncp, demo_states, code
):
    login(lv_ncp)
    data = {"refer_onward-third_state": demo_states[code].pk, "refer_onward-reason": "She moved on."}
    response = client.post(reverse("referrals:action", args=[acknowledged.pk, "refer_onward"]), data)
    assert response.status_code == 400
    assert (
        "Choose a third state from the list: not the EU, nor a state this referral is between."
        in response.content.decode()
    )
    assert Referral.objects.get(pk=acknowledged.pk).status == "acknowledged"
    assert not ReferralEvent.objects.filter(referral=acknowledged, kind="referred_onward").exists()
