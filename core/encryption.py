"""The field-encryption key ring (DESIGN.md section 7).

Keys come from THB_FIELD_ENCRYPTION_KEYS, newest first. Encryption always uses the
newest key; decryption tries each. A value no key can open raises DecryptionError:
callers must never fall back to showing ciphertext.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class DecryptionError(Exception):
    pass


@lru_cache(maxsize=4)
def _key_ring(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ValueError("THB_FIELD_ENCRYPTION_KEYS is empty.")
    return MultiFernet([Fernet(key.encode()) for key in keys])


def key_ring() -> MultiFernet:
    # Keyed by the tuple so that changed settings (rotation, tests) take effect.
    return _key_ring(tuple(settings.THB_FIELD_ENCRYPTION_KEYS))


def encrypt_text(plaintext: str) -> str:
    return key_ring().encrypt(plaintext.encode()).decode()


def decrypt_text(ciphertext: str) -> str:
    try:
        return key_ring().decrypt(ciphertext.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("The value cannot be decrypted with the configured keys.") from error


def reencrypt_text(ciphertext: str) -> str:
    """Re-encrypt with the newest key; raises DecryptionError like decrypt_text."""
    try:
        return key_ring().rotate(ciphertext.encode()).decode()
    except InvalidToken as error:
        raise DecryptionError("The value cannot be decrypted with the configured keys.") from error
