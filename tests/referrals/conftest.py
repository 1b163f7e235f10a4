import pytest

from members.models import Role


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
