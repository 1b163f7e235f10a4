"""The participants page counts attendance for the rows it shows only, and its count is bounded."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pagination import BoundedCountPaginator
from tests.trainings.factories import RegistrationFactory, make_training
from trainings.models import Attendance, RegistrationStatus


def test_attendance_is_counted_per_row_of_the_page_not_grouped_over_every_participant(trainer, trainer_client):
    training = make_training(trainers=[trainer])
    session = training.sessions.first()
    registrations = [RegistrationFactory(training=training, status=RegistrationStatus.REGISTERED) for _ in range(3)]
    Attendance.objects.create(registration=registrations[0], session=session)
    with CaptureQueriesContext(connection) as captured:
        response = trainer_client.get(reverse("trainings:detail", args=[training.pk]))
    rows = {registration.pk: registration.sessions_attended for registration in response.context["page"].object_list}
    assert rows == {registrations[0].pk: 1, registrations[1].pk: 0, registrations[2].pk: 0}
    listing = [q["sql"] for q in captured.captured_queries if 'FROM "trainings_registration"' in q["sql"]]
    # The page's rows are not grouped (a GROUP BY over the registrations counts them all first).
    assert not [sql for sql in listing if 'GROUP BY "trainings_registration"."id"' in sql], listing
    assert any("COALESCE((SELECT COUNT" in sql and "LIMIT" in sql for sql in listing), listing


def test_past_the_count_limit_the_page_says_at_least(trainer, trainer_client, monkeypatch):
    monkeypatch.setattr(BoundedCountPaginator, "COUNT_LIMIT", 3)
    training = make_training(trainers=[trainer])
    for _ in range(4):
        RegistrationFactory(training=training, status=RegistrationStatus.REGISTERED)
    response = trainer_client.get(reverse("trainings:detail", args=[training.pk]))
    assert "At least 3 participants" in response.content.decode()
