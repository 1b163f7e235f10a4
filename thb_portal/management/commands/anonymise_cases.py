from django.core.management.base import BaseCommand

from cases.services import cases_anonymise_closed
from thb_portal.services import periodic_job_run


class Command(BaseCommand):
    help = "Anonymise cases closed longer than THB_CASE_RETENTION_DAYS (the same job beat runs). Logged."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list what would be anonymised, change nothing")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            result = cases_anonymise_closed(dry_run=True)
            self.stdout.write(f"{result['due']} case(s) would be anonymised: {', '.join(result['references'])}")
            return
        run = periodic_job_run(name="cases.retention")
        self.stdout.write(self.style.SUCCESS(f"Anonymised {run.result['anonymised']} case(s)."))
