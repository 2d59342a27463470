"""Personal data at rest: encryption, blind index and masking.

Identity and phone numbers are stored only as ciphertext (Fernet, key derived from
``JIAYUAN_FIELD_KEY``), looked up through an HMAC-SHA256 blind index, and shown masked
(architecture.md §6). Decrypting is a deliberate act done by a service that logs it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _derive(purpose: bytes) -> bytes:
    return hmac.new(settings.JIAYUAN_FIELD_KEY.encode(), purpose, hashlib.sha256).digest()


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"jiayuan-field-encryption")))


def encrypt(value: str) -> str:
    """Encrypt a short text value; empty stays empty."""
    if not value:
        return ""
    return _fernet(settings.JIAYUAN_FIELD_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """Decrypt a value written by :func:`encrypt`; raises ValueError if the key does not match."""
    if not token:
        return ""
    try:
        return _fernet(settings.JIAYUAN_FIELD_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key or corrupted row
        raise ValueError("cannot decrypt: wrong JIAYUAN_FIELD_KEY or corrupted value") from exc


def blind_index(value: str) -> str:
    """Keyed hash of a normalised value, so equality lookups work without the plain text."""
    if not value:
        return ""
    normalised = value.strip().upper()
    key = _derive(b"jiayuan-blind-index")
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """``520302199001011234`` → ``5203**********1234`` (4 shown, 4 shown)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; landlines keep area code and last 4 digits."""
    if not value:
        return ""
    digits = value.replace("-", "").replace(" ", "")
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    if len(digits) <= 4:
        return "*" * len(digits)
    # landlines show their area code, but only when something is still left to hide
    head = 4 if digits.startswith("0") and len(digits) >= 10 else 0
    return digits[:head] + "*" * (len(digits) - head - 4) + digits[-4:]


def mask_generic(value: str) -> str:
    """Masking used by the audit log for any field registered as sensitive."""
    value = str(value)
    if len(value) >= 15:
        return mask_id_number(value)
    if len(value) >= 7:
        return mask_phone(value)
    return "*" * len(value)
