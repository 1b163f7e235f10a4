import pytest
from django.urls import reverse

from members.models import Role
from tests.trainings.factories import RegistrationFactory, make_training
from trainings.models import RegistrationStatus


@pytest.fixture
def walk(training):
    registration = RegistrationFactory(training=training, status=RegistrationStatus.ATTENDED)
    session = training.sessions.first()
    pk = training.pk
    return [
        ("get", reverse("trainings:detail", args=[pk])),
        ("get", reverse("trainings:register", args=[pk])),
        ("get", reverse("trainings:import", args=[pk])),
        ("post", reverse("trainings:import_confirm", args=[pk])),
        ("get", reverse("trainings:attendance", args=[pk])),
        ("post", reverse("trainings:attendance_toggle", args=[pk, registration.pk, session.pk])),
        ("post", reverse("trainings:move", args=[pk, registration.pk])),
        ("get", reverse("trainings:certificate", args=[pk, registration.pk])),
        ("get", reverse("trainings:certificates", args=[pk])),
        ("get", reverse("trainings:export_csv", args=[pk])),
        ("get", reverse("trainings:export_xlsx", args=[pk])),
        ("get", reverse("trainings:settings", args=[pk])),
        ("post", reverse("trainings:settings", args=[pk])),
        ("post", reverse("trainings:session_add", args=[pk])),
        ("post", reverse("trainings:session_remove", args=[pk, training.sessions.last().pk])),
        ("post", reverse("trainings:complete", args=[pk])),
    ]


def test_permission_walk_of_every_training_url(client, walk, trainer, other_trainer, users_by_role, mfa_user):
    # Anonymous: to the login page.
    for method, url in walk:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
    # Another trainer, an NCP and every other role without the grant: 404, as if it did not exist.
    outsiders = [other_trainer] + [users_by_role[r] for r in (Role.NCP, Role.NATIONAL_REPRESENTATIVE, Role.OBSERVER)]
    for user in outsiders:
        mfa_user(user)
        client.force_login(user)
        for method, url in walk:
            assert getattr(client, method)(url).status_code == 404, (user.role, url)
    # The secretariat and the training's own trainer: in. The last two change state (remove a
    # session, complete the training), so only the trainer makes them; an empty form is a 400.
    for user in (users_by_role[Role.SECRETARIAT], trainer):
        mfa_user(user)
        client.force_login(user)
        for method, url in walk[:-2]:
            assert getattr(client, method)(url).status_code in (200, 302, 400), (user.role, url)
    for method, url in walk[-2:]:
        assert getattr(client, method)(url).status_code == 302, url


def test_trainer_a_gets_404_on_trainer_bs_participants(client, trainer, other_trainer):
    theirs = make_training(trainers=[other_trainer], title="Other trainer's")
    RegistrationFactory(training=theirs, full_name="Hidden Person")
    client.force_login(trainer)
    assert client.get(reverse("trainings:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("trainings:export_csv", args=[theirs.pk])).status_code == 404
    assert "Hidden Person" not in client.get(reverse("trainings:list")).content.decode()


def test_the_list_page_is_for_trainers_and_the_secretariat(client, users_by_role, mfa_user, training, trainer):
    assert client.get(reverse("trainings:list")).status_code == 302
    for role, user in users_by_role.items():
        mfa_user(user)
        client.force_login(user)
        expected = 200 if role in (Role.TRAINER, Role.SECRETARIAT) else 403
        assert client.get(reverse("trainings:list")).status_code == expected, role
    client.force_login(trainer)
    assert training.title in client.get(reverse("trainings:list")).content.decode()


def test_secretariat_reassigning_trainers_moves_the_grant(training, trainer, other_trainer, client):
    from trainings.services import training_set_trainers

    training_set_trainers(training=training, trainers=[other_trainer], by=None)
    client.force_login(trainer)
    assert client.get(reverse("trainings:detail", args=[training.pk])).status_code == 404
    client.force_login(other_trainer)
    assert client.get(reverse("trainings:detail", args=[training.pk])).status_code == 200


def test_facts_page_is_public(client, db):
    assert client.get(reverse("trainings:facts")).status_code == 200
