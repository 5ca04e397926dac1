"""The staff SAML service provider, one per municipality: KOMBIT Context Handler, Entra ID, AD FS.

The protocol work is NemLog-in's (`contrib.nemlogin.saml`): the same signed AuthnRequest, the
same request bookkeeping in the database, the same checks of the answer and single use of each
request and assertion. What differs is the configuration (the municipality's IdP metadata,
edited on its administration page; our key and certificate are the platform's SAML_SP_KEY_FILE and
SAML_SP_CERT_FILE) and what the assertion must carry (roles, an NSIS level).
"""

from __future__ import annotations

from django.conf import settings
from saml2 import BINDING_HTTP_POST
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from jobunivers.accounts.contrib.nemlogin import config as nemlogin_config
from jobunivers.accounts.contrib.nemlogin import saml as nemlogin_saml

from . import claims as staff_claims

PROVIDER = "staff_saml"
LoginRefused = nemlogin_saml.LoginRefused


def keys_configured() -> bool:
    return bool(getattr(settings, "SAML_SP_KEY_FILE", "") and getattr(settings, "SAML_SP_CERT_FILE", ""))


def entity_id(slug: str) -> str:
    return f"{nemlogin_config.site_url()}/{slug}/saml2/medarbejder/metadata/"


def acs_url(slug: str) -> str:
    return f"{nemlogin_config.site_url()}/{slug}/saml2/medarbejder/acs/"


def sp_config(slug: str, idp_metadata: str = "") -> SPConfig:
    config = SPConfig()
    config.load({
        "entityid": entity_id(slug),
        "xmlsec_binary": nemlogin_config.xmlsec_binary(),
        "key_file": settings.SAML_SP_KEY_FILE,
        "cert_file": settings.SAML_SP_CERT_FILE,
        "encryption_keypairs": [{"key_file": settings.SAML_SP_KEY_FILE, "cert_file": settings.SAML_SP_CERT_FILE}],
        "metadata": {"inline": [idp_metadata]} if idp_metadata else {},
        "allow_unknown_attributes": True,
        "accepted_time_diff": int(getattr(settings, "SAML_ACCEPTED_TIME_DIFF", 60)),
        "signing_algorithm": SIG_RSA_SHA256,
        "digest_algorithm": DIGEST_SHA256,
        "service": {"sp": {
            "name": "Jobunivers (medarbejdere)",
            "endpoints": {"assertion_consumer_service": [(acs_url(slug), BINDING_HTTP_POST)]},
            "authn_requests_signed": True,
            # Entra ID signs the response or the assertion (as set up); either is required.
            "want_assertions_signed": False,
            "want_response_signed": False,
            "want_assertions_or_response_signed": True,
            "allow_unsolicited": False,
            "name_id_format": NAMEID_FORMAT_PERSISTENT,
        }},
    })
    return config


def client(slug: str, idp_metadata: str) -> Saml2Client:
    return Saml2Client(config=sp_config(slug, idp_metadata))


def start(*, municipality, idp, next_url: str = "") -> tuple[str, str]:
    return nemlogin_saml.start_login(municipality_id=municipality.pk, required_level=staff_claims.REQUIRED_LEVEL,
                                     next_url=next_url, saml=client(municipality.slug, idp.saml_metadata),
                                     provider=PROVIDER)


def _values(ava: dict, name: str) -> list[str]:
    return [str(v).strip() for v in (ava.get(name) or []) if str(v).strip()]


def verify(*, municipality, idp, saml_response_b64: str, binding_token: str | None) -> staff_claims.StaffClaims:
    authn, pending = nemlogin_saml.validate_answer(
        saml=client(municipality.slug, idp.saml_metadata), provider=PROVIDER, entity_id=entity_id(municipality.slug),
        saml_response_b64=saml_response_b64, binding_token=binding_token)
    if pending.municipality_id != municipality.pk:
        raise LoginRefused("replayed", "answer to a request started in another municipality")
    ava = authn.ava or {}
    default_roles, default_loa = staff_claims.DEFAULT_CLAIMS[idp.kind]
    level = staff_claims.level_of(staff_claims.first(ava, (idp.assurance_claim or default_loa,)))
    if not level and authn.assertion.authn_statement:
        # The NSIS level may come as the authentication context instead of an attribute.
        context = authn.assertion.authn_statement[0].authn_context
        class_ref = getattr(getattr(context, "authn_context_class_ref", None), "text", "") or ""
        if class_ref.startswith(staff_claims.NSIS_LOA):
            level = staff_claims.level_of(class_ref)
    roles_claim = idp.roles_claim or default_roles
    constraints: dict = {}
    if idp.kind == "kombit":
        roles: set[str] = set()
        for value in _values(ava, roles_claim):
            found, found_constraints = staff_claims.parse_privileges(value)
            roles |= found
            constraints.update(found_constraints)
    else:
        roles = set(_values(ava, roles_claim))
    try:
        staff_claims.require_substantial(level)
    except staff_claims.ClaimsRefused as refusal:
        raise LoginRefused(refusal.reason, refusal.detail) from None
    nemlogin_saml.consume(authn=authn, pending=pending)
    name_id = authn.name_id
    subject = f"{getattr(name_id, 'format', '') or ''}|{getattr(name_id, 'text', '') or ''}"
    if not getattr(name_id, "text", ""):
        raise LoginRefused("attributes", "no NameID")
    return staff_claims.StaffClaims(
        municipality_id=municipality.pk, provider=PROVIDER, subject=subject, roles=frozenset(roles),
        assurance_level=level, first_name=staff_claims.first(ava, staff_claims.FIRST_NAME),
        last_name=staff_claims.first(ava, staff_claims.LAST_NAME), email=staff_claims.first(ava, staff_claims.EMAIL),
        constraints=constraints, next_url=pending.next_url,
    )
