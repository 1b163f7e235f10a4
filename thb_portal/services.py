import logging
from datetime import datetime

from django.utils import timezone
from django.utils.module_loading import import_string

from core.jobs import periodic_jobs
from thb_portal.models import JobRun

logger = logging.getLogger(__name__)


class UnknownJob(ValueError):
    pass


def periodic_job_run(*, name: str, now: datetime | None = None) -> JobRun:
    """Run a registered job and record the run, whether it succeeds or fails."""
    job = periodic_jobs().get(name)
    if job is None:
        raise UnknownJob(f"Unknown job “{name}”. Known jobs: {', '.join(sorted(periodic_jobs()))}.")
    run = JobRun.objects.create(name=name, started_at=timezone.now())
    try:
        result = import_string(job.function)(now=now)
    except Exception as error:
        run.finished_at = timezone.now()
        run.succeeded = False
        run.result = {"error": f"{type(error).__name__}: {error}"}
        run.save(update_fields=["finished_at", "succeeded", "result"])
        logger.exception("Periodic job %s failed", name)
        raise
    run.finished_at = timezone.now()
    run.succeeded = True
    run.result = result or {}
    run.save(update_fields=["finished_at", "succeeded", "result"])
    logger.info("Periodic job %s: %s", name, run.result)
    return run
