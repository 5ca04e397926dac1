"""HTTP side of staff single sign-on, all under the municipality's prefix: start, SAML answer,
SAML metadata, OIDC callback, and the administrator's configuration page."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from saml2.metadata import create_metadata_string

from jobunivers.core.redirects import is_safe_redirect
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.routing import municipal_reverse

from . import oidc, saml
from .claims import ClaimsRefused, StaffClaims
from .forms import RoleMappingFormSet, StaffIdentityProviderForm
from .selectors import (
    break_glass_accounts,
    break_glass_sign_ins,
    enabled_staff_idp,
    role_mappings,
    staff_idp_for,
)
from .services import staff_sso_configure, staff_sso_sign_in

logger = logging.getLogger("jobunivers.accounts.staffsso")
BINDING_COOKIE = "jobunivers_staff_saml"
OIDC_SESSION_KEY = "jobunivers_staff_oidc_pending"
SESSION_PROVIDER_KEY = "jobunivers_auth_provider"


def _refused(request, reason: str, detail: str, status: int = 403):
    logger.warning("staff sign-in refused: reason=%s detail=%s", reason, detail)
    return render(request, "staffsso/refused.html", {"reason": reason}, status=status)


def _idp_or_404(request):
    idp = enabled_staff_idp(request.municipality_id)
    if idp is None:
        raise Http404
    return idp


def _cookie_path(request) -> str:
    return f"/{request.municipality.slug}/saml2/medarbejder/"


@never_cache
@require_GET
def start(request):
    idp = _idp_or_404(request)
    next_url = request.GET.get("next", "")
    if not is_safe_redirect(request, next_url):
        next_url = ""
    if idp.kind == "oidc":
        try:
            url, pending = oidc.start(municipality=request.municipality, idp=idp)
        except oidc.LoginRefused as refusal:
            return _refused(request, refusal.reason, refusal.detail, status=503)
        request.session[OIDC_SESSION_KEY] = pending
        return HttpResponseRedirect(url)
    if not saml.keys_configured():
        return _refused(request, "configuration", "SAML_SP_KEY_FILE/SAML_SP_CERT_FILE not set", status=503)
    try:
        location, token = saml.start(municipality=request.municipality, idp=idp, next_url=next_url)
    except saml.LoginRefused as refusal:
        return _refused(request, refusal.reason, refusal.detail, status=503)
    response = HttpResponseRedirect(location)
    secure = request.is_secure()
    response.set_cookie(BINDING_COOKIE, token, max_age=15 * 60, httponly=True, secure=secure,
                        samesite="None" if secure else "Lax", path=_cookie_path(request))
    return response


def _sign_in(request, claims: StaffClaims):
    try:
        user = staff_sso_sign_in(claims=claims)
    except ClaimsRefused as refusal:
        return _refused(request, refusal.reason, refusal.detail)
    if user is None:
        return _refused(request, "roles", "roles withdrawn: no claimed role maps to a role")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_PROVIDER_KEY] = claims.provider
    logger.info("staff sign-in: user_id=%s municipality_id=%s provider=%s level=%s",
                user.pk, claims.municipality_id, claims.provider, claims.assurance_level)
    target = claims.next_url if is_safe_redirect(request, claims.next_url) else municipal_reverse(
        request.municipality.slug, "accounts:home")
    return HttpResponseRedirect(target)


@sensitive_variables()
@sensitive_post_parameters("SAMLResponse")
@csrf_exempt  # the IdP posts here; the signed assertion, the one-time request id and the binding cookie protect it
@require_POST
def saml_acs(request):
    idp = _idp_or_404(request)
    if idp.kind == "oidc" or not saml.keys_configured():
        raise Http404
    binding = request.COOKIES.get(BINDING_COOKIE)
    if not binding:
        return _refused(request, "replayed", "no browser binding cookie")
    try:
        claims = saml.verify(municipality=request.municipality, idp=idp,
                             saml_response_b64=request.POST.get("SAMLResponse", ""), binding_token=binding)
    except saml.LoginRefused as refusal:
        return _refused(request, refusal.reason, refusal.detail)
    except ClaimsRefused as refusal:
        return _refused(request, refusal.reason, refusal.detail)
    response = _sign_in(request, claims)
    response.delete_cookie(BINDING_COOKIE, path=_cookie_path(request))
    return response


@require_GET
def saml_metadata(request):
    """Our SP metadata for this municipality, to register with its IdP (before the IdP is configured)."""
    if request.municipality is None or not saml.keys_configured():
        raise Http404
    xml = create_metadata_string(None, config=saml.sp_config(request.municipality.slug), sign=False)
    return HttpResponse(xml, content_type="application/samlmetadata+xml")


@sensitive_variables()
@never_cache
@require_GET
def oidc_callback(request):
    idp = _idp_or_404(request)
    if idp.kind != "oidc":
        raise Http404
    pending = request.session.pop(OIDC_SESSION_KEY, None)  # single use
    try:
        claims = oidc.verify(municipality=request.municipality, idp=idp, pending=pending, params=request.GET.dict())
    except oidc.LoginRefused as refusal:
        return _refused(request, refusal.reason, refusal.detail)
    return _sign_in(request, claims)


@sensitive_post_parameters("oidc_client_secret")
@require_http_methods(["GET", "POST"])
@municipal_view(Role.MUNICIPALITY_ADMIN)
def settings_page(request):
    """The municipality's staff identity provider, its role mappings and its break-glass accounts."""
    municipality_id = request.municipality_id
    idp = staff_idp_for(municipality_id)
    has_secret = bool(idp and idp.oidc_client_secret)
    initial_mappings = [{"claim_value": m.claim_value, "role": m.role}
                        for m in role_mappings(municipality_id=municipality_id)]
    if request.method == "POST":
        form = StaffIdentityProviderForm(request.POST, instance=idp, has_secret=has_secret)
        formset = RoleMappingFormSet(request.POST, prefix="mapping")
        if form.is_valid() and formset.is_valid():
            mappings = [(f.cleaned_data["claim_value"], f.cleaned_data["role"]) for f in formset.forms
                        if f.cleaned_data.get("claim_value")]
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            staff_sso_configure(municipality_id=municipality_id, data=data, mappings=mappings)
            messages.success(request, _("The staff sign-in settings were saved."))
            return redirect("accounts:staff_sso_settings")
    else:
        form = StaffIdentityProviderForm(instance=idp, has_secret=has_secret)
        formset = RoleMappingFormSet(initial=initial_mappings, prefix="mapping")
    slug = request.municipality.slug
    return render(request, "staffsso/settings.html", {
        "form": form, "formset": formset, "has_secret": has_secret,
        "sp_entity_id": saml.entity_id(slug), "acs_url": saml.acs_url(slug), "redirect_uri": oidc.redirect_uri(slug),
        "break_glass": break_glass_accounts(municipality_id=municipality_id),
        "break_glass_sign_ins": break_glass_sign_ins(municipality_id=municipality_id),
    }, status=400 if request.method == "POST" else 200)
