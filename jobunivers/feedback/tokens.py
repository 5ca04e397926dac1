"""The answer link: a signed token naming the question and its random key, valid 14 days.

The token holds no personal data (the question's id and a random key only); the signature (SECRET_KEY,
its own salt) makes it unforgeable, the random key ties it to the one stored question, and the stored
expiry and the signature's timestamp both end it after TOKEN_DAYS.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing

TOKEN_SALT = "jobunivers.feedback.pulse"  # noqa: S105 - a salt that separates these signatures, not a secret
TOKEN_DAYS = 14


@dataclass(frozen=True)
class TokenContent:
    request_id: int
    nonce: str
    expired: bool


def make_token(*, request_id: int, nonce: str) -> str:
    return signing.dumps({"r": request_id, "n": nonce}, salt=TOKEN_SALT)


def read_token(token: str) -> TokenContent | None:
    """The token's content, or None when it is not one of ours (forged, cut, altered)."""
    if not token or len(token) > 300:
        return None
    expired = False
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=datetime.timedelta(days=TOKEN_DAYS))
    except signing.SignatureExpired:
        expired = True
        try:
            data = signing.loads(token, salt=TOKEN_SALT)
        except signing.BadSignature:
            return None
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int) or not isinstance(data.get("n"), str):
        return None
    return TokenContent(request_id=data["r"], nonce=data["n"], expired=expired)
