"""The registration window is one rule (Training.registration_refusal): the training's page
says "open" exactly when the service takes a registration, and says why not otherwise."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.trainings.factories import participant_data
from trainings import services
from trainings.models import Training, TrainingStatus

DAY = timedelta(days=1)
WINDOWS = {
    "open, no dates": (TrainingStatus.OPEN, None, None, ""),
    "open, inside the dates": (TrainingStatus.OPEN, -DAY, DAY, ""),
    "planned": (TrainingStatus.PLANNED, None, None, "Registration is not open: the training is “Planned”."),
    "before it opens": (TrainingStatus.OPEN, DAY, 2 * DAY, "Registration opens on "),
    "after it closed": (TrainingStatus.OPEN, -2 * DAY, -DAY, "Registration closed on "),
}


@pytest.mark.parametrize("window", WINDOWS)
def test_the_page_and_the_service_read_the_same_window(trainer_client, training, window):
    status, opens, closes, refusal = WINDOWS[window]
    now = timezone.now()
    Training.objects.filter(pk=training.pk).update(
        status=status,
        registration_opens=now + opens if opens is not None else None,
        registration_closes=now + closes if closes is not None else None,
    )
    training.refresh_from_db()
    said_why = training.registration_refusal()
    assert said_why.startswith(refusal) and bool(said_why) == bool(refusal)
    page = trainer_client.get(reverse("trainings:detail", args=[training.pk])).content.decode()
    said = 'Registration</dt><dd class="col-sm-9">open' in page
    assert said == (not refusal)
    if refusal:
        with pytest.raises(ValidationError, match=re.escape(refusal)):
            services.registration_register(training=training, data=participant_data(1), by=None)
    else:
        assert services.registration_register(training=training, data=participant_data(1), by=None).pk
