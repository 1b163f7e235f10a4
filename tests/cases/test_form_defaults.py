"""Issue 12 §4: a new case starts from the acting NCP; one box ticks the consent's six points."""

from django.urls import reverse

from cases.forms import ConsentForm
from cases.models import Consent
from members.models import Role
from tests.cases.factories import make_case
from tests.members.factories import OrganisationFactory

CHECKLIST = ConsentForm.CHECKLIST


def test_a_new_case_defaults_to_the_acting_ncps_organisation_and_themselves(client, login, make_user, demo_states):
    shelter = OrganisationFactory(name="Shelter Tallinn", member_state=demo_states["EE"])
    ncp = make_user(Role.NCP, "EE", organisation=shelter)
    login(ncp)
    form = client.get(reverse("cases:create")).context["form"]
    assert form["organisation"].value() == shelter.pk
    assert form["case_worker"].value() == ncp.pk
    # Editing a case shows what it has, not the editor.
    case = make_case(ncp, case_worker=None)
    edit = client.get(reverse("cases:edit", args=[case.pk])).context["form"]
    assert edit["case_worker"].value() is None and edit["organisation"].value() is None


def _consent_data(**extra) -> dict:
    return {
        "given_by": "person",
        "given_on": "2026-11-01",
        "method": "written",
        "purposes": ["referral"],
        "data_categories": ["case_variables"],
        **extra,
    }


def test_the_all_points_box_stands_before_the_six_points_and_is_tied_to_them():
    form = ConsentForm()
    names = list(form.fields)
    assert names.index("all_explained") == names.index(CHECKLIST[0]) - 1
    html = str(form["all_explained"])
    assert 'data-check-all="informed"' in html
    for name in CHECKLIST:
        assert 'data-check-all-member="informed"' in str(form[name])


def test_the_all_points_box_alone_records_all_six_points(client, login, ee_ncp):
    case = make_case(ee_ncp)
    login(ee_ncp)
    response = client.post(reverse("cases:record_add", args=[case.pk, "consent"]), _consent_data(all_explained="on"))
    assert response.status_code == 302
    consent = Consent.objects.get(case=case)
    assert all(getattr(consent, name) for name in CHECKLIST)


def test_a_point_left_unticked_still_refuses_the_consent(ee_ncp):
    ticked = {name: "on" for name in CHECKLIST[:-1]}
    form = ConsentForm(_consent_data(all_explained="on", **ticked))
    assert not form.is_valid()
    assert "Tick each one" in " ".join(form.non_field_errors())


def test_a_guardian_is_recorded_for_every_minor_age_band_and_for_no_other(demo_states):
    from cases.forms import CaseForm
    from cases.models import MINOR_AGE_BANDS, AgeBand

    def guardian_refused(age_band: str) -> bool:
        form = CaseForm(
            {"trafficking_status": "presumed", "gender": "woman", "age_band": age_band, "guardian_appointed": "on"},
            member_state=demo_states["EE"],
        )
        form.is_valid()
        return "guardian_appointed" in form.errors

    assert [band for band in AgeBand.values if not guardian_refused(band)] == list(MINOR_AGE_BANDS)
