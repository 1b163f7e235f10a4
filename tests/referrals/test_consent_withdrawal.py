"""Withdrawing a consent takes every referral that relies on it away from the receiving
state, whatever the referral's status (DESIGN.md §5)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import hooks
from cases import services as case_services
from cases.models import Consent
from notifications.models import Notification
from referrals import services
from referrals.models import EventKind, Referral, ReferralEvent, ReferralStatus
from tests.referrals.factories import advance, make_consent, make_referral


def _withdraw_through_the_page(login, ee_ncp, referral) -> None:
    client = login(ee_ncp)
    url = reverse("cases:consent_withdraw", args=[referral.case_id, referral.consent_id])
    response = client.post(url, {"reason": "She no longer wants her data shared."})
    assert response.status_code == 302


def test_a_declined_referral_is_closed_to_the_receiving_state_once_the_consent_is_withdrawn(
    login, ee_ncp, lv_ncp, lv_alt, demo_states
):
    referral = make_referral(ee_ncp, demo_states["LV"], send=True)
    referral = advance(referral, "declined", sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt)
    # Within its access period the declined referral is still the receiving state's to read...
    assert login(lv_ncp).get(referral.get_absolute_url()).status_code == 200

    _withdraw_through_the_page(login, ee_ncp, referral)

    # ...until the person withdraws the consent it relied on.
    response = login(lv_ncp).get(referral.get_absolute_url(), follow=True)
    assert response.redirect_chain == [(reverse("referrals:inbox"), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"The person withdrew their consent on {timezone.localtime():%-d %b %Y}; "
        "this referral is no longer shared with you."
    ]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED  # its history stays as it was
    assert referral.receiving_access_revoked_at is not None
    assert referral.events.filter(kind=EventKind.ACCESS_REVOKED).exists()
    # The sending state keeps its referral.
    assert login(ee_ncp).get(referral.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("status", "after"),
    [
        ("sent", ReferralStatus.CONSENT_WITHDRAWN),
        ("acknowledged", ReferralStatus.CONSENT_WITHDRAWN),
        ("completed", ReferralStatus.CONSENT_WITHDRAWN),
        ("declined", ReferralStatus.DECLINED),
        ("closed", ReferralStatus.CLOSED),
        ("referred_onward", ReferralStatus.REFERRED_ONWARD),
    ],
)
def test_every_referral_relying_on_a_withdrawn_consent_loses_the_receivers_access(
    ee_ncp, lv_ncp, lv_alt, demo_states, status, after
):
    referral = make_referral(ee_ncp, demo_states["LV"], send=True)
    if status == "referred_onward":
        referral = advance(referral, "acknowledged", sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt)
        referral = services.referral_transition(
            referral=referral,
            action="refer_onward",
            by=lv_ncp,
            data={"third_state": demo_states["LT"], "reason": "She has family in Vilnius."},
        )
    else:
        referral = advance(referral, status, sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt)
    assert lv_ncp.has_perm("referrals.view_referral", referral)

    case_services.consent_withdraw(consent=referral.consent, by=ee_ncp, reason="Withdrawn in person.")

    referral = Referral.objects.get(pk=referral.pk)
    assert referral.status == after
    assert referral.receiving_access_revoked_at is not None
    fresh_lv = type(lv_ncp).objects.get(pk=lv_ncp.pk)  # a fresh user: no cached permissions
    assert not fresh_lv.has_perm("referrals.view_referral", referral)
    assert referral.events.filter(kind=EventKind.ACCESS_REVOKED).count() == 1


def test_a_referral_already_withdrawn_is_left_as_it_is(ee_ncp, lv_ncp, lv_alt, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"], send=True)
    referral = advance(referral, "withdrawn", sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt)
    revoked_at = referral.receiving_access_revoked_at

    case_services.consent_withdraw(consent=referral.consent, by=ee_ncp, reason="Withdrawn in person.")

    referral.refresh_from_db()
    assert (referral.status, referral.receiving_access_revoked_at) == (ReferralStatus.WITHDRAWN, revoked_at)


def test_a_draft_on_a_withdrawn_consent_stays_a_draft_and_cannot_be_sent(ee_ncp, demo_states):
    referral = make_referral(ee_ncp, demo_states["LV"])

    case_services.consent_withdraw(consent=referral.consent, by=ee_ncp, reason="Withdrawn in person.")

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT
    assert "The consent it relies on was withdrawn." in services.send_guard_problems(referral)


def test_a_referral_on_another_consent_keeps_the_receivers_access(ee_ncp, lv_ncp, lv_alt, demo_states):
    declined = make_referral(ee_ncp, demo_states["LV"], send=True)
    declined = advance(declined, "declined", sender=ee_ncp, receiver=lv_ncp, alternate=lv_alt)
    other_consent = make_consent(declined.case, ee_ncp, states=[demo_states["LV"]])
    other = make_referral(ee_ncp, demo_states["LV"], case=declined.case, consent=other_consent, send=True)

    case_services.consent_withdraw(consent=declined.consent, by=ee_ncp, reason="Withdrawn in person.")

    other.refresh_from_db()
    assert other.status == ReferralStatus.SENT and other.receiving_access_revoked_at is None
    assert type(lv_ncp).objects.get(pk=lv_ncp.pk).has_perm("referrals.view_referral", other)


def test_referrals_answers_the_cases_consent_withdrawal_and_anonymisation():
    # cases calls what is connected (cases/hooks.py); referrals connects from its AppConfig.ready().
    assert services.referrals_end_for_withdrawn_consent in hooks.consent_withdrawn.handlers
    assert services.referrals_anonymise_for_case in hooks.case_anonymised.handlers


@pytest.fixture
def failing_withdrawal_handler():
    """A handler that fails after the referrals' one has ended the referral and revoked access."""

    def fail(*, consent: Consent, by: object) -> None:
        raise RuntimeError("the handler failed")

    hooks.consent_withdrawn.connect(fail)
    yield
    hooks.consent_withdrawn.disconnect(fail)


def test_a_failing_handler_rolls_the_withdrawal_and_the_referrals_ending_back(
    ee_ncp, lv_ncp, demo_states, failing_withdrawal_handler
):
    referral = make_referral(ee_ncp, demo_states["LV"], send=True)
    notices = Notification.objects.count()
    events = ReferralEvent.objects.filter(referral=referral).count()

    with pytest.raises(RuntimeError, match="the handler failed"):
        case_services.consent_withdraw(consent=referral.consent, by=ee_ncp, reason="Withdrawn in person.")

    consent = Consent.objects.get(pk=referral.consent_id)
    assert (consent.withdrawn_at, consent.withdrawal_reason) == (None, "")
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.status, referral.receiving_access_revoked_at) == (ReferralStatus.SENT, None)
    assert ReferralEvent.objects.filter(referral=referral).count() == events
    assert type(lv_ncp).objects.get(pk=lv_ncp.pk).has_perm("referrals.view_referral", referral)
    assert Notification.objects.count() == notices
