"""This app's periodic jobs, registered from its AppConfig.ready() (core.jobs)."""

from celery.schedules import crontab

from core.jobs import PeriodicJob

JOBS = [
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
]
