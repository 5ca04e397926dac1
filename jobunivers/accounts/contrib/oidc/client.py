"""OpenID Connect relying party for private MitID brokers (authorisation code flow with PKCE).

Settings (environment variables, see .env.example):
    OIDC_ISSUER         the broker's issuer URL (discovery at <issuer>/.well-known/openid-configuration)
    OIDC_CLIENT_ID      our client id
    OIDC_CLIENT_SECRET  our client secret (client_secret_post)
    OIDC_CPR_CLAIM      the claim that carries the CPR number (broker specific)
    OIDC_LOA_CLAIM      the claim with the NSIS assurance level (default "loa"; values low/substantial/high
                        or NSIS URIs ending in Low/Substantial/High)
    OIDC_SCOPES         scopes to ask for (default "openid")
The ID token is verified with the broker's published keys (RS256/ES256 only): signature,
issuer, audience, expiry, issued-at and the nonce of this login.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache
from joserfc import errors as jose_errors
from joserfc import jwt
from joserfc.jwk import KeySet

from jobunivers.accounts.cpr import normalise_cpr

PROVIDER = "oidc"
ALGORITHMS = ["RS256", "ES256"]
LOA_ORDER = {"low": 1, "substantial": 2, "high": 3}
HTTP_TIMEOUT = 10
LOGIN_LIFETIME_SECONDS = 15 * 60


class LoginRefused(Exception):
    def __init__(self, reason: str, detail: str = ""):
        self.reason, self.detail = reason, detail
        super().__init__(reason)


@dataclass(frozen=True)
class VerifiedLogin:
    municipality_id: int
    cpr: str
    assurance_level: str
    first_name: str
    last_name: str


@dataclass(frozen=True)
class OidcConfig:
    """Where and as whom we sign in: from settings for citizens, per municipality for staff."""

    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    redirect_uri: str


def settings_config() -> OidcConfig:
    return OidcConfig(issuer=settings.OIDC_ISSUER, client_id=settings.OIDC_CLIENT_ID,
                      client_secret=getattr(settings, "OIDC_CLIENT_SECRET", ""),
                      scopes=getattr(settings, "OIDC_SCOPES", "openid") or "openid", redirect_uri=redirect_uri())


def is_configured() -> bool:
    return bool(getattr(settings, "OIDC_ISSUER", "") and getattr(settings, "OIDC_CLIENT_ID", ""))


def redirect_uri() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + "/oidc/callback/"


def _get_json(url: str, cache_key: str) -> dict:
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise LoginRefused("configuration", f"{url}: {type(error).__name__}") from None
    cache.set(cache_key, data, 3600)
    return data


def discovery(conf: OidcConfig | None = None) -> dict:
    issuer = (conf or settings_config()).issuer.rstrip("/")
    return _get_json(f"{issuer}/.well-known/openid-configuration", f"oidc:discovery:{issuer}")


def _keys(conf: OidcConfig, *, refresh: bool = False) -> KeySet:
    url = discovery(conf)["jwks_uri"]
    if refresh:
        cache.delete(f"oidc:jwks:{url}")
    return KeySet.import_key_set(cast(Any, _get_json(url, f"oidc:jwks:{url}")))


def start(*, municipality_id: int, conf: OidcConfig | None = None) -> tuple[str, dict]:
    """(authorisation URL, state to keep in the session)."""
    conf = conf or settings_config()
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    pending = {"state": secrets.token_urlsafe(24), "nonce": secrets.token_urlsafe(24), "verifier": verifier,
               "municipality_id": municipality_id, "created": time.time()}
    query = urlencode({
        "response_type": "code", "client_id": conf.client_id, "redirect_uri": conf.redirect_uri,
        "scope": conf.scopes, "state": pending["state"],
        "nonce": pending["nonce"], "code_challenge": challenge, "code_challenge_method": "S256",
    })
    return f"{discovery(conf)['authorization_endpoint']}?{query}", pending


def _loa(value) -> str:
    text = str(value or "").rstrip("/").rsplit("/", 1)[-1].lower()
    return text if text in LOA_ORDER else ""


def verified_claims(*, pending: dict | None, params: dict, conf: OidcConfig | None = None) -> dict:
    """The claims of the ID token this callback leads to, after every protocol check: state (single
    use, this session), code exchange with PKCE, signature (broker's JWKS), issuer, audience, expiry,
    issued-at and nonce. What the claims must contain is the caller's business."""
    conf = conf or settings_config()
    if not pending or time.time() - pending.get("created", 0) > LOGIN_LIFETIME_SECONDS:
        raise LoginRefused("replayed", "no login in progress in this session")
    if not params.get("state") or not secrets.compare_digest(str(params["state"]), pending["state"]):
        raise LoginRefused("replayed", "state does not match")
    if params.get("error"):
        raise LoginRefused("cancelled", "provider returned an error")
    if not params.get("code"):
        raise LoginRefused("invalid", "no code")
    try:
        response = requests.post(discovery(conf)["token_endpoint"], timeout=HTTP_TIMEOUT, data={
            "grant_type": "authorization_code", "code": params["code"], "redirect_uri": conf.redirect_uri,
            "client_id": conf.client_id, "client_secret": conf.client_secret,
            "code_verifier": pending["verifier"],
        })
        response.raise_for_status()
        id_token = response.json()["id_token"]
    except (requests.RequestException, ValueError, KeyError) as error:
        raise LoginRefused("invalid", f"token endpoint: {type(error).__name__}") from None
    try:
        try:
            token = jwt.decode(id_token, _keys(conf), algorithms=ALGORITHMS)
        except (jose_errors.BadSignatureError, ValueError):
            # The broker may have rotated its keys: fetch them once more before refusing.
            token = jwt.decode(id_token, _keys(conf, refresh=True), algorithms=ALGORITHMS)
    except (jose_errors.JoseError, ValueError) as error:
        raise LoginRefused("signature", type(error).__name__) from None
    claims = token.claims
    issuer = discovery(conf).get("issuer", conf.issuer)
    registry = jwt.JWTClaimsRegistry(
        leeway=int(getattr(settings, "SAML_ACCEPTED_TIME_DIFF", 60)),
        iss={"essential": True, "value": issuer}, aud={"essential": True, "value": conf.client_id},
        exp={"essential": True}, iat={"essential": True}, nonce={"essential": True, "value": pending["nonce"]},
    )
    try:
        registry.validate(claims)
    except jose_errors.ExpiredTokenError:
        raise LoginRefused("expired", "id token expired") from None
    except jose_errors.InvalidClaimError as error:
        reason = {"aud": "audience", "iss": "audience", "nonce": "replayed"}.get(getattr(error, "claim", ""), "invalid")
        raise LoginRefused(reason, f"claim {getattr(error, 'claim', '?')}") from None
    except jose_errors.JoseError as error:
        raise LoginRefused("invalid", type(error).__name__) from None
    return dict(claims)


def finish(*, pending: dict | None, params: dict, required_level_for) -> VerifiedLogin:
    claims = verified_claims(pending=pending, params=params)
    cpr = normalise_cpr(str(claims.get(getattr(settings, "OIDC_CPR_CLAIM", "cpr"), "")))
    level = _loa(claims.get(getattr(settings, "OIDC_LOA_CLAIM", "loa") or "loa"))
    if cpr is None or not level:
        raise LoginRefused("attributes", "CPR or assurance level claim missing or unknown")
    required = required_level_for(pending["municipality_id"])  # type: ignore[index]  # checked above
    if LOA_ORDER[level] < LOA_ORDER.get(required, 2):
        raise LoginRefused("assurance", f"level {level} below {required}")
    return VerifiedLogin(municipality_id=pending["municipality_id"], cpr=cpr, assurance_level=level,  # type: ignore[index]
                         first_name=str(claims.get("given_name", "")), last_name=str(claims.get("family_name", "")))
