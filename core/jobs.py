"""Periodic jobs: one registry feeds Celery beat, the `run_job` command and the JobRun log.

Each app declares its jobs in its own `jobs.py` and registers them from its
AppConfig.ready(), so the kernel knows no app. A job is a function (a dotted path, so
that declaring it imports no models) taking keyword `now` and returning a small dict of
counts. Beat reads the schedule once the apps are ready (thb_portal.celery).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    function: str  # dotted path
    schedule: object  # seconds, or a celery crontab
    description: str


_registry: dict[str, PeriodicJob] = {}


def register_jobs(jobs: Iterable[PeriodicJob]) -> None:
    """Add an app's jobs; a name taken by another job is a programming error."""
    for job in jobs:
        existing = _registry.get(job.name)
        if existing is not None and existing != job:
            raise ValueError(f"Two periodic jobs are named “{job.name}”.")
        _registry[job.name] = job


def periodic_jobs() -> Mapping[str, PeriodicJob]:
    """Every registered job by name (read-only)."""
    return MappingProxyType(_registry)


def beat_schedule() -> dict[str, dict[str, Any]]:
    return {
        job.name: {"task": "thb_portal.tasks.run_periodic_job_task", "schedule": job.schedule, "args": [job.name]}
        for job in _registry.values()
    }
