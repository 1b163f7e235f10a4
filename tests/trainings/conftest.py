import pytest
from django.urls import reverse

from members.models import Role
from tests.trainings.factories import make_training


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, full_name="Tiina Trainer")


@pytest.fixture
def other_trainer(make_user):
    return make_user(Role.TRAINER, full_name="Otto Othertrainer")


@pytest.fixture
def training(trainer):
    # Begun three days ago: attendance and certificates need a session that has started.
    return make_training(trainers=[trainer], capacity=3, start_in_days=-3)


@pytest.fixture
def trainer_client(client, trainer):
    client.force_login(trainer)
    client.get(reverse("dashboard"))  # the first request records the session; measure after it
    return client
