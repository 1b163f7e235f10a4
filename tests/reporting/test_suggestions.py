"""Suggestions from case files: the state's cases of the reference year by the indicators'
breakdowns (and the referrals it sent), shown to that state's members only, copied on a click."""

import pytest
from django.utils import timezone

from members.models import Role
from reporting.models import Value
from reporting.suggestions import suggestions
from tests.cases.factories import bulk_cases
from tests.referrals.factories import make_referral
from tests.reporting.factories import open_call, return_of


@pytest.fixture
def people(make_user):
    return {
        "secretariat": make_user(Role.SECRETARIAT),
        "ee_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "EE"),
        "ee_ncp": make_user(Role.NCP, "EE"),
        "lv_rep": make_user(Role.NATIONAL_REPRESENTATIVE, "LV"),
    }


def test_the_counts_follow_the_case_files_of_the_state_and_year(demo_states, people):
    year = timezone.localdate().year - 1
    ee = demo_states["EE"]
    bulk_cases(ee, 3, year=year, trafficking_status="actual", gender="woman", age_band="21-23", citizenship="EE")
    bulk_cases(
        ee,
        2,
        year=year,
        trafficking_status="actual",
        gender="man",
        age_band="9-17",
        citizenship="UA",
        forms=("labour", "forced_begging"),
    )
    bulk_cases(ee, 4, year=year, trafficking_status="possible", gender="unknown", citizenship="LV", forms=("sexual",))
    bulk_cases(ee, 5, year=year, trafficking_status="not_a_victim")
    # Other years and other states count nowhere.
    bulk_cases(ee, 7, year=year - 1, trafficking_status="actual")
    bulk_cases(demo_states["LV"], 6, year=year, trafficking_status="actual")
    found = suggestions(state=ee, year=year)
    assert found["victims.identified"] == 5 and found["victims.presumed"] == 4
    assert found["victims.identified.sex.female"] == 3 and found["victims.identified.sex.male"] == 2
    assert found["victims.presumed.sex.other_unknown"] == 4
    assert found["victims.identified.age.adult"] == 3 and found["victims.identified.age.child"] == 2
    assert found["victims.presumed.age.unknown"] == 4
    assert found["victims.identified.citizenship.own"] == 3 and found["victims.identified.citizenship.non_eu"] == 2
    assert found["victims.presumed.citizenship.other_eu"] == 4
    # A case with two forms counts under each.
    assert found["victims.identified.form.labour"] == 5 and found["victims.identified.form.begging"] == 2
    assert found["victims.presumed.form.sexual"] == 4
    assert found["assistance.referred_trm"] == 0


def test_referrals_sent_that_year_count_not_drafts(demo_states, people):
    make_referral(people["ee_ncp"], demo_states["LV"], send=True)
    make_referral(people["ee_ncp"], demo_states["LT"])  # a draft
    found = suggestions(state=demo_states["EE"], year=timezone.localdate().year)
    assert found["assistance.referred_trm"] == 1


def test_only_the_state_sees_them_and_a_click_copies_one_keeping_what_was_typed(demo_states, people, login):
    year = timezone.localdate().year - 1
    bulk_cases(demo_states["EE"], 3, year=year, trafficking_status="actual", gender="woman")
    call = open_call(people["secretariat"], year)
    ee = return_of(call, "EE")
    client = login(people["ee_rep"])
    page = client.get(ee.get_absolute_url()).content.decode()
    assert 'data-testid="suggestion-victims.identified"' in page and "From case files: 3" in page
    assert not Value.objects.filter(return_record=ee).exists()  # shown, not copied
    secretariat_page = login(people["secretariat"]).get(ee.get_absolute_url()).content.decode()
    assert "From case files" not in secretariat_page
    client = login(people["ee_rep"])
    response = client.post(
        ee.get_absolute_url(),
        {"victims.presumed__number": "7", "use_suggestion": "victims.identified.sex.female"},
    )
    assert response.status_code == 302
    saved = dict(Value.objects.filter(return_record=ee).values_list("indicator__code", "number"))
    assert saved == {"victims.presumed": 7, "victims.identified.sex.female": 3}


def test_the_service_takes_a_suggestion_only_for_the_states_own_return_and_known_codes(demo_states, people):
    from django.core.exceptions import ValidationError

    from reporting import services

    year = timezone.localdate().year - 1
    bulk_cases(demo_states["EE"], 2, year=year, trafficking_status="actual")
    ee = return_of(open_call(people["secretariat"], year), "EE")
    with pytest.raises(ValidationError, match="Only the state's"):
        services.return_save(return_record=ee, entries={}, use_suggestion="victims.identified", by=people["lv_rep"])
    with pytest.raises(ValidationError, match="no figure from the case files"):
        services.return_save(return_record=ee, entries={}, use_suggestion="permits.residence", by=people["ee_rep"])
    services.return_save(return_record=ee, entries={}, use_suggestion="victims.identified", by=people["ee_rep"])
    assert Value.objects.get(return_record=ee, indicator__code="victims.identified").number == 2
