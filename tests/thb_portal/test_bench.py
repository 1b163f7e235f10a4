"""The benchmark's data: `seed_bench --size S` writes what the services would."""

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management import CommandError, call_command

from cases.access import cases_for
from cases.models import Case, CaseGroupObjectPermission
from cases.services import case_create
from members.models import MemberState, User
from publications.models import Publication
from referrals.models import Referral, ReferralGroupObjectPermission, ReferralStatus
from referrals.selectors import inbox, outbox
from thb_portal.bench_data import BENCH_LOGINS, BENCH_TOTP_SECRET, BIG_TRAINING_TITLE, bench_logins, seed_bench
from trainings.models import Registration

pytestmark = pytest.mark.postgres


def _grants_of(case: Case) -> set[tuple[str, str]]:
    return set(
        CaseGroupObjectPermission.objects.filter(content_object=case).values_list("permission__codename", "group__name")
    )


def test_seed_bench_is_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refused when DEBUG is off"):
        call_command("seed_bench", size="S")
    assert not Case.objects.exists()


def test_seed_bench_s_writes_the_shapes_with_the_grants_the_services_give(db, settings):
    settings.DEBUG = True
    call_command("seed_bench", size="S", stdout=StringIO())
    ncp = User.objects.get(email=BENCH_LOGINS["ncp"])
    # 1,000 cases of the big state, and the 50 of other states behind the referrals it receives.
    assert cases_for(ncp).count() == 1000
    assert Case.objects.count() == 1050
    assert Referral.objects.count() == 100
    assert Publication.objects.filter(search_vector__isnull=False).count() == 50
    assert Registration.objects.filter(training__title=BIG_TRAINING_TITLE).count() == 20
    # Again at the same size: the logins are refreshed, nothing is added.
    assert "logins were refreshed" in seed_bench("S")
    assert Case.objects.count() == 1050
    # A seeded case has exactly the grants case_create gives a new case of the same state.
    seeded = cases_for(ncp).first()
    fresh = case_create(member_state=MemberState.objects.get(code="EE"), by=ncp, data={})
    assert _grants_of(seeded) == _grants_of(fresh) != set()
    # Sent referrals are open to the receiving team, drafts and withdrawn ones are not.
    received = inbox(user=ncp)
    assert received.exists() and outbox(user=ncp).filter(status=ReferralStatus.DRAFT).exists()
    assert not received.filter(status__in=[ReferralStatus.DRAFT, ReferralStatus.WITHDRAWN]).exists()
    assert all(ncp.has_perm("referrals.change_referral", referral) for referral in received)
    draft = Referral.objects.filter(status=ReferralStatus.DRAFT).first()
    assert ReferralGroupObjectPermission.objects.filter(content_object=draft).count() == 2
    # The roles that need MFA are enrolled, with the secret the benchmark computes its codes from.
    authenticator = Authenticator.objects.get(user=ncp, type=Authenticator.Type.TOTP)
    assert decrypt(authenticator.data["secret"]) == BENCH_TOTP_SECRET
    assert {login["role"] for login in bench_logins() if login["totp_secret"]} == {"ncp", "secretariat"}
    # A database with other data (here the case made above) is refused.
    with pytest.raises(CommandError, match="holds 1,051 cases"):
        call_command("seed_bench", size="S", stdout=StringIO())
