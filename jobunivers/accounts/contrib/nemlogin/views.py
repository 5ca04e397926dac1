"""HTTP side of the NemLog-in service provider: start, assertion consumer, metadata, logout."""

from __future__ import annotations

import logging

from django.contrib.auth import login, logout
from django.contrib.sessions.models import Session
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_POST
from saml2 import BINDING_HTTP_REDIRECT
from saml2.metadata import create_metadata_string
from saml2.saml import name_id_from_string
from saml2.xmldsig import SIG_RSA_SHA256

from jobunivers.accounts.models import SamlSession
from jobunivers.accounts.services import citizen_sign_in
from jobunivers.core.redirects import is_safe_redirect
from jobunivers.tenancy.routing import municipal_reverse, national_reverse
from jobunivers.tenancy.selectors import get_municipality, settings_for

from . import config, saml

logger = logging.getLogger("jobunivers.accounts.nemlogin")
BINDING_COOKIE = "jobunivers_saml"
SESSION_PROVIDER_KEY = "jobunivers_auth_provider"


def _refused(request, reason: str, detail: str, status: int = 403):
    # The reason code and a technical detail; never attributes, CPR, names or the raw message.
    logger.warning("MitID login refused: reason=%s detail=%s", reason, detail)
    return render(request, "nemlogin/refused.html", {"reason": reason}, status=status)


@require_GET
def start(request):
    if request.municipality is None or not config.is_configured():
        raise Http404
    next_url = request.GET.get("next", "")
    if not is_safe_redirect(request, next_url):
        next_url = ""
    required = settings_for(request.municipality).required_assurance_level
    try:
        location, token = saml.start_login(municipality_id=request.municipality_id, required_level=required,
                                           next_url=next_url)
    except saml.LoginRefused as refusal:
        return _refused(request, refusal.reason, refusal.detail, status=503)
    response = HttpResponseRedirect(location)
    # Binds the answer to this browser. SameSite=None so the IdP's cross-site POST carries it (needs https).
    secure = request.is_secure()
    response.set_cookie(BINDING_COOKIE, token, max_age=int(saml.REQUEST_LIFETIME.total_seconds()), httponly=True,
                        secure=secure, samesite="None" if secure else "Lax", path="/saml2/")
    return response


@sensitive_variables()  # the assertion carries the CPR number: never in an error report
@sensitive_post_parameters("SAMLResponse")
@csrf_exempt  # the IdP posts here; the signed assertion and the one-time request id protect it
@require_POST
def acs(request):
    if not config.is_configured():
        raise Http404
    binding = request.COOKIES.get(BINDING_COOKIE)
    if not binding:
        # Without the cookie we cannot tell that this browser started the login (login CSRF).
        return _refused(request, "replayed", "no browser binding cookie")
    try:
        verified = saml.verify_response(
            saml_response_b64=request.POST.get("SAMLResponse", ""), binding_token=binding,
            required_level_for=lambda mid: settings_for(mid).required_assurance_level,
        )
    except saml.LoginRefused as refusal:
        return _refused(request, refusal.reason, refusal.detail)
    try:
        user = citizen_sign_in(provider=saml.PROVIDER, cpr=verified.cpr, municipality_id=verified.municipality_id,
                               assurance_level=verified.assurance_level, first_name=verified.first_name,
                               last_name=verified.last_name)
    except ValueError:
        return _refused(request, "attributes", "CPR attribute is not a CPR number")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_PROVIDER_KEY] = saml.PROVIDER
    request.session.save()
    SamlSession.objects.create(user=user, provider=saml.PROVIDER, name_id=verified.name_id,
                               session_index=verified.session_index, session_key=request.session.session_key)
    municipality = get_municipality(municipality_id=verified.municipality_id)
    target = (verified.next_url if is_safe_redirect(request, verified.next_url)
              else municipal_reverse(municipality.slug, "accounts:home"))
    response = HttpResponseRedirect(target)
    response.delete_cookie(BINDING_COOKIE, path="/saml2/")
    return response


