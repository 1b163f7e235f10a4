from django.core.management.base import BaseCommand, CommandError

from core.jobs import periodic_jobs
from thb_portal.services import UnknownJob, periodic_job_run


class Command(BaseCommand):
    help = "Run a periodic job now (the same code Celery beat runs). --list shows the jobs."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="the job's name, for example notifications.relay")
        parser.add_argument("--list", action="store_true", help="list the registered jobs")

    def handle(self, *args, name=None, list=False, **options):
        if list or not name:
            for job in periodic_jobs().values():
                self.stdout.write(f"{job.name:<32} {job.description}")
            return
        try:
            run = periodic_job_run(name=name)
        except UnknownJob as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"{name}: {run.result}"))
