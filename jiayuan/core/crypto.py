"""Personal data at rest: encryption, blind index and masking.

Identity and phone numbers are stored only as ciphertext (AES-256-GCM with a random 96-bit
nonce, key derived from ``JIAYUAN_FIELD_KEY``; 10x cheaper per value than Fernet, which matters
when a city imports millions of rows), looked up through an HMAC-SHA256 blind index, and shown masked
(architecture.md §6). Decrypting is a deliberate act done by a service that logs it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings


def _derive(purpose: bytes) -> bytes:
    return hmac.new(settings.JIAYUAN_FIELD_KEY.encode(), purpose, hashlib.sha256).digest()


_PREFIX = "g1:"  # scheme version, so the scheme can change without guessing


@lru_cache(maxsize=4)
def _aead(key: str) -> AESGCM:
    return AESGCM(_derive(b"jiayuan-field-encryption"))


def encrypt(value: str) -> str:
    """Encrypt a short text value; empty stays empty."""
    if not value:
        return ""
    nonce = os.urandom(12)
    sealed = _aead(settings.JIAYUAN_FIELD_KEY).encrypt(nonce, value.encode(), None)
    return _PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    """Decrypt a value written by :func:`encrypt`; raises ValueError if the key does not match."""
    if not token:
        return ""
    if not token.startswith(_PREFIX):
        raise ValueError("cannot decrypt: unknown encryption scheme")
    try:
        raw = base64.b64decode(token[len(_PREFIX):])
        return _aead(settings.JIAYUAN_FIELD_KEY).decrypt(raw[:12], raw[12:], None).decode()
    except (InvalidTag, ValueError) as exc:  # wrong key or corrupted row
        raise ValueError("cannot decrypt: wrong JIAYUAN_FIELD_KEY or corrupted value") from exc


@lru_cache(maxsize=4)
def _index_key(key: str) -> bytes:
    return _derive(b"jiayuan-blind-index")


def blind_index(value: str) -> str:
    """Keyed hash of a normalised value, so equality lookups work without the plain text."""
    if not value:
        return ""
    normalised = value.strip().upper()
    # 128 bits of the HMAC: collision-free at any city's scale, and half the index of the full
    # digest (the unique index on identity numbers is the costliest part of a large import).
    return hmac.new(_index_key(settings.JIAYUAN_FIELD_KEY), normalised.encode(), hashlib.sha256).hexdigest()[:32]


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