@require_GET
def metadata(request):
    if not config.is_configured():
        raise Http404
    xml = create_metadata_string(None, config=config.sp_config(), sign=False)
    return HttpResponse(xml, content_type="application/samlmetadata+xml")


@require_POST
def logout_view(request):
    """Single logout: end our session, then ask the IdP to end its session (signed LogoutRequest)."""
    record = None
    if request.user.is_authenticated and request.session.session_key:
        record = SamlSession.objects.filter(user=request.user, session_key=request.session.session_key).first()
    logout(request)
    if record is None or not config.is_configured():
        return HttpResponseRedirect(national_reverse("accounts:landing"))
    client = saml.client()
    idp = list(client.metadata.identity_providers())[0]
    destination = client.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso")[0]["location"]
    request_id, logout_request = client.create_logout_request(
        destination, idp, name_id=name_id_from_string(record.name_id),
        session_indexes=[record.session_index] if record.session_index else None, sign=False,
    )
    info = client.apply_binding(BINDING_HTTP_REDIRECT, str(logout_request), destination, relay_state="",
                                sign=True, sigalg=SIG_RSA_SHA256)
    SamlSession.objects.filter(pk=record.pk).delete()
    return HttpResponseRedirect(dict(info["headers"])["Location"])


def _idp_redirect_signature_valid(client, query: dict) -> bool:
    from saml2.sigver import verify_redirect_signature

    if not query.get("Signature") or not query.get("SigAlg"):
        return False
    for idp in client.metadata.identity_providers():
        for _name, cert in client.metadata.certs(idp, "idpsso", "signing"):
            try:
                if verify_redirect_signature(query, client.sec.sec_backend, cert):
                    return True
            except Exception:  # noqa: BLE001,S112 - a malformed signature is simply not valid
                continue
    return False


@require_GET
def single_logout_service(request):
    """The IdP's answer to our logout, or its own request to end our sessions for a person."""
    if not config.is_configured():
        raise Http404
    client = saml.client()
    if "SAMLResponse" in request.GET:
        try:
            client.parse_logout_request_response(request.GET["SAMLResponse"], BINDING_HTTP_REDIRECT)
        except Exception as error:  # noqa: BLE001
            logger.warning("MitID logout answer refused: %s", type(error).__name__)
        return render(request, "nemlogin/logged_out.html")
    if "SAMLRequest" not in request.GET:
        raise Http404
    # pysaml2 checks redirect signatures on requests only when it acts as an IdP; as an SP we
    # verify the IdP's signature ourselves against the certificates in its metadata.
    if not _idp_redirect_signature_valid(client, request.GET.dict()):
        return _refused(request, "signature", "logout request not signed by the IdP", status=400)
    try:
        parsed = client.parse_logout_request(
            request.GET["SAMLRequest"], BINDING_HTTP_REDIRECT, relay_state=request.GET.get("RelayState"),
            sigalg=request.GET.get("SigAlg"), signature=request.GET.get("Signature"),
        )
    except Exception as error:  # noqa: BLE001
        return _refused(request, "signature", f"logout request: {type(error).__name__}", status=400)
    message = parsed.message
    name_id = str(message.name_id) if message.name_id is not None else ""
    records = SamlSession.objects.filter(provider=saml.PROVIDER, name_id=name_id)
    Session.objects.filter(session_key__in=list(records.values_list("session_key", flat=True))).delete()
    records.delete()
    idp = message.issuer.text
    destination = client.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso")[0]["location"]
    logout_response = client.create_logout_response(message, [BINDING_HTTP_REDIRECT], sign=False)
    info = client.apply_binding(BINDING_HTTP_REDIRECT, str(logout_response), destination,
                                relay_state=request.GET.get("RelayState", ""), sign=True, sigalg=SIG_RSA_SHA256,
                                response=True)
    return HttpResponseRedirect(dict(info["headers"])["Location"])
