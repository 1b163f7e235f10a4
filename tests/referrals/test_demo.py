"""The demo has an EE→LV referral that shares the identity, so the reveal can be seen and tried."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from members.models import User
from referrals.access import access_referral
from referrals.models import Referral


@pytest.fixture
def demo(db, settings, private_media):
    settings.DEBUG = True
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)


def _identity_sharing() -> list[Referral]:
    return [
        referral
        for referral in Referral.objects.filter(sending_state__code="EE", receiving_state__code="LV")
        if "identity" in referral.shared_categories
    ]


def test_the_demo_has_a_sent_ee_to_lv_referral_sharing_the_identity_under_a_covering_consent(demo):
    (referral,) = _identity_sharing()
    assert referral.status == "sent"
    assert referral.snapshot["identity"]["family_name"]
    assert referral.snapshot["identity"]["document_numbers"]
    consent = referral.consent
    assert {"identity", "contact"} <= set(consent.data_categories) and consent.withdrawn_at is None
    assert consent.member_states.filter(code="LV").exists()
    latvian = User.objects.get(email="ncp.lv@example.org")
    assert access_referral(latvian, referral.pk) == referral


def test_the_latvian_demo_ncp_sees_the_demo_identity_only_after_a_reveal(client, login, demo):
    (referral,) = _identity_sharing()
    family_name = referral.snapshot["identity"]["family_name"]
    login(User.objects.get(email="ncp.lv@example.org"))
    assert family_name not in client.get(referral.get_absolute_url()).content.decode()
    response = client.post(reverse("referrals:identity_reveal", args=[referral.pk]), {"purpose": "referral"})
    assert response.status_code == 200 and family_name in response.content.decode()


def test_seeding_twice_adds_no_second_referral(demo):
    count = Referral.objects.count()
    with open("/dev/null", "w") as devnull:
        call_command("seed_demo", stdout=devnull)
    assert Referral.objects.count() == count
