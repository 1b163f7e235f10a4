from django.core.management.base import BaseCommand, CommandError

from cases.services import identities_reencrypt
from core.encryption import DecryptionError


class Command(BaseCommand):
    help = (
        "Re-encrypt every case identity with the newest key of THB_FIELD_ENCRYPTION_KEYS. "
        "Run it after putting a new key first; the old key can be removed once it has finished."
    )

    def handle(self, *args, **options):
        try:
            count = identities_reencrypt()
        except DecryptionError as error:
            raise CommandError(f"{error} Keep the old key in THB_FIELD_ENCRYPTION_KEYS until this succeeds.") from error
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {count} identit{'y' if count == 1 else 'ies'}."))
