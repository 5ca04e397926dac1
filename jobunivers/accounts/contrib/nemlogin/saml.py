"""The service provider's side of a NemLog-in login: start, answer, logout.

Every check that pysaml2 makes (XML signature, audience, recipient and
destination, time window, InResponseTo) plus ours (one answer per request,
one use per assertion, the NSIS assurance level, the OIOSAML 3 attribute set)
ends either in a signed-in citizen or in a `LoginRefused` with a reason code.
Reason codes are safe to log: they never contain personal data.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, sigver
from saml2 import response as saml_response
from saml2 import validate as saml_validate
from saml2.client import Saml2Client
from saml2.xmldsig import SIG_RSA_SHA256

from jobunivers.accounts.cpr import normalise_cpr
from jobunivers.accounts.models import SamlRequest, SeenAssertion

from . import config

logger = logging.getLogger("jobunivers.accounts.nemlogin")

PROVIDER = "nemlogin"
REQUEST_LIFETIME = timedelta(minutes=15)


class LoginRefused(Exception):
    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason
        self.detail = detail  # technical, no personal data; for the log only
        super().__init__(reason)


@dataclass(frozen=True)
class VerifiedLogin:
    municipality_id: int
    next_url: str
    cpr: str
    assurance_level: str
    first_name: str
    last_name: str
    name_id: str
    session_index: str


def client() -> Saml2Client:
    return Saml2Client(config=config.sp_config())


def binding_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_login(*, municipality_id: int, required_level: str, next_url: str = "",
                saml: Saml2Client | None = None, provider: str = PROVIDER) -> tuple[str, str]:
    """(redirect URL to the IdP with a signed AuthnRequest, browser binding token for a cookie).

    `saml` and `provider` let another service provider (staff sign-in, accounts/contrib/staffsso)
    use the same request bookkeeping with its own configuration."""
    saml = saml or client()
    idps = list(saml.metadata.identity_providers())
    if len(idps) != 1:
        raise LoginRefused("configuration", f"expected one identity provider in metadata, found {len(idps)}")
    request_id, info = saml.prepare_for_authenticate(
        entityid=idps[0], binding=BINDING_HTTP_REDIRECT, sign=True, sigalg=SIG_RSA_SHA256,
        relay_state="", requested_authn_context=None,
    )
    token = secrets.token_urlsafe(32)
    SamlRequest.objects.create(request_id=request_id, provider=provider, municipality_id=municipality_id,
                               browser_binding=binding_hash(token), next_url=next_url[:300])
    location = dict(info["headers"])["Location"]
    return location, token


class _Outstanding(Mapping):
    """The requests this browser may answer: looked up in the database, never trusted from the message."""

    def __init__(self, binding: str | None, provider: str = PROVIDER):
        since = timezone.now() - REQUEST_LIFETIME
        queryset = SamlRequest.objects.filter(provider=provider, consumed_at__isnull=True, created_at__gte=since)
        if binding is not None:
            queryset = queryset.filter(browser_binding=binding)
        self._requests = {r.request_id: r for r in queryset[:50]}

    def __getitem__(self, key):
        return self._requests[key].next_url or "/"

    def __iter__(self):
        return iter(self._requests)

    def __len__(self):
        return len(self._requests)

    def request(self, key) -> SamlRequest:
        return self._requests[key]


def _first(ava: dict, name: str) -> str:
    values = ava.get(name) or []
    return str(values[0]).strip() if values else ""


def validate_answer(*, saml: Saml2Client, provider: str, entity_id: str, saml_response_b64: str,
                    binding_token: str | None):
    """The protocol checks every SAML sign-in shares: pysaml2's (signature, time window, destination,
    InResponseTo) and ours (a request this browser started, the audience names us).

    Returns (pysaml2's AuthnResponse, the pending SamlRequest); nothing is consumed yet."""
    if not saml_response_b64:
        raise LoginRefused("invalid", "no SAMLResponse")
    outstanding = _Outstanding(binding_hash(binding_token) if binding_token else None, provider)
    try:
        authn = saml.parse_authn_request_response(saml_response_b64, BINDING_HTTP_POST, outstanding=outstanding)
    except saml_response.UnsolicitedResponse as error:
        raise LoginRefused("replayed", type(error).__name__) from None
    except (sigver.SignatureError, saml_response.IncorrectlySigned, sigver.MissingKey,
            sigver.CertificateError) as error:
        raise LoginRefused("signature", type(error).__name__) from None
    except (saml_validate.ResponseLifetimeExceed, saml_validate.ToEarly) as error:
        raise LoginRefused("expired", type(error).__name__) from None
    except saml_response.StatusError as error:
        raise LoginRefused("cancelled", type(error).__name__) from None
    except Exception as error:  # noqa: BLE001 - pysaml2 raises many kinds; all are refusals
        raise LoginRefused(_classify(error), type(error).__name__) from None
    if authn is None:
        raise LoginRefused("invalid", "response could not be parsed")
    response = getattr(authn, "response", None)
    if (not authn.assertion and response is not None and response.destination
            and response.destination not in (getattr(authn, "return_addrs", None) or [])):
        # pysaml2 drops the assertion of an answer addressed to another assertion consumer.
        raise LoginRefused("audience", "destination is not our assertion consumer")
    if not authn.assertion or not getattr(authn.assertion, "signature", None) and not authn.response.signature:
        raise LoginRefused("signature", "unsigned assertion")
    request_id = authn.in_response_to
    if request_id not in outstanding:
        raise LoginRefused("replayed", "answer to an unknown request")
    pending = outstanding.request(request_id)
    audiences = {a.text for c in [authn.assertion.conditions] if c for r in c.audience_restriction
                 for a in r.audience}
    if entity_id not in audiences:
        raise LoginRefused("audience", "audience does not name us")
    return authn, pending


def consume(*, authn, pending: SamlRequest) -> str:
    """Mark the request answered and the assertion used, once; returns the IdP's session index."""
    assertion_id = authn.assertion.id
    not_after = authn.not_on_or_after
    valid_until = (datetime.fromtimestamp(not_after, tz=UTC) if not_after
                   else timezone.now() + timedelta(hours=1))
    try:
        with transaction.atomic():
            consumed = SamlRequest.objects.filter(pk=pending.pk, consumed_at__isnull=True).update(
                consumed_at=timezone.now())
            if consumed != 1:
                raise LoginRefused("replayed", "request already answered")
            SeenAssertion.objects.create(assertion_id=assertion_id, not_on_or_after=valid_until)
    except IntegrityError:
        raise LoginRefused("replayed", "assertion already used") from None
    if authn.assertion.authn_statement:
        return authn.assertion.authn_statement[0].session_index or ""
    return ""


def verify_response(*, saml_response_b64: str, binding_token: str | None, required_level_for) -> VerifiedLogin:
    """Validate an answer from the IdP. `required_level_for(municipality_id)` gives the minimum level."""
    authn, pending = validate_answer(saml=client(), provider=PROVIDER, entity_id=config.sp_entity_id(),
                                     saml_response_b64=saml_response_b64, binding_token=binding_token)
    ava = authn.ava or {}
    if _first(ava, config.ATTR_SPEC_VERSION) != config.SPEC_VERSION or not _first(ava, config.ATTR_CPR):
        raise LoginRefused("attributes", "not the OIOSAML 3 attribute set")
    if normalise_cpr(_first(ava, config.ATTR_CPR)) is None:
        raise LoginRefused("attributes", "CPR attribute is not a CPR number")
    level = _first(ava, config.ATTR_LOA).lower()
    if level not in config.LOA_ORDER:
        raise LoginRefused("attributes", "unknown assurance level value")
    required = required_level_for(pending.municipality_id)
    if config.LOA_ORDER[level] < config.LOA_ORDER.get(required, 2):
        raise LoginRefused("assurance", f"level {level} below {required}")
    session_index = consume(authn=authn, pending=pending)
    return VerifiedLogin(
        municipality_id=pending.municipality_id, next_url=pending.next_url, cpr=_first(ava, config.ATTR_CPR),
        assurance_level=level, first_name=_first(ava, config.ATTR_FIRST_NAME),
        last_name=_first(ava, config.ATTR_LAST_NAME), name_id=str(authn.name_id), session_index=session_index,
    )


def _classify(error: Exception) -> str:
    text = str(error).lower()
    if "audience" in text or "condition" in text:
        return "audience"
    if "signature" in text or "signed" in text:
        return "signature"
    if "expired" in text or "too old" in text or "not_on_or_after" in text or "lifetime" in text:
        return "expired"
    if "destination" in text or "recipient" in text:
        return "audience"
    return "invalid"


def purge_expired() -> int:
    """Forget answered or abandoned requests and expired assertion ids (scheduled)."""
    now = timezone.now()
    count = SeenAssertion.objects.filter(not_on_or_after__lt=now - timedelta(hours=1)).delete()[0]
    count += SamlRequest.objects.filter(created_at__lt=now - timedelta(days=1)).delete()[0]
    return count
