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
    PeriodicJob(
        name="reporting.profile_confirmations",
        function="reporting.profiles.confirmations_request",
        schedule=crontab(hour=7, minute=45, day_of_week=1),
        description="Ask each state whose country profile was not confirmed for a year to confirm it.",
    ),
]
