"""Staff sign-in over OpenID Connect (Entra ID with group claims, or another provider), per municipality.

The protocol is the citizens' OIDC client's (`contrib.oidc.client`: code flow with PKCE, ID token
checked against the provider's JWKS, issuer, audience, expiry, nonce); only the configuration
(the municipality's issuer and client registration) and the claims we require differ.
"""

from __future__ import annotations

from jobunivers.accounts.contrib.nemlogin import config as nemlogin_config
from jobunivers.accounts.contrib.oidc import client as oidc_client

from . import claims as staff_claims

PROVIDER = "staff_oidc"
SCOPES = "openid profile email"
LoginRefused = oidc_client.LoginRefused


def redirect_uri(slug: str) -> str:
    return f"{nemlogin_config.site_url()}/{slug}/oidc/medarbejder/callback/"


def conf(municipality, idp) -> oidc_client.OidcConfig:
    return oidc_client.OidcConfig(issuer=idp.oidc_issuer, client_id=idp.oidc_client_id,
                                  client_secret=idp.oidc_client_secret, scopes=SCOPES,
                                  redirect_uri=redirect_uri(municipality.slug))


def start(*, municipality, idp) -> tuple[str, dict]:
    return oidc_client.start(municipality_id=municipality.pk, conf=conf(municipality, idp))


def verify(*, municipality, idp, pending: dict | None, params: dict) -> staff_claims.StaffClaims:
    if pending and pending.get("municipality_id") != municipality.pk:
        raise LoginRefused("replayed", "login started in another municipality")
    claims = oidc_client.verified_claims(pending=pending, params=params, conf=conf(municipality, idp))
    default_roles, default_loa = staff_claims.DEFAULT_CLAIMS["oidc"]
    level = staff_claims.level_of(claims.get(idp.assurance_claim or default_loa))
    try:
        staff_claims.require_substantial(level)
    except staff_claims.ClaimsRefused as refusal:
        raise LoginRefused(refusal.reason, refusal.detail) from None
    raw = claims.get(idp.roles_claim or default_roles)
    if isinstance(raw, str):
        raw = [raw]
    roles = frozenset(str(v).strip() for v in (raw or []) if str(v).strip())
    subject = str(claims.get("sub", "")).strip()
    if not subject:
        raise LoginRefused("attributes", "no sub claim")
    return staff_claims.StaffClaims(
        municipality_id=municipality.pk, provider=PROVIDER, subject=subject, roles=roles, assurance_level=level,
        first_name=str(claims.get("given_name", "")), last_name=str(claims.get("family_name", "")),
        email=str(claims.get("email", "")),
    )
