"""Actions posted from a job ad: save, add to the plan, record an application."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobunivers.core.errors import ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import Role

from .. import services
from ._common import _back, _citizen

# --- From a job ad (the jobs app's detail page posts here) ---------------------------------------


def _posting_action(request, posting_id: int, action, success: str):
    citizen = _citizen(request)
    try:
        action(actor=request.user, citizen=citizen, posting_id=posting_id)
    except ValidationFailed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(_back(request, reverse("citizens:home")))


@municipal_view(Role.CITIZEN)
@require_POST
def job_save(request, posting_id: int):
    if request.POST.get("action") == "unsave":
        return _posting_action(request, posting_id, services.job_unsave, _("The job was removed from your saved jobs."))
    return _posting_action(request, posting_id, services.job_save, _("The job was saved."))


@municipal_view(Role.CITIZEN)
@require_POST
def job_add_to_plan(request, posting_id: int):
    return _posting_action(request, posting_id, services.job_add_to_plan, _("The job was added to your plan."))


@municipal_view(Role.CITIZEN)
@require_POST
def job_applied(request, posting_id: int):
    return _posting_action(request, posting_id, services.job_applied,
                           _("Your application was added to your job log."))


