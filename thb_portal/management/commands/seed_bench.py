import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from thb_portal.bench_data import BENCH_PASSWORD, BENCH_TOTP_SECRET, SIZES, BenchRefused, bench_logins, seed_bench


class Command(BaseCommand):
    help = (
        "Fill an empty PostgreSQL database with the benchmark's data (README, Benchmark). "
        "A database that holds this size's bench data already only gets its logins refreshed; "
        "any other portal data is refused. Refused unless DEBUG is on, or --force is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=sorted(SIZES), default="S", help="S, M or L (default S).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed although DEBUG is off (the benchmark does so in databases of its own).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Benchmark data is refused when DEBUG is off: its logins share a public password. "
                "Use --force for a database of the benchmark's own."
            )
        started = time.monotonic()
        try:
            done = seed_bench(options["size"])
        except BenchRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(self.style.SUCCESS(f"{done} ({time.monotonic() - started:.0f} s)"))
        self.stdout.write(f"Every benchmark login uses the password {BENCH_PASSWORD}; TOTP secret {BENCH_TOTP_SECRET}.")
        for login in bench_logins():
            self.stdout.write(f"  {login['email']:<34} {login['role']}")
