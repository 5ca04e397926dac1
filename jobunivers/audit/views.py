"""The citizen's "Mine data": what we hold and why, who looked, consents, export and erasure."""

from __future__ import annotations

import datetime
import json
import time

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobunivers.core.errors import ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import Role

from .forms import ConsentForm, ErasureForm
from .models import ConsentPurpose
from .presentation import lookup_sentences, present_sections, when_text
from .registrations import citizen_ids_of
from .selectors import access_log_for_citizens, consents_of, profiling_objected
from .services import consent_set, personal_data_erase, personal_data_export, profiling_objection_set

# Set at every login (accounts.apps); erasure needs a login within this many seconds.
AUTH_TIME_SESSION_KEY = "jobunivers_auth_at"
RECENT_LOGIN_SECONDS = 15 * 60


def _recently_authenticated(request) -> bool:
    auth_at = request.session.get(AUTH_TIME_SESSION_KEY)
    return isinstance(auth_at, int | float) and time.time() - auth_at <= RECENT_LOGIN_SECONDS


def _lookups(user) -> list[dict]:
    return lookup_sentences(access_log_for_citizens(citizen_ids=citizen_ids_of(user))[:500])


@municipal_view(Role.CITIZEN)
def my_data(request):
    export = personal_data_export(user=request.user)
    consents = consents_of(user_id=request.user.pk)
    form = ConsentForm(initial={
        "personalisation": consents[ConsentPurpose.PERSONALISATION],
        "people_like_you": consents[ConsentPurpose.PEOPLE_LIKE_YOU],
        "object_to_profiling": profiling_objected(user_id=request.user.pk),
    })
    return render(request, "audit/my_data.html", {
        "groups": present_sections(export), "lookups": _lookups(request.user), "form": form,
        "personalisation": consents[ConsentPurpose.PERSONALISATION],
        "objected": profiling_objected(user_id=request.user.pk),
    })


@municipal_view(Role.CITIZEN)
@require_POST
def my_consents(request):
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Your choices could not be saved. Please try again."))
        return redirect("audit:my_data")
    consent_set(user=request.user, purpose=ConsentPurpose.PERSONALISATION,
                given=form.cleaned_data["personalisation"])
    # Written only when changed: saving the page without touching it must not turn "not asked yet" into a no
    # (the start page offers this consent once, until the citizen answers).
    if form.cleaned_data["people_like_you"] != consents_of(user_id=request.user.pk)[ConsentPurpose.PEOPLE_LIKE_YOU]:
        consent_set(user=request.user, purpose=ConsentPurpose.PEOPLE_LIKE_YOU, given=form.cleaned_data["people_like_you"])
    profiling_objection_set(user=request.user, objected=form.cleaned_data["object_to_profiling"])
    messages.success(request, _("Your choices are saved and take effect now."))
    return redirect("audit:my_data")


@municipal_view(Role.CITIZEN)
def my_data_json(request):
    export = personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(export, ensure_ascii=False, indent=2, default=str), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mine-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@municipal_view(Role.CITIZEN)
def my_data_printable(request):
    export = personal_data_export(user=request.user)
    response = render(request, "audit/my_data_printable.html", {
        "groups": present_sections(export), "lookups": _lookups(request.user), "exported_at": when_text(datetime.datetime.fromisoformat(export["exported_at"])),
    })
    response["Cache-Control"] = "no-store"
    return response


@municipal_view(Role.CITIZEN)
@require_http_methods(["GET", "POST"])
def my_erasure(request):
    from .privacy import registrations

    kept = [r for r in registrations() if str(r.keep_reason).strip()]
    recent = _recently_authenticated(request)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not recent:
            status = 403  # log in again first; the page says so
        elif not form.is_valid():
            status = 400
        else:
            try:
                receipt = personal_data_erase(user=request.user)
            except ValidationFailed as error:
                form.add_error(None, error.messages["__all__"][0])
                status = 503
            else:
                logout(request)
                return render(request, "audit/erasure_done.html", {"receipt": receipt})
    return render(request, "audit/my_erasure.html", {"form": form, "kept": kept, "recent": recent},
                  status=status)
