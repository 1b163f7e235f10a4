import pytest

from members.models import Role


@pytest.fixture
def private_media(settings, tmp_path):
    """Uploaded files go to a fresh folder, so a test can see exactly what was written."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": root}},
    }
    return root


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
