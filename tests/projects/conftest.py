import pytest
from allauth.mfa.utils import is_mfa_enabled

from members.models import Role


@pytest.fixture(autouse=True)
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
    """login(user) -> the test client signed in as `user` (enrolled in MFA where the role needs it)."""

    def _login(user):
        client.logout()
        if user.role in (Role.NCP, Role.SECRETARIAT) and not is_mfa_enabled(user):
            mfa_user(user)
        client.force_login(user)
        return client

    return _login
