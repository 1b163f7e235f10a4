"""This app's periodic jobs, registered from its AppConfig.ready() (core.jobs)."""

from celery.schedules import crontab

from core.jobs import PeriodicJob

JOBS = [
    PeriodicJob(
        name="trainings.reminders",
        function="trainings.services.trainings_send_reminders",
        schedule=crontab(hour=8, minute=0),
        description="Remind confirmed participants before a training's first session; relay waiting emails.",
    ),
    PeriodicJob(
        name="trainings.retention",
        function="trainings.services.trainings_delete_personal_data",
        schedule=crontab(hour=2, minute=50),
        description="Delete participants' personal data after their training's retention date (counts kept).",
    ),
]
