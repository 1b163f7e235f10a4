import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from core.encryption import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with the THB_FIELD_ENCRYPTION_KEYS key ring.

    Reading a value no configured key can open raises DecryptionError: ciphertext is
    never handed to a template. Empty values stay empty, so "not recorded" is visible
    without decrypting anything. Such fields cannot be searched or filtered by value.
    """

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt_text(value)


class EncryptedJSONField(models.TextField):
    """A JSON value encrypted at rest with the same key ring (for snapshots and plans)."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return None
        return json.loads(decrypt_text(value))

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_text(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True))

    def to_python(self, value):
        return value
