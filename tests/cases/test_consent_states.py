"""The states a consent can name: receiving states of a referral, so never the EU (a CBSS
member, not a destination)."""

from django.urls import reverse

from cases.forms import ConsentForm
from cases.models import Consent
from tests.cases.factories import make_case


def _consent_data(**extra) -> dict:
    return {
        "given_by": "person",
        "given_on": "2026-11-01",
        "method": "written",
        "purposes": ["referral"],
        "data_categories": ["case_variables"],
        "all_explained": "on",
        **extra,
    }


def test_the_consent_form_offers_the_states_but_not_the_eu(client, login, ee_ncp, demo_states):
    offered = set(ConsentForm().fields["member_states"].queryset.values_list("code", flat=True))
    assert "EU" not in offered and {"LV", "LT", "UA"} <= offered
    case = make_case(ee_ncp)
    login(ee_ncp)
    page = client.get(reverse("cases:record_add", args=[case.pk, "consent"])).content.decode()
    assert f'value="{demo_states["LV"].pk}"' in page
    assert f'value="{demo_states["EU"].pk}"' not in page


def test_a_consent_naming_the_eu_is_refused(client, login, ee_ncp, demo_states):
    case = make_case(ee_ncp)
    login(ee_ncp)
    data = _consent_data(member_states=[demo_states["LV"].pk, demo_states["EU"].pk])
    response = client.post(reverse("cases:record_add", args=[case.pk, "consent"]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["member_states"] == [
        "Choose states from the list: the EU is not a state a referral goes to."
    ]
    assert not Consent.objects.filter(case=case).exists()
