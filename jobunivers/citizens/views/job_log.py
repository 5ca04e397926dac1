"""The job log: list, entries, export."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import Role

from .. import forms, pdf, selectors, services
from ..models import JobLogKind, JobLogStatus
from ._common import _citizen, _conflict_text, _require_role

# --- Job log ----------------------------------------------------------------------------------


WEEKS_SHOWN = 8


@municipal_view(Role.CITIZEN)
def job_log(request):
    citizen = _citizen(request)
    form = forms.JobLogEntryForm(initial={"occurred_on": timezone.localdate(), "kind": JobLogKind.APPLICATION,
                                          "status": JobLogStatus.SENT})
    status = 200
    if request.method == "POST":
        form = forms.JobLogEntryForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["status"] = data.get("status") or None
            if data["kind"] != JobLogKind.APPLICATION and data["status"] == JobLogStatus.SENT:
                data["status"] = JobLogStatus.DONE
            try:
                services.job_log_entry_add(actor=request.user, citizen=citizen, **data)
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("The entry was added to your job log."))
                return redirect("citizens:job_log")
        messages.error(request, _("Please correct the errors below."))
        status = 400
    weeks = selectors.weekly_job_log_counts(citizen_id=citizen.pk, weeks=WEEKS_SHOWN)
    return render(request, "citizens/job_log.html", {
        "citizen": citizen, "form": form, "entries": selectors.job_log_for(citizen_id=citizen.pk),
        "weeks": list(reversed(weeks)), "this_week": weeks[-1],
    }, status=status)


@municipal_view()
def job_log_entry(request, entry_id: int):
    entry = selectors.access_job_log_entry(actor=request.user, entry_id=entry_id)
    _require_role(request, Role.CITIZEN)
    citizen = _citizen(request)
    if entry.citizen_id != citizen.pk:
        raise NotFound
    fields = list(forms.JobLogEntryEditForm.base_fields)
    form = forms.JobLogEntryEditForm(initial={f: getattr(entry, f) for f in fields})
    status = 200
    if request.method == "POST":
        form = forms.JobLogEntryEditForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            data["status"] = data.get("status") or entry.status
            try:
                services.job_log_entry_update(actor=request.user, entry=entry, expected_version=version, **data)
            except ConflictError:
                messages.error(request, _conflict_text())
                return redirect("citizens:job_log_entry", entry_id=entry.pk)
            except ValidationFailed as error:
                forms.apply_errors(form, error)
            else:
                messages.success(request, _("The entry was saved."))
                return redirect("citizens:job_log")
        messages.error(request, _("Please correct the errors below."))
        status = 400
    return render(request, "citizens/job_log_entry.html", {"entry": entry, "form": form}, status=status)


@municipal_view(Role.CITIZEN)
def job_log_export(request, file_format: str):
    citizen = _citizen(request)
    entries = selectors.job_log_for(citizen_id=citizen.pk)
    if file_format == "pdf":
        weeks = selectors.weekly_job_log_counts(citizen_id=citizen.pk, weeks=13)
        response = HttpResponse(pdf.job_log_pdf(citizen=citizen, municipality_name=request.municipality.name,
                                                entries=entries, weeks=reversed(weeks)),
                                content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="joblog.pdf"'
    elif file_format == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="joblog.csv"'
        response.write("\ufeff")  # so spreadsheet programs read the Danish letters right
        writer = csv.writer(response, delimiter=";")
        writer.writerow([_("Date"), _("What"), _("Employer"), _("Job title or subject"), _("How"), _("Follow-up"),
                         _("Notes"), _("Registered")])
        for entry in entries:
            writer.writerow([entry.occurred_on.isoformat(), entry.get_kind_display(), _safe_cell(entry.employer),
                             _safe_cell(entry.job_title),
                             entry.get_how_applied_display() if entry.how_applied else "",
                             entry.get_status_display(), _safe_cell(entry.notes),
                             timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M")])
    else:
        raise Http404
    response["Cache-Control"] = "private, no-store"
    return response


def _safe_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


