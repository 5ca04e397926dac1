"""HTTP side of the OpenID Connect provider: start under the municipality, callback nationally."""

from __future__ import annotations

import logging

from django.contrib.auth import login
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_GET

from jobunivers.accounts.services import citizen_sign_in
from jobunivers.tenancy.routing import municipal_reverse
from jobunivers.tenancy.selectors import get_municipality, settings_for

from . import client

logger = logging.getLogger("jobunivers.accounts.oidc")
SESSION_KEY = "jobunivers_oidc_pending"


def _refused(request, reason: str, detail: str, status: int = 403):
    logger.warning("OIDC login refused: reason=%s detail=%s", reason, detail)
    return render(request, "nemlogin/refused.html", {"reason": reason}, status=status)


@never_cache
@require_GET
def start(request):
    if request.municipality is None or not client.is_configured():
        raise Http404
    try:
        url, pending = client.start(municipality_id=request.municipality_id)
    except client.LoginRefused as refusal:
        return _refused(request, refusal.reason, refusal.detail, status=503)
    request.session[SESSION_KEY] = pending
    return HttpResponseRedirect(url)


@sensitive_variables()  # authorisation code, tokens and the CPR claim: never in an error report
@never_cache
@require_GET
def callback(request):
    if not client.is_configured():
        raise Http404
    pending = request.session.pop(SESSION_KEY, None)  # single use: a replayed callback finds nothing
    try:
        verified = client.finish(pending=pending, params=request.GET.dict(),
                                 required_level_for=lambda mid: settings_for(mid).required_assurance_level)
    except client.LoginRefused as refusal:
        return _refused(request, refusal.reason, refusal.detail)
    user = citizen_sign_in(provider=client.PROVIDER, cpr=verified.cpr, municipality_id=verified.municipality_id,
                           assurance_level=verified.assurance_level, first_name=verified.first_name,
                           last_name=verified.last_name)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["jobunivers_auth_provider"] = client.PROVIDER
    municipality = get_municipality(municipality_id=verified.municipality_id)
    return HttpResponseRedirect(municipal_reverse(municipality.slug, "accounts:home"))
