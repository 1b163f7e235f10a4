import pytest
from django.urls import reverse

from members.models import Role
from tests.members.factories import ExpertiseAreaFactory, OrganisationFactory, UserFactory

DIRECTORY_URLS = ["members:directory", "members:ncp_directory"]


@pytest.mark.parametrize("url_name", DIRECTORY_URLS)
def test_anonymous_is_sent_to_login(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("url_name", DIRECTORY_URLS)
def test_user_without_a_role_is_forbidden(client, make_user, url_name):
    client.force_login(make_user(""))
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert b"You cannot open this page" in response.content


@pytest.mark.parametrize("url_name", DIRECTORY_URLS)
@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_directories(client, users_by_role, mfa_user, url_name, role):
    user = users_by_role[role]
    mfa_user(user)
    client.force_login(user)
    assert client.get(reverse(url_name)).status_code == 200


@pytest.fixture
def reader(make_user, client):
    user = make_user(Role.OBSERVER)
    client.force_login(user)
    # The first request of a session records it (allauth usersessions); measure after that.
    client.get(reverse("dashboard"))
    return user


def test_directory_filters_by_state_role_expertise_and_search(client, reader, demo_states):
    labour = ExpertiseAreaFactory(name="Labour exploitation")
    police = OrganisationFactory(name="Politsei- ja Piirivalveamet", member_state=demo_states["EE"])
    estonian = UserFactory(
        role_name=Role.NCP, member_state=demo_states["EE"], full_name="Mari Tamm", organisation=police
    )
    estonian.expertise.add(labour)
    UserFactory(role_name=Role.NCP, member_state=demo_states["LV"], full_name="Janis Berzins")
    UserFactory(role_name=Role.NATIONAL_REPRESENTATIVE, member_state=demo_states["EE"], full_name="Kadri Kask")

    def names(**params):
        response = client.get(reverse("members:directory"), params)
        assert response.status_code == 200
        return [u.full_name for u in response.context["page"].object_list]

    assert names(member_state=demo_states["EE"].pk) == ["Kadri Kask", "Mari Tamm"]
    assert names(role=Role.NCP) == ["Janis Berzins", "Mari Tamm"]
    assert names(expertise=labour.pk) == ["Mari Tamm"]
    assert names(q="politsei") == ["Mari Tamm"]
    assert names(q="berz") == ["Janis Berzins"]
    assert names(q="nobody-by-this-name") == []
    assert b"No experts match" in client.get(reverse("members:directory"), {"q": "zzz"}).content


def test_directory_ignores_invalid_filters_without_error(client, reader):
    response = client.get(reverse("members:directory"), {"member_state": "not-a-number", "page": "abc"})
    assert response.status_code == 200


def test_directory_htmx_request_gets_only_the_results(client, reader):
    response = client.get(reverse("members:directory"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"expert" in response.content


def test_deactivated_users_are_not_listed(client, reader, demo_states):
    UserFactory(role_name=Role.NCP, member_state=demo_states["EE"], full_name="Gone Person", is_active=False)
    response = client.get(reverse("members:directory"))
    assert b"Gone Person" not in response.content


def test_ncp_directory_lists_contact_points_by_state_with_verification(client, reader, demo_states):
    from django.utils import timezone

    UserFactory(role_name=Role.NCP, member_state=demo_states["EE"], full_name="Mari Tamm", phone="+372 555")
    UserFactory(
        role_name=Role.NCP,
        member_state=demo_states["FI"],
        full_name="Aino Virtanen",
        directory_verified_at=timezone.now(),
    )
    UserFactory(role_name=Role.NATIONAL_REPRESENTATIVE, member_state=demo_states["EE"], full_name="Kadri Kask")
    content = client.get(reverse("members:ncp_directory")).content.decode()
    assert "Mari Tamm" in content and "+372 555" in content and "Aino Virtanen" in content
    assert "Kadri Kask" not in content
    assert content.index("Estonia") < content.index("Finland")
    assert "not verified" in content


def _create_directory_users(count, demo_states):
    areas = [ExpertiseAreaFactory(name=f"Area {n}") for n in range(3)]
    organisation = OrganisationFactory(member_state=demo_states["EE"])
    for n in range(count):
        user = UserFactory(
            role_name=Role.NCP if n % 2 else Role.NATIONAL_REPRESENTATIVE,
            member_state=demo_states["EE"],
            organisation=organisation,
        )
        user.expertise.add(*areas[: n % 3 + 1])


@pytest.mark.parametrize("url_name", DIRECTORY_URLS)
def test_directory_query_count_does_not_grow_with_users(client, reader, demo_states, url_name, assert_constant_queries):
    _create_directory_users(10, demo_states)
    assert_constant_queries(client, reverse(url_name), grow=lambda: _create_directory_users(490, demo_states))
