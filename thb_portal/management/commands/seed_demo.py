from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.demo import DEMO_PASSWORD
from thb_portal.demo import seed_demo


class Command(BaseCommand):
    help = "Load the demo data (idempotent). Refused unless DEBUG is on."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is refused when DEBUG is off: demo accounts share a public password.")
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Every demo login uses the password: {DEMO_PASSWORD}"))
        for email, role in logins:
            self.stdout.write(f"  {email:<34} {role}")
