"""Demo trainings: past ones with attendance, upcoming ones with registrations, and the
historical totals that make the published figures match the task force's record."""

from datetime import timedelta

from django.utils import timezone

from members.models import MemberState, Role, User
from trainings import services
from trainings.models import Audience, HistoricalTotal, RegistrationStatus, Training, TrainingFormat, TrainingStatus

HISTORICAL = [
    # audience, year, people trained, trainings held: over 1,000 consular officials,
    # 700 journalists and media students, 500 local actors before the portal.
    (Audience.CONSULAR, 2019, 540, 18),
    (Audience.CONSULAR, 2021, 480, 16),
    (Audience.JOURNALISTS, 2020, 360, 9),
    (Audience.JOURNALISTS, 2022, 345, 8),
    (Audience.LOCAL_ACTORS, 2021, 250, 10),
    (Audience.LOCAL_ACTORS, 2023, 252, 10),
]
TRAININGS = [
    (
        "Human trafficking awareness for consular staff",
        Audience.CONSULAR,
        "EE",
        "Tallinn",
        -60,
        TrainingStatus.COMPLETED,
    ),
    (
        "Reporting on trafficking: a workshop for journalists",
        Audience.JOURNALISTS,
        "LV",
        "Riga",
        -20,
        TrainingStatus.COMPLETED,
    ),
    ("Municipal responses to labour exploitation", Audience.LOCAL_ACTORS, "FI", "Helsinki", 21, TrainingStatus.OPEN),
    ("Identifying victims: online course for consular officials", Audience.CONSULAR, None, "", 40, TrainingStatus.OPEN),
]
# Names as written in the region's alphabets, which the certificates must print as they are.
NAMES = [
    ("Anna Ozola", "anna"),
    ("Peeter Tamm", "peeter"),
    ("Liisa Virtanen", "liisa"),
    ("Žydrūnas Petraitis", "zydrunas"),
    ("Łucja Nowak", "lucja"),
    ("Erik Lund", "erik"),
    ("Sofia Berg", "sofia"),
    ("Олена Шевченко", "olena"),
    ("Ieva Kalniņa", "ieva"),
    ("Mikael Holm", "mikael"),
    ("Ștefan Popescu", "stefan"),
    ("Lars Jensen", "lars"),
]


def seed_demo_trainings() -> None:
    for audience, year, people, held in HISTORICAL:
        if not HistoricalTotal.objects.filter(audience=audience, year=year, member_state=None).exists():
            services.historical_total_save(
                total=HistoricalTotal(
                    audience=audience,
                    year=year,
                    people_trained=people,
                    trainings_held=held,
                    note="Task force record before the portal",
                ),
                by=None,
            )
    trainer = User.objects.filter(email="trainer@example.org", role=Role.TRAINER).first()
    now = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    for index, (title, audience, state, city, days, status) in enumerate(TRAININGS):
        if Training.objects.filter(title=title).exists():
            continue
        start = now + timedelta(days=days)
        training = services.training_create(
            by=None,
            data={
                "title": title,
                "audience": audience,
                "format": TrainingFormat.ONLINE if not city else TrainingFormat.IN_PERSON,
                "member_state": MemberState.objects.filter(code=state).first() if state else None,
                "city": city,
                "capacity": 10,
                "status": TrainingStatus.OPEN,
                "retention_date": (start + timedelta(days=730)).date(),
            },
            sessions=[
                (start, start + timedelta(hours=3)),
                (start + timedelta(days=1), start + timedelta(days=1, hours=3)),
            ],
            trainers=[trainer] if trainer else [],
        )
        for name, mailbox in NAMES:
            email = f"{mailbox}.{index}@example.net"
            services.registration_register(
                training=training,
                data={"full_name": name, "email": email, "organisation": "Demo organisation", "consent": True},
                by=None,
            )
        first = training.sessions.first()
        # Completing needs someone who runs trainings and a session to have attended.
        if status == TrainingStatus.COMPLETED and trainer is not None and first is not None:
            for registration in training.registrations.filter(status=RegistrationStatus.CONFIRMED)[:8]:
                services.attendance_set(registration=registration, session=first, present=True, by=trainer)
            services.training_complete(training=training, by=trainer)
