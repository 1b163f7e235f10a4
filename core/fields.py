import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from core.encryption import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]  # stubs' generic field params: str in, str out
    """Text encrypted at rest with the THB_FIELD_ENCRYPTION_KEYS key ring.

    Reading a value no configured key can open raises DecryptionError: ciphertext is
    never handed to a template. Empty values stay empty, so "not recorded" is visible
    without decrypting anything. Such fields cannot be searched or filtered by value.
    """

    def from_db_value(self, value: str | None, expression: object, connection: object) -> str | None:
        if not value:  # None or ""
            return value
        return decrypt_text(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt_text(value)


class EncryptedJSONField(models.TextField):  # type: ignore[type-arg]  # holds any JSON value, not a str
    """A JSON value encrypted at rest with the same key ring (for snapshots and plans)."""

    # What django-stubs reads as the attribute's type on a model: any JSON value, set and got.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: object, connection: object) -> Any:
        if not value:  # None or ""
            return None
        return json.loads(decrypt_text(value))

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return encrypt_text(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True))

    def to_python(self, value: Any) -> Any:
        return value
