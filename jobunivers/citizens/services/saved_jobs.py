"""One-click actions from a job ad: save, add to the plan, record an application."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from jobunivers.core.errors import ValidationFailed

from ..models import (
    Citizen,
    CreatedByKind,
    HowApplied,
    JobLogEntry,
    JobLogKind,
    PlanItem,
    PlanItemStatus,
    PlanItemType,
    SavedJob,
)
from ._common import PLAN_DATE_FUTURE_DAYS, _require_owner, _today
from .job_log import job_log_entry_add
from .plan import plan_item_create, plan_item_update

# --- Jobs from the job ads (one click from the ad) -------------------------------------------


def _posting(posting_id: int):
    """The job ad, reached through our own foreign key (citizens and jobs are on the same layer)."""
    posting_model: Any = SavedJob._meta.get_field("posting").related_model
    posting = posting_model._default_manager.filter(pk=posting_id).first()
    if posting is None:
        raise ValidationFailed(_("The job ad no longer exists."))
    return posting


def job_save(*, actor, citizen: Citizen, posting_id: int) -> SavedJob:
    _require_owner(actor, citizen)
    posting = _posting(posting_id)
    saved, _created = SavedJob.all_tenants.get_or_create(
        citizen=citizen, posting=posting, defaults={"municipality_id": citizen.municipality_id}
    )
    return saved


def job_unsave(*, actor, citizen: Citizen, posting_id: int) -> None:
    _require_owner(actor, citizen)
    SavedJob.all_tenants.filter(citizen=citizen, posting_id=posting_id).delete()


def job_add_to_plan(*, actor, citizen: Citizen, posting_id: int) -> PlanItem:
    """Put "apply for this job" into the plan (once per ad); an earlier "I applied" marks it done."""
    _require_owner(actor, citizen)
    posting = _posting(posting_id)
    existing = PlanItem.all_tenants.filter(citizen=citizen, posting=posting).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        applied = JobLogEntry.all_tenants.filter(citizen=citizen, posting=posting).order_by("-occurred_on").first()
        deadline = posting.application_deadline
        today = _today()
        if deadline is not None and not (today <= deadline <= today + datetime.timedelta(days=PLAN_DATE_FUTURE_DAYS)):
            deadline = None
        item = plan_item_create(
            actor=actor, citizen=citizen, item_type=PlanItemType.JOB_APPLICATION,
            title=(_("Apply: %(title)s at %(employer)s") % {"title": posting.title,
                                                            "employer": posting.employer_name})[:200],
            description="", due_on=deadline, link=posting.apply_url or "", created_by_kind=CreatedByKind.CITIZEN,
            status=PlanItemStatus.DONE if applied else PlanItemStatus.PLANNED, posting_id=posting.pk,
        )
        if applied is not None and applied.plan_item_id is None:
            JobLogEntry.all_tenants.filter(pk=applied.pk).update(plan_item=item)
    return item


def job_applied(*, actor, citizen: Citizen, posting_id: int, occurred_on: datetime.date | None = None) -> JobLogEntry:
    """"I applied" from the ad: a job log entry linked to the ad (and to its plan item, which is
    marked done). Saying it twice on the same day does not log the application twice."""
    _require_owner(actor, citizen)
    posting = _posting(posting_id)
    occurred_on = occurred_on or _today()
    existing = JobLogEntry.all_tenants.filter(citizen=citizen, posting=posting, occurred_on=occurred_on).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        item = PlanItem.all_tenants.filter(citizen=citizen, posting=posting).first()
        entry = job_log_entry_add(
            actor=actor, citizen=citizen, employer=posting.employer_name[:200], job_title=posting.title[:200],
            occurred_on=occurred_on, kind=JobLogKind.APPLICATION, how_applied=HowApplied.PLATFORM,
            plan_item=item, posting_id=posting.pk,
        )
        if item is not None and item.status in (PlanItemStatus.PLANNED, PlanItemStatus.IN_PROGRESS):
            plan_item_update(actor=actor, plan_item=item, expected_version=item.version,
                             changed_by_kind=CreatedByKind.CITIZEN, status=PlanItemStatus.DONE)
    return entry


