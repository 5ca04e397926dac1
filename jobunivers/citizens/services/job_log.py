"""The job log: applications and other job-seeking activity the citizen records."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.core.errors import ConflictError, ValidationFailed
from jobunivers.core.events import publish_on_commit

from ..contracts import JobLogEntryAdded
from ..models import Citizen, HowApplied, JobLogEntry, JobLogKind, JobLogStatus, PlanItem
from ._common import JOB_LOG_PAST_DAYS, _add, _full_clean, _refuse, _require_owner, _today

# --- Job log ------------------------------------------------------------------------


def _validate_job_log(values: dict[str, Any], today: datetime.date) -> None:
    errors: dict[str, list[str]] = {}
    if values.get("kind") not in JobLogKind.values:
        _add(errors, "kind", _("Choose one of the options."))
    if values.get("status") not in JobLogStatus.values:
        _add(errors, "status", _("Choose one of the options."))
    if values.get("how_applied") and values["how_applied"] not in HowApplied.values:
        _add(errors, "how_applied", _("Choose one of the options."))
    if not values.get("employer"):
        _add(errors, "employer", _("This field is required."))
    if not values.get("job_title"):
        _add(errors, "job_title", _("This field is required."))
    occurred_on = values.get("occurred_on")
    if not isinstance(occurred_on, datetime.date):
        _add(errors, "occurred_on", _("Enter a valid date."))
    elif occurred_on > today:
        _add(errors, "occurred_on", _("The date cannot be in the future."))
    elif occurred_on < today - datetime.timedelta(days=JOB_LOG_PAST_DAYS):
        _add(errors, "occurred_on", _("The date is more than a year ago."))
    if values.get("kind") == JobLogKind.APPLICATION and values.get("status") == JobLogStatus.DONE:
        _add(errors, "status", _("Choose how the application went."))
    _refuse(errors)


def job_log_entry_add(*, actor, citizen: Citizen, employer: str, job_title: str, occurred_on: datetime.date,
                      kind: str = JobLogKind.APPLICATION, how_applied: str = "", status: str | None = None,
                      notes: str = "", plan_item: PlanItem | None = None, posting_id: int | None = None) -> JobLogEntry:
    """Register an application or other job-search activity; publishes JobLogEntryAdded on commit."""
    _require_owner(actor, citizen)
    if status is None:
        status = JobLogStatus.SENT if kind == JobLogKind.APPLICATION else JobLogStatus.DONE
    values = {"kind": kind, "employer": (employer or "").strip(), "job_title": (job_title or "").strip(),
              "occurred_on": occurred_on, "how_applied": how_applied or "", "status": status,
              "notes": (notes or "").strip()}
    _validate_job_log(values, _today())
    if plan_item is not None and plan_item.citizen_id != citizen.pk:
        raise ValidationFailed(_("The plan item is not yours."))
    entry = JobLogEntry(citizen=citizen, municipality_id=citizen.municipality_id, plan_item=plan_item, **values)
    if posting_id is not None:
        entry.posting_id = posting_id
    _full_clean(entry)
    with transaction.atomic():
        entry.save()
        publish_on_commit(JobLogEntryAdded(citizen_id=citizen.pk, municipality_id=citizen.municipality_id,
                                           entry_id=entry.pk, occurred_at=entry.created_at,
                                           activity_on=entry.occurred_on))
    return entry


def job_log_entry_update(*, actor, entry: JobLogEntry, expected_version: int, **changes: Any) -> JobLogEntry:
    """Change a job log entry (typically its follow-up status) with optimistic locking."""
    _require_owner(actor, entry.citizen)
    allowed = {"kind", "employer", "job_title", "occurred_on", "how_applied", "status", "notes"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    current = JobLogEntry.all_tenants.get(pk=entry.pk)
    if current.version != expected_version:
        raise ConflictError
    for key in ("employer", "job_title", "notes"):
        if key in changes:
            changes[key] = (changes[key] or "").strip()
    values = {field: getattr(current, field) for field in allowed}
    values.update(changes)
    _validate_job_log(values, _today())
    updated = JobLogEntry.all_tenants.filter(pk=current.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not updated:
        raise ConflictError
    return JobLogEntry.all_tenants.select_related("citizen").get(pk=current.pk)


def job_log_entry_delete(*, actor, citizen: Citizen, entry_id: int) -> None:
    _require_owner(actor, citizen)
    JobLogEntry.all_tenants.filter(pk=entry_id, citizen=citizen).delete()


