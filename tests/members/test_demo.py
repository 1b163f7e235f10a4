"""members' own demo seed: the states, organisations and logins, and nothing of the apps above."""

from cases.models import Case
from members.demo import PARTICIPATING_STATE_CODES, SECRETARIAT_EMAIL, seed_demo_members
from members.models import MemberState, Organisation, Role, User
from notifications.models import Announcement
from projects.models import Project
from trainings.models import Training


def test_the_members_demo_seeds_states_organisations_and_one_login_per_role_twice_alike(db):
    first = seed_demo_members()
    second = seed_demo_members()
    assert first == second
    assert MemberState.objects.count() == 14
    assert User.objects.count() == len(first) == 3 + 3 * len(PARTICIPATING_STATE_CODES)
    assert {role for _, role in first} >= {label for _, label in Role.choices}
    assert Organisation.objects.filter(member_state__code="EE").count() == 3
    secretariat = User.objects.get(email=SECRETARIAT_EMAIL)
    assert secretariat.role == Role.SECRETARIAT and secretariat.is_staff


def test_the_members_demo_leaves_the_other_apps_demo_to_the_shell(db):
    seed_demo_members()
    for model in (Announcement, Case, Project, Training):
        assert not model.objects.exists(), model.__name__
