"""Periodic jobs: one registry feeds Celery beat, the `run_job` command and the JobRun log.

Each job is a function taking keyword `now` and returning a small dict of counts.
Apps add their jobs here (overdue referrals, follow-up and training reminders,
retention clean-ups) as they are built. This module must not import models: the
settings read it to build the beat schedule.
"""

from dataclasses import dataclass

from celery.schedules import crontab


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    function: str  # dotted path
    schedule: object  # seconds, or a celery crontab
    description: str


PERIODIC_JOBS = {
    job.name: job
    for job in [
        PeriodicJob(
            name="notifications.relay",
            function="notifications.services.outbox_relay",
            schedule=60.0,
            description="Hand pending emails and announcement fan-outs to Celery (the outbox relay).",
        ),
        PeriodicJob(
            name="notifications.daily_digest",
            function="notifications.services.daily_digests_send",
            schedule=crontab(hour=6, minute=30),
            description="Send each user one email with the day's notices they chose to get as a digest.",
        ),
        PeriodicJob(
            name="referrals.overdue",
            function="referrals.services.referrals_mark_overdue",
            schedule=15 * 60.0,
            description="Mark sent referrals past their acknowledgement deadline as overdue and tell both sides.",
        ),
        PeriodicJob(
            name="referrals.follow_up",
            function="referrals.services.referrals_follow_up_reminders",
            schedule=crontab(hour=7, minute=0),
            description="Remind sending states to follow up completed referrals (3, 6, 12 months).",
        ),
        PeriodicJob(
            name="referrals.access_expiry",
            function="referrals.services.referrals_expire_access",
            schedule=crontab(hour=2, minute=45),
            description="End the receiving state's access to closed referrals after the access period.",
        ),
        PeriodicJob(
            name="cases.retention",
            function="cases.services.cases_anonymise_closed",
            schedule=crontab(hour=2, minute=30),
            description="Anonymise cases closed longer than THB_CASE_RETENTION_DAYS.",
        ),
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
        PeriodicJob(
            name="members.access_requests_expire",
            function="members.services.access_requests_expire",
            schedule=15 * 60.0,
            description="Mark access requests past THB_ACCESS_REQUEST_MAX_AGE_HOURS as expired and tell the requester.",
        ),
        PeriodicJob(
            name="notifications.prune",
            function="notifications.services.notifications_prune",
            schedule=crontab(hour=3, minute=15),
            description="Delete read notices older than the notification retention period.",
        ),
    ]
}


def beat_schedule() -> dict:
    return {
        job.name: {"task": "thb_portal.tasks.run_periodic_job_task", "schedule": job.schedule, "args": [job.name]}
        for job in PERIODIC_JOBS.values()
    }
