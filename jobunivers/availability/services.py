"""Writes of availability checks: explicit citizen actions, confirmations, and the daily step.

Only two things move a citizen back to "active": a job log entry (JobLogEntryAdded from the
citizen journey) and a confirmation on the citizen's availability page. Time alone moves the
state forward, in the daily `statuses_refresh`. The citizen is told at each step
(deadline near, deadline passed, grace period over), once per step and counting period.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from jobunivers.core.context import tenant_context
from jobunivers.core.errors import ValidationFailed
from jobunivers.core.events import publish_on_commit
from jobunivers.tenancy.routing import municipal_reverse
from jobunivers.tenancy.selectors import get_municipality, settings_for

from . import adapters
from .contracts import ACTIVE, DEADLINE_NEAR, DEADLINE_PASSED, GRACE_OVER, AvailabilityStateChanged
from .models import ActionKind, AvailabilityConfirmation, AvailabilityNotice, AvailabilityStatus
from .rules import Thresholds, evaluate

NOTIFIED_STATES = (DEADLINE_NEAR, DEADLINE_PASSED, GRACE_OVER)


def thresholds_for(municipality_id: int) -> Thresholds:
    policy = settings_for(municipality_id)
    return Thresholds(deadline_days=policy.availability_deadline_days, warning_days=policy.availability_warning_days,
                      grace_days=policy.availability_grace_days)


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _apply(status: AvailabilityStatus, *, thresholds: Thresholds, today: datetime.date,
           now: datetime.datetime) -> str | None:
    """Re-evaluate `status` in memory; returns the previous state when it changed."""
    result = evaluate(last_action_on=_local_date(status.last_action_at), today=today, thresholds=thresholds)
    status.deadline_on = result.deadline_on
    status.grace_until = result.grace_until
    if result.state == status.state:
        return None
    previous = status.state
    status.state = result.state
    status.state_since = now
    return previous


def _announce(status: AvailabilityStatus, previous: str, now: datetime.datetime) -> None:
    publish_on_commit(AvailabilityStateChanged(
        citizen_id=status.citizen_id, municipality_id=status.municipality_id, state=status.state,
        previous_state=previous, deadline_on=status.deadline_on, changed_at=now,
    ))


def _notice_texts(status: AvailabilityStatus) -> tuple[str, str]:
    deadline = date_format(status.deadline_on, "DATE_FORMAT")
    grace = date_format(status.grace_until, "DATE_FORMAT")
    if status.state == DEADLINE_NEAR:
        return (_("Availability control: please register your job search by %(date)s") % {"date": deadline},
                _("You have not registered a job log entry for a while. Register one, or confirm that you are "
                  "available for work, by %(date)s.") % {"date": deadline})
    if status.state == DEADLINE_PASSED:
        return (_("Availability control: your deadline has passed"),
                _("The deadline of %(deadline)s has passed without a job log entry. Register your job search or "
                  "confirm your availability by %(grace)s; after that the job centre will contact you.")
                % {"deadline": deadline, "grace": grace})
    return (_("Availability control: the job centre will contact you"),
            _("The grace period ended on %(grace)s without a job log entry or a confirmation. The job centre will "
              "contact you about your availability for work.") % {"grace": grace})


def _tell_citizen(status: AvailabilityStatus, now: datetime.datetime, municipality_slug: str,
                  already_told: set | None = None) -> bool:
    """Record and send the notice for the status's step, once per step and counting period."""
    if status.state not in NOTIFIED_STATES:
        return False
    if already_told is not None and (status.citizen_id, status.state, status.last_action_at) in already_told:
        return False
    notice, created = AvailabilityNotice.objects.get_or_create(
        citizen_id=status.citizen_id, state=status.state, counted_from=status.last_action_at,
        defaults={"municipality_id": status.municipality_id, "sent_at": now,
                  "staff_alerted": status.state in (DEADLINE_PASSED, GRACE_OVER)},
    )
    if not created:
        return False
    with override("da"):
        title, body = _notice_texts(status)
    link = municipal_reverse(municipality_slug, "availability:mine")
    adapters.notify_citizen(
        municipality_id=status.municipality_id, citizen_id=status.citizen_id,
        subject_key=f"availability:{status.citizen_id}:{notice.pk}", title=title, body=body, link=link,
    )
    return True


@transaction.atomic
def action_record(*, municipality_id: int, citizen_id: int, kind: str, occurred_at: datetime.datetime,
                  today: datetime.date | None = None) -> AvailabilityStatus:
    """An explicit citizen action happened; the counting period starts again from it."""
    if kind not in ActionKind.values:
        raise ValueError(f"unknown availability action {kind!r}")
    with tenant_context(municipality_id):
        now = timezone.now()
        today = today or timezone.localdate()
        thresholds = thresholds_for(municipality_id)
        status = AvailabilityStatus.objects.select_for_update().filter(citizen_id=citizen_id).first()
        if status is None:
            status = AvailabilityStatus(
                municipality_id=municipality_id, citizen_id=citizen_id, state=ACTIVE, last_action_at=occurred_at,
                last_action_kind=kind, state_since=now,
            )
        elif occurred_at >= status.last_action_at:
            status.last_action_at = occurred_at
            status.last_action_kind = kind
        previous = _apply(status, thresholds=thresholds, today=today, now=now)
        status.save()
        if previous is not None:
            _announce(status, previous, now)
        return status


