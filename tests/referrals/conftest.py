import pytest

from members.models import Role


@pytest.fixture
def login(client, mfa_user):
    """login(user) -> the test client, signed in as `user` (enrolled in MFA where the role needs it)."""
    enrolled = set()

    def _login(user):
        if user.role in (Role.NCP, Role.SECRETARIAT) and user.pk not in enrolled:
            mfa_user(user)
            enrolled.add(user.pk)
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def ee_ncp(make_user):
    return make_user(Role.NCP, "EE", full_name="Eeva Sender")


@pytest.fixture
def lv_ncp(make_user):
    return make_user(Role.NCP, "LV", full_name="Liga Receiver")


@pytest.fixture
def lv_alt(make_user):
    return make_user(Role.NCP, "LV", full_name="Janis Alternate")


@pytest.fixture
def lt_ncp(make_user):
    return make_user(Role.NCP, "LT", full_name="Lina Outsider")
