from datetime import timedelta

import factory
from django.utils import timezone

from trainings import services
from trainings.models import Audience, Registration, RegistrationStatus, Training, TrainingStatus


def make_training(*, trainers=(), sessions: int = 2, start_in_days: int = 10, **data) -> Training:
    """A training made through the service, so its trainers get their grants."""
    start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=start_in_days)
    defaults = {
        "title": "Identifying victims at the consulate",
        "audience": Audience.CONSULAR,
        "capacity": 20,
        "status": TrainingStatus.OPEN,
        "city": "Tallinn",
    }
    defaults.update(data)
    session_times = [(start + timedelta(days=n), start + timedelta(days=n, hours=3)) for n in range(sessions)]
    return services.training_create(by=None, data=defaults, sessions=session_times, trainers=trainers)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration written directly, for volume; rules are exercised through the services."""

    class Meta:
        model = Registration

    full_name = factory.Sequence(lambda n: f"Participant {n:05d}")
    email = factory.Sequence(lambda n: f"participant{n}@example.net")
    organisation = "Ministry of Foreign Affairs"
    country = "EE"
    consent = True
    status = RegistrationStatus.CONFIRMED


def participant_data(n: int, **extra) -> dict:
    data = {
        "full_name": f"Person {n}",
        "email": f"person{n}@example.net",
        "organisation": "Consulate",
        "country": "LV",
        "profession": "Consul",
        "gender": "",
        "consent": True,
    }
    data.update(extra)
    return data
