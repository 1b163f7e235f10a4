import dataclasses

from django.conf import settings
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from thb_portal.celery import app


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker answers (or, in the embedded default, tasks run in-process)."""

    def run(self):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return
        try:
            with app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=2)
        except Exception as error:  # kombu raises transport-specific errors
            raise ServiceUnavailable("Broker unavailable") from error


@dataclasses.dataclass
class Cache(checks.Cache):
    """The cache takes a probe key and gives it back. In the embedded default the cache is
    the database, which the database check covers; a GET must not write to it."""

    async def run(self):
        if settings.CACHES[self.alias]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
            return
        await super().run()


HEALTH_CHECKS = (
    "health_check.checks.Database",
    "thb_portal.health.Cache",
    "health_check.checks.Storage",
    "thb_portal.health.Broker",
)
