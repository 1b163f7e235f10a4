"""The big training: made by the service (with its sessions and its trainer's grants), its
participants in bulk, in every status, those who attended with their attendance."""

from datetime import timedelta

from members.models import Role
from thb_portal.bench_data.bulk import copy, next_id
from thb_portal.bench_data.world import BENCH_DOMAIN, BIG_STATE, World
from trainings.models import SEAT_STATUSES, Attendance, Audience, Registration, RegistrationStatus, TrainingStatus
from trainings.services import training_create

BIG_TRAINING_TITLE = "Identifying victims of labour exploitation (benchmark)"
# The participants' statuses, in turn: 14 confirmed, 2 attended, 2 awaiting approval, 1 waiting, 1 cancelled.
REGISTRATION_CYCLE = (
    [RegistrationStatus.CONFIRMED] * 14
    + [RegistrationStatus.ATTENDED] * 2
    + [RegistrationStatus.REGISTERED] * 2
    + [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED]
)


def write_training(world: World) -> None:
    count = world.size.participants
    statuses = [REGISTRATION_CYCLE[index % len(REGISTRATION_CYCLE)] for index in range(count)]
    first_day = world.now - timedelta(days=2)
    training = training_create(
        by=world.users[Role.SECRETARIAT],
        data={
            "title": BIG_TRAINING_TITLE,
            "audience": Audience.LABOUR_INSPECTORS,
            "member_state": world.states[BIG_STATE],
            "city": "Tallinn",
            # Full: the waiting list has people on it.
            "capacity": max(1, sum(status in SEAT_STATUSES for status in statuses)),
            "requires_approval": True,
            "status": TrainingStatus.OPEN,
            "registration_opens": world.now - timedelta(days=60),
            "registration_closes": world.now + timedelta(days=30),
        },
        sessions=[
            (first_day, first_day + timedelta(hours=6), "Day one: indicators"),
            (world.now + timedelta(days=40), world.now + timedelta(days=40, hours=6), "Day two: cases"),
        ],
        trainers=[world.users[Role.TRAINER]],
    )
    past_session = training.sessions.order_by("starts_at")[0]
    first_id = next_id(Registration)
    rows, attendance = [], []
    for index, status in enumerate(statuses):
        registered = world.now - timedelta(days=59) + timedelta(days=55) * (index / count)
        rows.append(
            {
                "id": first_id + index,
                "training_id": training.pk,
                "full_name": f"Participant {index:05d} Bench",
                "email": f"participant{index}@{BENCH_DOMAIN}",
                "organisation": f"Labour Inspectorate {index % 13}",
                "country": "EE",
                "profession": "Labour inspector",
                "gender": "woman" if index % 2 else "man",
                "consent": True,
                "status": status,
                "created_at": registered,
                "status_changed_at": registered,
                "personal_data_deleted_at": None,
            }
        )
        if status == RegistrationStatus.ATTENDED:
            attendance.append(
                {"registration_id": first_id + index, "session_id": past_session.pk}
                | {"marked_at": first_day, "marked_by_id": world.users[Role.TRAINER].pk}
            )
    copy(Registration, rows)
    copy(Attendance, attendance)
