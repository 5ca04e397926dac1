"""The CV page, the printable CV, and the staff CV view."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jobunivers.audit.decorators import citizen_data_view
from jobunivers.audit.services import log_staff_access
from jobunivers.core.errors import ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import STAFF_ROLES, Role

from .. import forms, selectors, services
from ..models import DrivingLicence
from ._common import _citizen, _require_role
from .profile import _profile_with_errors


@municipal_view(Role.CITIZEN)
def cv(request):
    """GET: the citizen's own CV file. POST: upload (replaces the earlier one) or delete."""
    citizen = _citizen(request)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            services.cv_delete(actor=request.user, citizen=citizen)
            messages.success(request, _("Your CV was deleted."))
            return redirect(reverse("citizens:profile") + "#cv")
        form = forms.CvUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.cv_upload(actor=request.user, citizen=citizen, uploaded_file=form.cleaned_data["file"])
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("Your CV was uploaded."))
                return redirect(reverse("citizens:profile") + "#cv")
        return _profile_with_errors(request, citizen, cv_form=form)
    return _cv_response(selectors.cv_for(citizen=citizen))


def _cv_response(document):
    if document is None:
        raise Http404
    path = services.cv_directory() / document.storage_name
    if not path.exists():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=document.content_type, as_attachment=True,
                            filename=document.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@municipal_view()
@citizen_data_view
def staff_cv(request, citizen_id: int):
    """Staff of the citizen's municipality download the citizen's CV; the read is access-logged."""
    citizen = selectors.access_citizen(actor=request.user, citizen_id=citizen_id)
    _require_role(request, *STAFF_ROLES)
    document = selectors.cv_for(citizen=citizen)
    if document is None:
        raise Http404
    log_staff_access(request, citizen_id=citizen.pk, what="citizens.cv")
    return _cv_response(document)


@municipal_view(Role.CITIZEN)
def cv_print(request):
    """A printable CV generated from the profile (the browser's print or "save as PDF")."""
    citizen = _citizen(request)
    profile = services.profile_get_or_create(citizen=citizen)
    licences = dict(DrivingLicence.choices)
    return render(request, "citizens/cv_print.html", {
        "licence_labels": [str(licences.get(code, code)) for code in profile.driving_licences or []],
        "citizen": citizen, "profile": profile, "occupations": list(profile.occupations.all()),
        "experience": citizen.work_experience.all(), "educations": citizen.educations.all(),
    })


