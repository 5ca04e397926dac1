"""The NemLog-in service provider's pysaml2 configuration, built from Django settings.

Settings (environment variables, see .env.example):
    SAML_SP_ENTITY_ID       our entity id (default <SITE_URL>/saml2/metadata/)
    SITE_URL                public base address, e.g. https://jobunivers.aarhus.dk
    SAML_SP_KEY_FILE        PEM private key that signs AuthnRequests and LogoutRequests
    SAML_SP_CERT_FILE       its certificate (published in our metadata)
    SAML_IDP_METADATA_FILE  NemLog-in's metadata, downloaded by the operator (never fetched at run time)
    SAML_ACCEPTED_TIME_DIFF clock skew tolerated, seconds (default 60)
pysaml2 signs and verifies with the xmlsec1 program (Debian package `xmlsec1`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import SPConfig
from saml2.saml import NAMEID_FORMAT_PERSISTENT
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

# OIOSAML 3 attribute names (NemLog-in).
ATTR_SPEC_VERSION = "https://data.gov.dk/model/core/specVersion"
ATTR_LOA = "https://data.gov.dk/concept/core/nsis/loa"
ATTR_CPR = "https://data.gov.dk/model/core/eid/cprNumber"
ATTR_FIRST_NAME = "https://data.gov.dk/model/core/eid/firstName"
ATTR_LAST_NAME = "https://data.gov.dk/model/core/eid/lastName"
SPEC_VERSION = "OIO-SAML-3.0"
LOA_ORDER = {"low": 1, "substantial": 2, "high": 3}


def xmlsec_binary() -> str:
    path = getattr(settings, "SAML_XMLSEC_BINARY", "") or shutil.which("xmlsec1")
    if not path:
        raise ImproperlyConfigured(
            "MitID login needs the xmlsec1 program: install the Debian package 'xmlsec1' "
            "(apt-get install -y xmlsec1) or set SAML_XMLSEC_BINARY."
        )
    return path


def is_configured() -> bool:
    return bool(getattr(settings, "SAML_SP_KEY_FILE", "") and getattr(settings, "SAML_SP_CERT_FILE", "")
                and (getattr(settings, "SAML_IDP_METADATA_FILE", "") or getattr(settings, "SAML_IDP_METADATA", "")))


def site_url() -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")


def sp_entity_id() -> str:
    return getattr(settings, "SAML_SP_ENTITY_ID", "") or f"{site_url()}/saml2/metadata/"


def acs_url() -> str:
    return f"{site_url()}/saml2/acs/"


def sls_url() -> str:
    return f"{site_url()}/saml2/ls/"


def sp_config() -> SPConfig:
    if not is_configured():
        raise ImproperlyConfigured("MitID login is not configured: set SAML_SP_KEY_FILE, SAML_SP_CERT_FILE "
                                   "and SAML_IDP_METADATA_FILE.")
    metadata: dict = {}
    if getattr(settings, "SAML_IDP_METADATA_FILE", ""):
        if not Path(settings.SAML_IDP_METADATA_FILE).is_file():
            raise ImproperlyConfigured(f"SAML_IDP_METADATA_FILE {settings.SAML_IDP_METADATA_FILE} does not exist")
        metadata["local"] = [settings.SAML_IDP_METADATA_FILE]
    else:
        metadata["inline"] = [settings.SAML_IDP_METADATA]
    config = SPConfig()
    config.load({
        "entityid": sp_entity_id(),
        "xmlsec_binary": xmlsec_binary(),
        "key_file": settings.SAML_SP_KEY_FILE,
        "cert_file": settings.SAML_SP_CERT_FILE,
        "encryption_keypairs": [{"key_file": settings.SAML_SP_KEY_FILE, "cert_file": settings.SAML_SP_CERT_FILE}],
        "metadata": metadata,
        # OIOSAML 3 attributes are URIs pysaml2 has no converter for; keep them under their names.
        "allow_unknown_attributes": True,
        "accepted_time_diff": int(getattr(settings, "SAML_ACCEPTED_TIME_DIFF", 60)),
        "signing_algorithm": SIG_RSA_SHA256,
        "digest_algorithm": DIGEST_SHA256,
        "service": {
            "sp": {
                "name": "Jobunivers",
                "endpoints": {
                    "assertion_consumer_service": [(acs_url(), BINDING_HTTP_POST)],
                    "single_logout_service": [(sls_url(), BINDING_HTTP_REDIRECT)],
                },
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "logout_responses_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "want_assertions_or_response_signed": True,
                "allow_unsolicited": False,
                "name_id_format": NAMEID_FORMAT_PERSISTENT,
                "requested_attributes": [
                    {"name": ATTR_SPEC_VERSION, "required": True},
                    {"name": ATTR_LOA, "required": True},
                    {"name": ATTR_CPR, "required": True},
                ],
            }
        },
    })
    return config
