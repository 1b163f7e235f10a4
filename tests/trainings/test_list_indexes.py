"""The participants of a training, and the admin's changelist of everyone, read a page off an
index matching the list's filter and order, tie-breaker included."""

import pytest
from django.contrib import admin
from django.db import connection

from tests.trainings.factories import make_training
from trainings import selectors
from trainings.models import Registration, RegistrationStatus


def _index(name: str) -> list[str]:
    [index] = [index for index in Registration._meta.indexes if index.name == name]
    return list(index.fields)


def _columns(order_by) -> list[str]:
    return [field.replace("pk", "id") for field in order_by]


def test_the_training_indexes_end_in_the_participants_lists_order_and_its_tie_breaker(db):
    training = make_training()
    order = _columns(selectors.registration_list(training=training).query.order_by)
    assert order == ["full_name", "id"]
    assert _index("registration_training_list") == ["training", *order]
    assert _index("registration_training_status") == ["training", "status", *order]


def test_the_admins_order_has_its_index():
    assert _index("registration_name_list") == list(admin.site._registry[Registration].ordering)


@pytest.fixture
def big_training(db):
    """A training of 2,000 participants of four statuses among 6,000 of three others'."""
    statuses = [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.ATTENDED,
    ]
    trainings = [make_training(title=f"Training {n}", capacity=10_000) for n in range(4)]
    Registration.objects.bulk_create(
        Registration(
            training=training,
            full_name=f"Participant {n:05d}",
            email=f"p{n}@example.net",
            consent=True,
            status=statuses[n % len(statuses)],
        )
        for training in trainings
        for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE trainings_registration")
    return trainings[0]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("filters", "index"),
    [({}, "registration_training_list"), ({"status": RegistrationStatus.WAITLISTED}, "registration_training_status")],
)
def test_a_page_of_participants_is_read_off_its_index_without_a_sort(big_training, filters, index):
    order = selectors.registration_list(training=big_training).query.order_by
    plan = Registration.objects.filter(training=big_training, **filters).order_by(*order)[:25].explain()
    assert index in plan and "Sort" not in plan, plan


@pytest.mark.postgres
def test_a_page_of_the_admins_changelist_is_read_off_its_index_without_a_sort(big_training):
    plan = Registration.objects.order_by(*admin.site._registry[Registration].ordering)[:50].explain()
    assert "registration_name_list" in plan and "Sort" not in plan, plan
