"""This app's periodic jobs, registered from its AppConfig.ready() (core.jobs)."""

from celery.schedules import crontab

from core.jobs import PeriodicJob

JOBS = [
    PeriodicJob(
        name="meetings.registration_reminders",
        function="meetings.services.registration_reminders_send",
        schedule=crontab(hour=7, minute=30),
        description="Remind the states that have not answered a meeting's invitation a few days before it closes.",
    ),
    PeriodicJob(
        name="meetings.overdue_action_points",
        function="meetings.services.action_points_remind_overdue",
        schedule=crontab(hour=7, minute=40),
        description="Remind the owners of open action points that are past their due date (once each).",
    ),
]
