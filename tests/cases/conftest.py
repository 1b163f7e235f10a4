import pytest

from members.models import Role


@pytest.fixture
def ee_ncp(make_user):
    return make_user(Role.NCP, "EE")


@pytest.fixture
def ncp_client(login, ee_ncp):
    """The test client, signed in as an Estonian contact point."""
    return login(ee_ncp)
