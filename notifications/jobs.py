"""This app's periodic jobs, registered from its AppConfig.ready() (core.jobs)."""

from celery.schedules import crontab

from core.jobs import PeriodicJob

JOBS = [
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
        name="notifications.prune",
        function="notifications.services.notifications_prune",
        schedule=crontab(hour=3, minute=15),
        description="Delete read notices older than the notification retention period.",
    ),
]
