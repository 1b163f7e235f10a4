"""This app's periodic jobs, registered from its AppConfig.ready() (core.jobs)."""

from celery.schedules import crontab

from core.jobs import PeriodicJob

JOBS = [
    PeriodicJob(
        name="consultations.close_due",
        function="consultations.services.consultations_close_due",
        # Every ten minutes: an outcome is due at the deadline, not the next morning.
        schedule=crontab(minute="*/10"),
        description="Close the consultations whose deadline has passed and tell every member the outcome.",
    ),
    PeriodicJob(
        name="consultations.deadline_reminders",
        function="consultations.services.deadline_reminders_send",
        schedule=crontab(hour=7, minute=50),
        description="Remind the states that have not answered a comments procedure or a vote before its deadline.",
    ),
]
