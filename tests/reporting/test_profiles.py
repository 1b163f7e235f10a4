"""Country profiles: public pages with the structure (edited by the state's members, every
version kept, confirmed yearly), the state's key figures protected as the region's, and
contacts for the expert group's members only; the page costs the same with 3 and 30 years."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.disclosure import HIDDEN
from members.models import MemberState, Role
from notifications.models import Notification
from reporting import profiles
from reporting.models import CountryProfile, CountryProfileRevision
from tests.projects.factories import ProjectFactory
from tests.publications.factories import PublicationFactory
from tests.reporting.test_figures import _validated

STRUCTURE = {"national_coordinator": "Ministry of Justice", "lead_agency": "Social Insurance Board"}


@pytest.fixture
def people(make_user):
    return {
        "secretariat": make_user(Role.SECRETARIAT),
        **{code: make_user(Role.NATIONAL_REPRESENTATIVE, code) for code in ("EE", "LV", "LT")},
        "ee_ncp": make_user(Role.NCP, "EE", full_name="Nora Contact"),
        "trainer": make_user(Role.TRAINER),
    }


def test_the_states_members_edit_the_structure_every_version_is_kept(people, login, demo_states):
    estonia = demo_states["EE"]
    with pytest.raises(ValidationError, match="Only the state's"):
        profiles.profile_save(state=estonia, data=STRUCTURE, by=people["LV"])
    client = login(people["EE"])
    url = reverse("countries:edit", args=["ee"])
    assert client.post(url, {**STRUCTURE, "hotlines": "1234"}).status_code == 302
    assert client.post(url, {**STRUCTURE, "hotlines": "5678"}).status_code == 302
    profile = CountryProfile.objects.get(member_state=estonia)
    assert profile.hotlines == "5678" and profile.confirmed_by == people["EE"]
    assert list(
        CountryProfileRevision.objects.filter(profile=profile).order_by("id").values_list("data__hotlines", flat=True)
    ) == ["1234", "5678"]
    # The edit page shows each version with what it changed from the one before.
    versions = profiles.profile_versions(profile)
    assert [version.changes for version in versions] == [
        [("Hotlines", "1234", "5678")],
        [
            ("National coordinator", "", "Ministry of Justice"),
            ("The referral mechanism's lead agency", "", "Social Insurance Board"),
            ("Hotlines", "", "1234"),
        ],
    ]
    page = client.get(url).content.decode()
    assert page.count('data-testid="profile-history"') == 1 and page.count("<del>1234</del>") == 1
    assert "<ins>5678</ins>" in page
    assert login(people["LV"]).get(url).status_code == 404
    assert login(people["secretariat"]).get(url).status_code == 404


def test_the_public_page_shows_the_structure_and_the_date_of_confirmation(people, client, login, demo_states):
    profiles.profile_save(state=demo_states["EE"], data=STRUCTURE, by=people["ee_ncp"])
    page = client.get(reverse("countries:detail", args=["ee"])).content.decode()
    assert "Ministry of Justice" in page and 'data-testid="country-confirmed"' in page
    assert "Nora Contact" not in page  # contacts are for members
    assert "Nora Contact" in login(people["LT"]).get(reverse("countries:detail", args=["ee"])).content.decode()
    assert "Nora Contact" not in login(people["trainer"]).get(reverse("countries:detail", args=["ee"])).content.decode()
    # Only the reporting states have a page.
    assert client.get(reverse("countries:detail", args=["ua"])).status_code == 404
    assert client.get(reverse("countries:detail", args=["xx"])).status_code == 404
    assert "/countries/ee/" in client.get("/sitemap.xml").content.decode()


def test_the_key_figures_are_protected_like_the_regions(people, client, settings):
    settings.THB_STATISTICS_MIN_CELL = 11
    year = timezone.localdate().year - 1
    _validated(people, year, {"EE": 40, "LV": 3, "LT": 25})
    latvia = client.get(reverse("countries:detail", args=["lv"])).content.decode()
    assert 'data-testid="country-figures"' in latvia and f">{HIDDEN}<" in latvia and ">3<" not in latvia
    # A trend chart per key figure the state reported, as protected as the table.
    estonia = client.get(reverse("countries:detail", args=["ee"])).content.decode()
    for code in ("victimsidentified", "victimspresumed", "traffickersprosecuted", "traffickersconvicted"):
        assert f'data-testid="trend-{code}"' in estonia and f'data-testid="trend-{code}"' in latvia
    chart = latvia[latvia.index('data-testid="trend-victimsidentified"') :]
    assert f">{HIDDEN}<" in chart[: chart.index("</section>")] and ">3<" not in latvia
    facts = client.get(reverse("trainings:facts")).content.decode()
    assert "Victims identified in the region, by year" in facts and str(year) in facts
    # A renamed state keeps its figures: its rows of the kept tables are found by its code.
    MemberState.objects.filter(code="EE").update(name="Republic of Estonia")
    renamed = client.get(reverse("countries:detail", args=["ee"])).content.decode()
    assert "Republic of Estonia" in renamed and 'data-testid="trend-victimsidentified"' in renamed


def test_a_profile_not_confirmed_for_a_year_is_asked_about_once_a_year(people, demo_states):
    profiles.profile_save(state=demo_states["EE"], data=STRUCTURE, by=people["EE"])
    profiles.confirmations_request()
    asked = Notification.objects.filter(kind="reporting_profile_confirm")
    assert not asked.filter(recipient=people["EE"]).exists()  # confirmed today
    assert asked.filter(recipient=people["LV"]).count() == 1  # never filled in
    later = timezone.now() + timedelta(days=400)
    profiles.confirmations_request(now=later)
    profiles.confirmations_request(now=later)
    assert asked.filter(recipient=people["EE"]).count() == 1
    profiles.profile_confirm(state=demo_states["EE"], by=people["ee_ncp"])
    assert CountryProfile.objects.get(member_state=demo_states["EE"]).confirmed_by == people["ee_ncp"]
    with pytest.raises(ValidationError, match="Fill in the profile first"):
        profiles.profile_confirm(state=MemberState.objects.get(code="LV"), by=people["LV"])


def test_the_country_page_costs_the_same_with_3_and_30_years(people, client, assert_constant_queries, demo_states):
    profiles.profile_save(state=demo_states["EE"], data=STRUCTURE, by=people["EE"])
    this_year = timezone.localdate().year
    for n in range(1, 4):
        _validated(people, this_year - n, {"EE": 12 + n, "LV": 2})

    def grow():
        for n in range(4, 31):
            _validated(people, this_year - n, {"EE": 12 + n, "LV": 2})

    assert_constant_queries(
        client, reverse("countries:detail", args=["ee"]), reverse("trainings:facts"), grow=grow, prepare=cache.clear
    )


def test_the_page_lists_the_states_public_projects_and_their_public_publications(client, demo_states):
    project = ProjectFactory(title="Safe Harbour")
    project.partner_states.add(demo_states["EE"], demo_states["LV"])
    hidden = ProjectFactory(title="Internal pilot", visibility="members")
    hidden.partner_states.add(demo_states["EE"])
    PublicationFactory(title="Harbour guidelines", project=project)
    PublicationFactory(title="Pilot notes", project=hidden)
    PublicationFactory(title="Unlinked study")
    estonia = client.get(reverse("countries:detail", args=["ee"])).content.decode()
    assert "Safe Harbour" in estonia and "Harbour guidelines" in estonia and "Pilot notes" in estonia
    assert "Internal pilot" not in estonia and "Unlinked study" not in estonia
    lithuania = client.get(reverse("countries:detail", args=["lt"])).content.decode()
    assert "Safe Harbour" not in lithuania and "None linked." in lithuania
