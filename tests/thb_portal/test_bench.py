"""The benchmark (README, Benchmark): `seed_bench --size S` writes what the services would, and
one page is signed in to, measured and counted by the benchmark's own code (tools/bench/)."""

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.core.management import CommandError, call_command
from django.urls import reverse

from cases.access import cases_for
from cases.models import Case, CaseGroupObjectPermission
from cases.services import case_create
from members.models import MemberState, Role, User
from publications.models import Publication
from referrals.models import Referral, ReferralGroupObjectPermission, ReferralStatus
from referrals.selectors import inbox, outbox
from referrals.services import send_guard_problems
from reporting.checks import has_errors
from reporting.models import CountryProfile, DataCall, ReturnStatus, ValueRevision
from reporting.services import reporting_states, return_problems
from thb_portal.bench_data import (
    BENCH_LOGINS,
    BENCH_TOTP_SECRET,
    BIG_TRAINING_TITLE,
    REPORT_YEARS,
    bench_logins,
    seed_bench,
)
from tools.bench.load import Run, measure, parse_wrk
from tools.bench.pages import PAGES, count_page_queries
from tools.bench.signin import sign_in, totp_code
from tools.bench.tables import PageResult, SizeResult, growth_table, size_table
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
    ncp = User.objects.get(email=BENCH_LOGINS[Role.NCP])
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
    # Its consent covers what it shares, with whom and why: the service would send it.
    assert send_guard_problems(draft) == []
    # The roles that need MFA are enrolled, with the secret the benchmark computes its codes from.
    authenticator = Authenticator.objects.get(user=ncp, type=Authenticator.Type.TOTP)
    assert decrypt(authenticator.data["secret"]) == BENCH_TOTP_SECRET
    assert {login["role"] for login in bench_logins() if login["totp_secret"]} == {Role.NCP, Role.SECRETARIAT}
    # National reporting: a call a year, the older ones validated for every reporting state with
    # no error the checks would refuse (breakdowns add up), the newest open in every status.
    calls = list(DataCall.objects.order_by("year"))
    assert len(calls) == REPORT_YEARS["S"]
    states = reporting_states().count()
    for call in calls[:-1]:
        assert call.returns.filter(status=ReturnStatus.VALIDATED).count() == states
    assert set(calls[-1].returns.values_list("status", flat=True)) == {
        ReturnStatus.NOT_STARTED,
        ReturnStatus.DRAFT,
        ReturnStatus.SUBMITTED,
        ReturnStatus.RETURNED,
    }
    validated = calls[0].returns.first()
    assert not has_errors(return_problems(validated))
    assert validated.values.count() == calls[0].indicator_set.indicators.count()
    assert ValueRevision.objects.filter(value__return_record=validated).count() == validated.values.count()
    assert list(validated.events.order_by("id").values_list("step", flat=True)) == ["start", "submit", "validate"]
    assert CountryProfile.objects.count() == states
    # A database with other data (here the case made above) is refused.
    with pytest.raises(CommandError, match="holds 1,051 cases"):
        call_command("seed_bench", size="S", stdout=StringIO())


def test_a_page_is_signed_in_to_measured_and_counted_the_benchmarks_way(
    live_server, django_db_serialized_rollback, settings
):
    settings.DEBUG = True
    seed_bench("S")
    login = next(login for login in bench_logins() if login["role"] == Role.NCP)
    # The real login pages: the password, then the code of the enrolled authenticator.
    cookie = sign_in(
        live_server.url, email=login["email"], password=login["password"], totp_secret=login["totp_secret"]
    )
    run = measure(live_server.url + "/cases/", cookie=cookie, seconds=0.5, connections=2, own=True)
    assert run.requests >= 2 and run.errors == 0 and 0 < run.p50_ms <= run.p99_ms
    counted = count_page_queries("/cases/", cookie=cookie)
    assert 0 < counted["queries"] <= 30 and counted["writes"] == 0
    # The cold figures: the cache is dropped before the counted request too.
    assert count_page_queries("/trainings/facts-and-figures/", cold=True)["queries"] > 0


def test_wrk_reports_and_authenticator_codes_are_read_as_wrk_and_apps_mean_them():
    report = """Running 3s test @ http://127.0.0.1:8000/
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.02ms  310.11us   9.87ms   91.20%
  Latency Distribution
     50%  950.00us
     75%    1.10ms
     90%    1.30ms
     99%    2.50s{space}
  11950 requests in 3.00s, 2.10MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   3983.21
Transfer/sec:    716.00KB
"""
    # wrk pads a value in seconds with a space at the end of its line.
    run = parse_wrk(report.format(space=" "))
    assert (run.p50_ms, run.p99_ms) == (pytest.approx(0.95), pytest.approx(2500.0))
    assert (run.requests, run.errors) == (11950, 3)
    assert run.requests_per_second == 3983.21
    # RFC 6238's SHA-1 vector (secret "12345678901234567890" at 59 s), to six digits.
    assert totp_code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", at=59) == "287082"


def test_the_tables_end_with_the_worst_page_and_the_worst_growth():
    def result(size: str, p50s: list[float], queries: list[int]) -> SizeResult:
        pages = [
            PageResult(page, runs=[Run("wrk", 10.0, p50, p50 * 2, 30)], queries=count)
            for page, p50, count in zip(PAGES[:2], p50s, queries, strict=True)
        ]
        return SizeResult(size, pages, floors={"wrk": [Run("wrk", 1000.0, 1.0, 2.0, 3000)]})

    small, large = result("S", [80.0, 60.0], [11, 9]), result("L", [2400.0, 120.0], [11, 9])
    assert (
        size_table(large).splitlines()[-1]
        == f"worst p50/floor: 2,400× ({PAGES[0].name}); queries: 11 ({PAGES[0].name})"
    )
    assert growth_table(small, large).splitlines()[-1] == f"worst growth: 30.0× ({PAGES[0].name})"


def test_every_measured_page_is_a_url_of_the_portal():
    for page in PAGES:
        reverse(page.url_name, args=[1] if page.arg else [])
