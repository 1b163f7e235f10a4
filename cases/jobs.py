"""This app's periodic jobs, registered from its AppConfig.ready() (core.jobs)."""

from celery.schedules import crontab

from core.jobs import PeriodicJob

JOBS = [
    PeriodicJob(
        name="cases.retention",
        function="cases.services.cases_anonymise_closed",
        schedule=crontab(hour=2, minute=30),
        description="Anonymise cases closed longer than THB_CASE_RETENTION_DAYS.",
    ),
]
