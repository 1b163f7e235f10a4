"""Stored content goes once the row that pointed to it is gone (after the commit)."""

from django.core.files.storage import Storage
from django.db import transaction


def delete_stored_after_commit(storage: Storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))
