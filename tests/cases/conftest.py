import pytest

from members.models import Role


@pytest.fixture
def login(client, mfa_user):
    """login(user) -> the test client, signed in as `user` (enrolled in MFA where the role needs it)."""

    def _login(user):
        if user.role in (Role.NCP, Role.SECRETARIAT):
            mfa_user(user)
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def ee_ncp(make_user):
    return make_user(Role.NCP, "EE")


@pytest.fixture
def ncp_client(login, ee_ncp):
    """The test client, signed in as an Estonian contact point."""
    return login(ee_ncp)
