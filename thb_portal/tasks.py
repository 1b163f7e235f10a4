from celery import shared_task

from thb_portal.services import periodic_job_run


@shared_task
def run_periodic_job_task(name: str) -> dict:
    return periodic_job_run(name=name).result
