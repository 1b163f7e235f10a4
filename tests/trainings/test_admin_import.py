import tablib

from tests.trainings.factories import make_training
from trainings import services
from trainings.admin import RegistrationResource
from trainings.models import Registration

HEADERS = [
    "id",
    "training",
    "full_name",
    "email",
    "organisation",
    "country",
    "profession",
    "gender",
    "consent",
    "status",
]


def _dataset(training, *people):
    rows = [["", training.pk, name, email, "MFA", "EE", "Consul", "", "1", ""] for name, email in people]
    return tablib.Dataset(*rows, headers=HEADERS)


def test_admin_import_applies_capacity_and_duplicate_rules(db):
    training = make_training(capacity=1, waitlist_enabled=False)
    # The admin's preview (a dry run) shows the error; its confirm step is not offered then.
    result = RegistrationResource().import_data(
        _dataset(training, ("Anna", "anna@example.org"), ("Berit", "berit@example.org")), dry_run=True
    )
    assert result.has_validation_errors()
    messages = " ".join(" ".join(row.error.messages) for row in result.invalid_rows)
    assert "full" in messages
    assert not Registration.objects.filter(training=training).exists()


def test_admin_import_registers_through_the_service(db):
    training = make_training(capacity=1, waitlist_enabled=True)
    result = RegistrationResource().import_data(
        _dataset(training, ("Anna", "anna@example.org"), ("Berit", "berit@example.org")), dry_run=False
    )
    assert not result.has_validation_errors() and not result.has_errors()
    statuses = dict(Registration.objects.filter(training=training).values_list("email", "status"))
    assert statuses["anna@example.org"] != "waitlisted"
    assert statuses["berit@example.org"] == "waitlisted"
    again = RegistrationResource().import_data(_dataset(training, ("Anna", "anna@example.org")), dry_run=False)
    assert again.has_validation_errors()


def test_admin_import_registers_as_the_signed_in_user(make_user, monkeypatch):
    training = make_training(capacity=5)
    secretariat = make_user("secretariat")
    actors = []
    real = services.registration_register

    def spy(**kwargs):
        actors.append(kwargs["by"])
        return real(**kwargs)

    monkeypatch.setattr(services, "registration_register", spy)
    # The admin passes its signed-in user to import_data (import-export's `user`).
    result = RegistrationResource().import_data(
        _dataset(training, ("Anna", "anna@example.org")), dry_run=False, user=secretariat
    )
    assert not result.has_validation_errors() and not result.has_errors()
    assert actors == [secretariat]
