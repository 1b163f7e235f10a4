"""Case references: <state>-<year>-<sequence>, counted per state and year, allocated
safely when two cases are opened at once."""

import re
import threading

import pytest
from django.db import connection
from django.utils import timezone

from cases import services
from cases.models import Case
from members.models import Role
from tests.cases.factories import make_case


def test_references_count_up_per_state_from_0001(make_user):
    ee_ncp, lv_ncp = make_user(Role.NCP, "EE"), make_user(Role.NCP, "LV")
    year = timezone.localdate().year
    references = [
        make_case(ee_ncp).reference,
        make_case(lv_ncp).reference,
        make_case(ee_ncp).reference,
        make_case(ee_ncp).reference,
        make_case(lv_ncp).reference,
    ]
    assert references == [
        f"EE-{year}-0001",
        f"LV-{year}-0001",
        f"EE-{year}-0002",
        f"EE-{year}-0003",
        f"LV-{year}-0002",
    ]
    assert all(re.fullmatch(r"[A-Z]{2}-\d{4}-\d{4}", reference) for reference in references)


def test_each_year_starts_again_at_0001(make_user):
    ee_ncp = make_user(Role.NCP, "EE")
    year = timezone.localdate().year
    # Last year's cases (made this year, then dated back).
    for case in [make_case(ee_ncp) for _ in range(3)]:
        Case.objects.filter(pk=case.pk).update(year=year - 1, reference=f"EE-{year - 1}-{case.sequence:04d}")
    case = make_case(ee_ncp)
    assert (case.reference, case.year, case.sequence) == (f"EE-{year}-0001", year, 1)


def test_the_sequence_follows_the_highest_not_the_count(make_user):
    # A gap (say, a case removed by hand) is never filled: references stay unique.
    ee_ncp = make_user(Role.NCP, "EE")
    first, second = make_case(ee_ncp), make_case(ee_ncp)
    Case.objects.filter(pk=first.pk).delete()
    assert make_case(ee_ncp).reference.endswith("-0003")
    assert second.reference.endswith("-0002")


@pytest.mark.postgres
def test_two_cases_opened_at_once_in_one_state_get_distinct_references(
    transactional_db, django_db_serialized_rollback, make_user
):
    ncps = [make_user(Role.NCP, "EE"), make_user(Role.NCP, "EE")]
    barrier = threading.Barrier(len(ncps))
    references, errors = [], []

    def open_case(ncp):
        try:
            barrier.wait(timeout=10)
            case = services.case_create(member_state=ncp.member_state, by=ncp, data={"case_worker": ncp})
            references.append(case.reference)
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=open_case, args=(ncp,)) for ncp in ncps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    year = timezone.localdate().year
    assert sorted(references) == [f"EE-{year}-0001", f"EE-{year}-0002"]
    assert Case.objects.filter(member_state__code="EE").count() == 2
