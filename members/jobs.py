"""This app's periodic jobs, registered from its AppConfig.ready() (core.jobs)."""

from core.jobs import PeriodicJob

JOBS = [
    PeriodicJob(
        name="members.access_requests_expire",
        function="members.services.access_requests_expire",
        schedule=15 * 60.0,
        description="Mark access requests past THB_ACCESS_REQUEST_MAX_AGE_HOURS as expired and tell the requester.",
    ),
]
