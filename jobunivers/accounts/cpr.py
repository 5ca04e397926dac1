"""CPR numbers at rest: a keyed hash to find a citizen, Fernet encryption to read it back.

Keys come from settings.CPR_HASH_KEY and settings.CPR_ENCRYPTION_KEY (production
requires both; development derives them from SECRET_KEY). The hash key must
never change (look-ups would fail); the encryption key may be rotated by
listing the old key after the new one (MultiFernet).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

CPR_RE = re.compile(r"^\d{10}$")


def normalise_cpr(value: str) -> str | None:
    """ddmmyyxxxx without the dash, or None when it is not a plausible CPR number."""
    digits = (value or "").replace("-", "").strip()
    if not CPR_RE.match(digits):
        return None
    day, month = int(digits[0:2]), int(digits[2:4])
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return digits


def _derived(purpose: str) -> bytes:
    return hashlib.sha256(f"jobunivers:{purpose}:{settings.SECRET_KEY}".encode()).digest()


def _hash_key() -> bytes:
    key = getattr(settings, "CPR_HASH_KEY", "")
    return key.encode() if key else _derived("cpr-hash")


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k) for k in _encryption_keys()])


def cpr_hash(cpr: str) -> str:
    return hmac.new(_hash_key(), cpr.encode(), hashlib.sha256).hexdigest()


def encrypt_cpr(cpr: str) -> bytes:
    return _fernet().encrypt(cpr.encode())


def decrypt_cpr(token: bytes) -> str:
    return _fernet().decrypt(bytes(token)).decode()


def key_fingerprint(key: bytes | str) -> str:
    """A short, one-way name for a key: tells two keys apart in a backup's manifest without revealing either."""
    raw = key.encode() if isinstance(key, str) else key
    return hashlib.sha256(b"jobunivers-key-fingerprint\n" + raw).hexdigest()[:16]


def _encryption_keys() -> list[str]:
    keys = [k.strip() for k in getattr(settings, "CPR_ENCRYPTION_KEY", "").split(",") if k.strip()]
    return keys or [base64.urlsafe_b64encode(_derived("cpr-encryption")).decode()]


def key_fingerprints() -> dict:
    """Fingerprints of the CPR keys in use: the look-up (hash) key and the encryption keys, newest first."""
    return {"cpr_hash_key": key_fingerprint(_hash_key()),
            "cpr_encryption_keys": [key_fingerprint(k) for k in _encryption_keys()]}


def keys_are_derived() -> bool:
    """True when a CPR key comes from SECRET_KEY (development): then SECRET_KEY is the key to keep."""
    return not getattr(settings, "CPR_HASH_KEY", "") or not getattr(settings, "CPR_ENCRYPTION_KEY", "").strip()


def rotate_token(token: bytes | memoryview) -> bytes:
    """The same CPR number encrypted with the newest key (MultiFernet.rotate keeps the original timestamp)."""
    return _fernet().rotate(bytes(token))


def readable_with_newest_key(token: bytes | memoryview) -> bool:
    try:
        Fernet(_encryption_keys()[0]).decrypt(bytes(token))
    except InvalidToken:
        return False
    return True