def on_job_log_entry_added(event) -> None:
    """Handler for citizens.contracts.JobLogEntryAdded (wired in config/events.py)."""
    action_record(municipality_id=event.municipality_id, citizen_id=event.citizen_id,
                  kind=ActionKind.JOB_LOG_ENTRY, occurred_at=event.occurred_at)


@transaction.atomic
def confirmation_create(*, actor, citizen, comment: str = "") -> AvailabilityConfirmation:
    """The citizen confirms, on their own availability page, that they are available for work."""
    comment = (comment or "").strip()
    if len(comment) > 1000:
        raise ValidationFailed({"comment": [_("Write at most 1,000 characters.")]})
    if citizen.user_id != getattr(actor, "pk", None):
        raise ValidationFailed(_("Only the citizen can confirm their own availability."))
    now = timezone.now()
    with tenant_context(citizen.municipality_id):
        confirmation = AvailabilityConfirmation.objects.create(
            municipality_id=citizen.municipality_id, citizen=citizen, confirmed_at=now, comment=comment
        )
    action_record(municipality_id=citizen.municipality_id, citizen_id=citizen.pk, kind=ActionKind.CONFIRMATION,
                  occurred_at=now)
    return confirmation


@dataclass
class RefreshReport:
    municipality_id: int
    created: int = 0
    changed: dict[str, int] = field(default_factory=dict)
    notices: int = 0


def statuses_refresh(*, municipality_id: int, today: datetime.date | None = None,
                     batch_size: int = 2000) -> RefreshReport:
    """The daily step: give every citizen a status, move states on with time, tell citizens.

    Idempotent: running it twice on a day changes and sends nothing the second time.
    """
    report = RefreshReport(municipality_id=municipality_id)
    today = today or timezone.localdate()
    now = timezone.now()
    thresholds = thresholds_for(municipality_id)
    slug = get_municipality(municipality_id=municipality_id).slug
    with tenant_context(municipality_id):
        while True:
            missing = adapters.citizens_without_status(limit=batch_size)
            if not missing:
                break
            logged = adapters.last_job_log_entry_at(citizen_ids=[row[0] for row in missing])
            with transaction.atomic():
                fresh = []
                for citizen_id, registered_on, created_at in missing:
                    anchor, kind = created_at, ActionKind.REGISTRATION
                    if registered_on is not None:
                        anchor = timezone.make_aware(datetime.datetime.combine(registered_on, datetime.time(12)))
                    if citizen_id in logged and logged[citizen_id] >= anchor:
                        anchor, kind = logged[citizen_id], ActionKind.JOB_LOG_ENTRY
                    status = AvailabilityStatus(municipality_id=municipality_id, citizen_id=citizen_id, state=ACTIVE,
                                                last_action_at=anchor, last_action_kind=kind, state_since=now)
                    _apply(status, thresholds=thresholds, today=today, now=now)
                    fresh.append(status)
                    if status.state != ACTIVE:
                        _announce(status, ACTIVE, now)
                AvailabilityStatus.objects.bulk_create(fresh, ignore_conflicts=True)
                report.created += len(fresh)
        # Only statuses whose stored dates say they may have moved are loaded and saved.
        candidates = AvailabilityStatus.objects.exclude(state=GRACE_OVER).filter(
            deadline_on__lte=today + datetime.timedelta(days=thresholds.warning_days)
        ).order_by("id")
        due_for_notice = AvailabilityStatus.objects.filter(state__in=NOTIFIED_STATES).order_by("id")
        ids = set(candidates.values_list("id", flat=True)) | set(due_for_notice.values_list("id", flat=True))
        id_list = sorted(ids)
        for start in range(0, len(id_list), batch_size):
            with transaction.atomic():
                batch = list(AvailabilityStatus.objects.select_for_update().filter(id__in=id_list[start:start + batch_size]))
                already_told = set(AvailabilityNotice.objects.filter(
                    citizen_id__in=[status.citizen_id for status in batch]
                ).values_list("citizen_id", "state", "counted_from"))
                changed = []
                for status in batch:
                    previous = _apply(status, thresholds=thresholds, today=today, now=now)
                    if previous is not None:
                        changed.append(status)
                        report.changed[status.state] = report.changed.get(status.state, 0) + 1
                        _announce(status, previous, now)
                    if _tell_citizen(status, now, slug, already_told):
                        report.notices += 1
                AvailabilityStatus.objects.bulk_update(changed, ["state", "state_since", "deadline_on", "grace_until"])
    return report
