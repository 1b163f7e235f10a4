import pytest
from django.urls import reverse

from members.models import Role

# The public site, shown to everyone.
PUBLIC = ["Library", "Projects", "Mandates", "Facts and figures", "Regional figures"]
# Signed in, related entries are menus: (menu label, [its entries]).
PUBLIC_MENU = ("Public site", PUBLIC)
DIRECTORIES = ("Directories", ["Experts", "Contact points"])
EXPERT_GROUP = ("Expert group", ["Meetings", "Consultations", "Discussions", "National reporting"])
# Observers are in the expert group but report for no state.
OBSERVERS_GROUP = ("Expert group", ["Meetings", "Consultations", "Discussions"])

EXPECTED_MAIN_NAVIGATION = {
    None: ["Home", *PUBLIC],  # a visitor: few links, no menus
    "": ["Dashboard", PUBLIC_MENU],  # an account without a role (for example a fresh superuser)
    Role.SECRETARIAT: [
        "Dashboard",
        ("Statistics", ["Case statistics", "Referral statistics"]),
        EXPERT_GROUP,
        "Trainings",
        DIRECTORIES,
        PUBLIC_MENU,
        "Administration",
    ],
    Role.NCP: [
        "Dashboard",
        "Cases",
        "Referrals",
        EXPERT_GROUP,
        DIRECTORIES,
        PUBLIC_MENU,
    ],
    Role.NATIONAL_REPRESENTATIVE: [
        "Dashboard",
        EXPERT_GROUP,
        DIRECTORIES,
        PUBLIC_MENU,
    ],
    Role.TRAINER: ["Dashboard", "Trainings", DIRECTORIES, PUBLIC_MENU],
    Role.OBSERVER: ["Dashboard", OBSERVERS_GROUP, DIRECTORIES, PUBLIC_MENU],
}


def _shape(entries) -> list:
    return [
        (entry.label, [item.label for item in entry.items]) if hasattr(entry, "items") else entry.label
        for entry in entries
    ]


def _flat(expected) -> set[str]:
    labels = set()
    for entry in expected:
        labels |= set(entry[1]) if isinstance(entry, tuple) else {entry}
    return labels


@pytest.mark.parametrize("role", list(EXPECTED_MAIN_NAVIGATION))
def test_each_role_sees_exactly_its_navigation(client, make_user, mfa_user, role):
    if role is not None:
        user = make_user(role, "EE" if role in (Role.NCP, Role.NATIONAL_REPRESENTATIVE) else None)
        mfa_user(user)
        client.force_login(user)
    response = client.get(reverse("dashboard") if role is not None else reverse("home"))
    assert response.status_code == 200
    assert _shape(response.context["navigation"]["main"]) == EXPECTED_MAIN_NAVIGATION[role]
    html = response.content.decode()
    labels = _flat(EXPECTED_MAIN_NAVIGATION[role])
    for label in labels - {"Home", "Dashboard"}:
        assert f">{label}</a>" in html, label
    all_labels = {"Cases", "Referrals", "Case statistics", "Referral statistics", "Experts", "Contact points"}
    for label in (all_labels | {"Administration"}) - labels:
        assert f">{label}</a>" not in html


def test_the_current_page_is_marked_inside_its_menu(client, make_user):
    client.force_login(make_user(Role.OBSERVER))
    html = client.get(reverse("members:directory")).content.decode()
    assert (
        'dropdown-toggle active" href="#" role="button" data-bs-toggle="dropdown" aria-expanded="false">Directories'
        in html
    )
    assert 'class="dropdown-item active" href="/members/directory/" aria-current="page">Experts</a>' in html


ADMIN_PAGES = ["/admin/", "/admin/members/user/", "/admin/members/memberstate/", "/admin/members/organisation/"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_walk_anonymous_then_wrong_roles_then_secretariat(client, users_by_role, mfa_user, url):
    # The admin sends visitors to its login, which hands over to the portal's (allauth) login.
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    for role, user in users_by_role.items():
        mfa_user(user)
        client.force_login(user)
        response = client.get(url, follow=True)
        expected = 200 if role == Role.SECRETARIAT else 403
        assert response.status_code == expected, (role, url)
        client.logout()


def test_dashboard_walk(client, users_by_role, mfa_user):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    for role, user in users_by_role.items():
        mfa_user(user)
        client.force_login(user)
        response = client.get(reverse("dashboard"))
        assert response.status_code == 200
        assert Role(role).label in response.content.decode()


def test_dashboard_shows_a_states_own_contact_points(client, make_user):
    make_user(Role.NCP, "EE", full_name="Mari Tamm", phone="+372 5550")
    make_user(Role.NCP, "LV", full_name="Janis Berzins")
    rep = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    client.force_login(rep)
    content = client.get(reverse("dashboard")).content.decode()
    assert "Contact points of Estonia" in content
    assert "Mari Tamm" in content
    assert "Janis Berzins" not in content


def test_secretariat_dashboard_counts_pending_invitations(client, make_user, mfa_user, demo_states):
    from members.services import user_invite

    secretariat = make_user(Role.SECRETARIAT)
    mfa_user(secretariat)
    user_invite(email="p@example.org", full_name="P", role=Role.OBSERVER, member_state=None, invited_by=secretariat)
    client.force_login(secretariat)
    assert "1 invitation not yet accepted" in client.get(reverse("dashboard")).content.decode()


def test_profile_edit_saves_own_details_only(client, make_user):
    from tests.members.factories import ExpertiseAreaFactory

    area = ExpertiseAreaFactory(name="Child trafficking")
    user = make_user(Role.NATIONAL_REPRESENTATIVE, "EE")
    client.force_login(user)
    response = client.post(
        reverse("members:profile"),
        {
            "full_name": "Kadri Kask",
            "position": "Adviser",
            "phone": "+372 1234",
            "languages": "Estonian, English",
            "expertise": [area.pk],
            "role": Role.SECRETARIAT,  # not a profile field: must be ignored
            "email": "other@example.org",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "Kadri Kask"
    assert list(user.expertise.all()) == [area]
    assert user.role == Role.NATIONAL_REPRESENTATIVE
    assert user.email != "other@example.org"


def test_profile_refuses_an_empty_name_with_a_message(client, make_user):
    user = make_user(Role.OBSERVER)
    client.force_login(user)
    response = client.post(reverse("members:profile"), {"full_name": "", "position": "", "phone": "", "languages": ""})
    assert response.status_code == 400
    assert b"This field is required" in response.content


def test_unknown_page_gets_the_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_server_error_page_renders_without_context(rf):
    from thb_portal.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_home_is_public(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert b"Skip to main content" in response.content
    assert b'<main id="main"' in response.content
