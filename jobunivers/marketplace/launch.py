"""Pseudonyms and signed launch links (ADR 0084).

A vendor never learns who a citizen is unless the citizen agreed for that offer. The citizen is named to
the provider by a pseudonym: HMAC-SHA256 over (provider, citizen id) with a key derived from SECRET_KEY, so
it is stable per provider, different between providers (two vendors cannot join their data), and cannot be
turned back into a citizen without our key.

A signed launch sends the citizen to the vendor's address with `?ju_launch=<token>`:
`base64url(JSON payload) "." base64url(HMAC-SHA256(vendor's launch key, payload part))`; the key is
derived from the vendor's salt and SECRET_KEY (`launch_secret`), never stored, and shown to the vendor once. The payload
carries iss, aud (vendor id), offer, municipality (code), sub (pseudonym), iat, exp (LAUNCH_TTL later),
nonce, and `fields`: only the personal data the citizen consented to for that offer. The vendor verifies
the signature and expiry with its secret and refuses a nonce it has seen (replay); `verify_token` is the
reference implementation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.utils.crypto import salted_hmac

LAUNCH_TTL_SECONDS = 300
LAUNCH_QUERY_NAME = "ju_launch"


def pseudonym(*, provider: str, citizen_id: int) -> str:
    """The citizen's stable id towards one provider ("vendor:7", "national", "municipality:3")."""
    return salted_hmac("jobunivers.marketplace.pseudonym", f"{provider}:{citizen_id}",
                       secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()[:32]


def provider_key(offer) -> str:
    if offer.vendor_id:
        return f"vendor:{offer.vendor_id}"
    if offer.owner_municipality_id:
        return f"municipality:{offer.owner_municipality_id}"
    return "national"


def new_secret() -> str:
    """A new random salt (or secret)."""
    return secrets.token_hex(32)


def launch_secret(vendor) -> str:
    """The key the vendor's signed launches are signed with, computed from the vendor's salt and SECRET_KEY
    (never stored; shown to the vendor when they make a new one)."""
    return salted_hmac("jobunivers.marketplace.launch", f"{vendor.pk}:{vendor.launch_salt}",
                       secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_token(payload: dict, *, secret: str) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode("utf-8"))
    signature = hmac.new(secret.encode("ascii"), body.encode("ascii"), hashlib.sha256).digest()
    return f"{body}.{_b64(signature)}"


class TokenInvalid(ValueError):
    pass


def verify_token(token: str, *, secret: str, now: int, seen_nonces: set[str] | None = None) -> dict:
    """What a vendor does with a launch token: check signature, expiry and replay; the payload if good."""
    body, _, signature = (token or "").partition(".")
    try:
        expected = hmac.new(secret.encode("ascii"), body.encode("ascii"), hashlib.sha256).digest()
        if not body or not hmac.compare_digest(expected, _unb64(signature)):
            raise TokenInvalid("signature")
        payload = json.loads(_unb64(body))
    except (ValueError, UnicodeError) as error:
        raise TokenInvalid("signature") from error
    if not isinstance(payload, dict) or int(payload.get("exp", 0)) < now:
        raise TokenInvalid("expired")
    if seen_nonces is not None:
        nonce = str(payload.get("nonce", ""))
        if nonce in seen_nonces:
            raise TokenInvalid("replay")
        seen_nonces.add(nonce)
    return payload


@dataclass(frozen=True)
class Launch:
    url: str
    payload: dict | None  # the signed payload, for a signed launch


def with_token(url: str, token: str) -> str:
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != LAUNCH_QUERY_NAME]
    query.append((LAUNCH_QUERY_NAME, token))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))
