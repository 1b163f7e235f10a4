"""This app's periodic jobs, registered from its AppConfig.ready() (core.jobs)."""

from celery.schedules import crontab

from core.jobs import PeriodicJob

JOBS = [
    PeriodicJob(
        name="reporting.reminders",
        function="reporting.services.reminders_send",
        schedule=crontab(hour=7, minute=40),
        description="Remind the states that have not submitted their return 14, 7 and 1 days before the deadline.",
    ),
]
