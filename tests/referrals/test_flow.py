import pytest
from django.urls import reverse

from members.models import Role
from referrals.models import Referral, ReferralEvent
from tests.referrals.factories import make_referral


def test_round_trip_through_the_views(client, make_user, mfa_user, demo_states):
    ee, lv, lt = make_user(Role.NCP, "EE"), make_user(Role.NCP, "LV"), make_user(Role.NCP, "LT")
    lv_alt = make_user(Role.NCP, "LV")
    for user in (ee, lv, lt, lv_alt):
        mfa_user(user)
    referral = make_referral(ee, demo_states["LV"])
    client.force_login(ee)
    assert client.get(referral.get_absolute_url()).status_code == 200
    response = client.post(reverse("referrals:action", args=[referral.pk, "send"]), {})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "sent", [str(m) for m in response.wsgi_request._messages]
    client.force_login(lv)
    assert referral.reference in client.get(reverse("referrals:inbox")).content.decode()
    steps = [
        ("acknowledge", {"acknowledge-receiving_contact": lv.pk, "acknowledge-receiving_alternate": lv_alt.pk}),
        (
            "accept",
            {
                "accept-met_by": "Social worker",
                "accept-meeting_place": "Riga airport",
                "accept-meeting_time": "2026-12-01T10:00",
            },
        ),
        ("complete", {"complete-arrived_on": "2026-12-01"}),
    ]
    for action, data in steps:
        client.post(reverse("referrals:action", args=[referral.pk, action]), data)
        referral.refresh_from_db()
    assert referral.status == "completed"
    response = client.post(reverse("referrals:message_post", args=[referral.pk]), {"body": "Arrived safely"})
    assert response.status_code == 302
    client.force_login(lt)
    assert client.get(referral.get_absolute_url()).status_code == 404
    client.force_login(ee)
    page = client.get(referral.get_absolute_url()).content.decode()
    assert "Arrived safely" in page and "Riga airport" in page
    assert ReferralEvent.objects.filter(referral=referral).count() == 4
    assert client.get(reverse("referrals:print", args=[referral.pk])).status_code == 200
    assert Referral.objects.get().status == "completed"


def test_withdrawing_the_consent_on_the_case_ends_its_referrals_and_access(client, make_user, mfa_user, demo_states):
    from cases.services import consent_withdraw
    from referrals.models import ReferralStatus

    ee, lv = make_user(Role.NCP, "EE"), make_user(Role.NCP, "LV")
    mfa_user(lv)
    referral = make_referral(ee, demo_states["LV"], send=True)
    client.force_login(lv)
    assert client.get(referral.get_absolute_url()).status_code == 200
    consent_withdraw(consent=referral.consent, by=ee, reason="Changed her mind")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CONSENT_WITHDRAWN
    assert referral.receiving_access_revoked_at is not None
    response = client.get(referral.get_absolute_url())
    assert (response.status_code, response.url) == (302, reverse("referrals:inbox"))
    assert set(referral.events.values_list("kind", flat=True)) == {"sent", "consent_withdrawn", "access_revoked"}


@pytest.mark.postgres
def test_referral_events_cannot_be_changed_even_in_bulk(make_user, demo_states):
    from django.db import DatabaseError, transaction

    referral = make_referral(make_user(Role.NCP, "EE"), demo_states["LV"], send=True)
    for attempt in (
        lambda: ReferralEvent.objects.filter(referral=referral).update(kind="closed"),
        lambda: ReferralEvent.objects.filter(referral=referral)._raw_delete(ReferralEvent.objects.db),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    assert list(ReferralEvent.objects.filter(referral=referral).values_list("kind", flat=True)) == ["sent"]


def test_declined_referral_loses_receiving_access_after_the_access_period(make_user, demo_states, settings):
    from datetime import timedelta

    from django.utils import timezone

    from referrals import services

    ee, lv = make_user(Role.NCP, "EE"), make_user(Role.NCP, "LV")
    referral = make_referral(ee, demo_states["LV"], send=True)
    services.referral_transition(referral=referral, action="decline", by=lv, data={"reason": "No place"})
    later = timezone.now() + timedelta(days=settings.THB_REFERRAL_ACCESS_DAYS + 1)
    assert services.referrals_expire_access(now=later) == {"revoked": 1}
    assert not lv.has_perm("referrals.view_referral", Referral.objects.get(pk=referral.pk))
