"""The encrypted identity of a case: saved, revealed with a purpose (audited), re-encrypted with the newest key."""

from typing import Any

from auditlog.models import LogEntry
from django.db import transaction

from cases.models import Case, CaseIdentity, RevealPurpose
from cases.services._audit import log_case_entry
from core.audit import audited_as_by
from core.db import update_fields
from members.models import User


@audited_as_by
@transaction.atomic
def identity_save(*, case: Case, by: User, data: dict[str, Any]) -> CaseIdentity:
    identity, _ = CaseIdentity.objects.get_or_create(case=case)
    changed = [name for name in CaseIdentity.ENCRYPTED_FIELDS if name in data and getattr(identity, name) != data[name]]
    update_fields(identity, {name: data[name] for name in changed}, clean=False)
    if changed:
        # Which fields changed, never their values.
        log_case_entry(case, by=by, action=LogEntry.Action.UPDATE, what="identity changed", fields=changed)
    return identity


@audited_as_by
@transaction.atomic
def identity_reveal(*, case: Case, by: User, purpose: str, note: str = "") -> CaseIdentity | None:
    """Return the identity for display, and record who saw it, when and why."""
    label = RevealPurpose(purpose).label if purpose in RevealPurpose.values else purpose
    log_case_entry(case, by=by, action=LogEntry.Action.ACCESS, what="identity revealed", purpose=label, note=note[:500])
    return CaseIdentity.objects.filter(case=case).first()


def identities_reencrypt(*, batch_size: int = 500) -> int:
    """Rewrite every identity with the newest key; raises DecryptionError on a value no key opens."""
    count, last_pk = 0, 0
    while batch := list(CaseIdentity.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size]):
        with transaction.atomic():
            for identity in batch:
                # Reading decrypts with whichever key fits; saving encrypts with the newest.
                identity.save(update_fields=CaseIdentity.ENCRYPTED_FIELDS)
        count += len(batch)
        last_pk = batch[-1].pk
    return count
