"""Alert statuses on the worklist: what each means, and how all of them are computed for a caseload
in a fixed number of queries (one per source, whatever the number of citizens)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobunivers.citizens import selectors as citizen_selectors
from jobunivers.dialogue import selectors as dialogue_selectors

from . import adapters
from .models import (
    AvailabilityMirror,
    CaseNote,
    CitizenOpened,
    CitizenResponse,
    Conversation,
    ConversationStatus,
)

NO_JOB_LOG_DAYS = 30
PAST_DEADLINE_STATES = ("deadline_passed", "grace_over")


@dataclass(frozen=True)
class Alert:
    key: str
    label: Any  # a (lazily) translated text
    team_lead_only: bool = False


ALERTS = [
    Alert("new_to_me", _("New to me")),
    Alert("unassigned", _("Not yet assigned"), team_lead_only=True),
    Alert("waiting_for_us", _("Waiting for an answer from us")),
    Alert("waiting_for_citizen", _("Waiting for the citizen")),
    Alert("inactive", _("No login or job log entry for N days")),
    Alert("no_job_log_30", _("No job log entry for 30 days")),
    Alert("plan_overdue", _("Plan item overdue")),
    Alert("meeting_today", _("Meeting today")),
    Alert("disagrees", _("Disagrees with suggested track")),
    Alert("no_push_reaction", _("Did not react to pushes")),
    Alert("availability_passed", _("Availability deadline passed")),
    Alert("reminder_due", _("Reminder due")),
]
ALERT_KEYS = [a.key for a in ALERTS]
ALERT_LABELS = {a.key: a.label for a in ALERTS}


@dataclass
class CitizenAlerts:
    citizen_id: int
    keys: set[str] = field(default_factory=set)
    last_job_log_at: datetime.datetime | None = None
    last_login_at: datetime.datetime | None = None
    next_meeting_at: datetime.datetime | None = None
    reminder: CaseNote | None = None
    consultant_id: int | None = None
    assigned_at: datetime.datetime | None = None

    def labels(self, translated: dict[str, str]) -> list[str]:
        """This citizen's alerts in the order of ALERTS, from `translated_labels()` (made once per page)."""
        return [translated[k] for k in ALERT_KEYS if k in self.keys]


def translated_labels() -> dict[str, str]:
    """Every alert's label in the active language: one translation per page, not one per citizen."""
    return {key: str(label) for key, label in ALERT_LABELS.items()}


def compute(*, citizens: list, staff_user, inactive_days: int, push_threshold: int,
            assignments: dict[int, tuple[int, datetime.datetime]], unassigned_ids: set[int],
            now: datetime.datetime | None = None) -> dict[int, CitizenAlerts]:
    """Alerts for `citizens` (Citizen rows with `user` loaded), as seen by `staff_user`."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = [c.pk for c in citizens]
    result = {c.pk: CitizenAlerts(citizen_id=c.pk, last_login_at=c.user.last_login) for c in citizens}
    if not ids:
        return result
    last_log = citizen_selectors.last_job_log_entries_at(citizen_ids=ids)
    overdue = set(citizen_selectors.overdue_plan_items(today=today).filter(citizen_id__in=ids)
                  .values_list("citizen_id", flat=True))
    opened = set(CitizenOpened.objects.filter(staff_user=staff_user, citizen_id__in=ids)
                 .values_list("citizen_id", flat=True))
    conversations = list(Conversation.objects.filter(citizen_id__in=ids, status=ConversationStatus.PLANNED)
                         .values("citizen_id", "starts_at", "citizen_response"))
    disagrees = adapters.open_disagreement_citizen_ids(citizen_ids=ids)
    unreacted = adapters.unreacted_notice_counts(citizen_user_ids=[c.user_id for c in citizens])
    past_deadline = set(AvailabilityMirror.objects.filter(citizen_id__in=ids, state__in=PAST_DEADLINE_STATES)
                        .values_list("citizen_id", flat=True))
    # Message threads waiting for an answer from the job centre (the dialogue app, one query).
    waiting_for_us = dialogue_selectors.citizen_ids_waiting_for_job_centre(
        municipality_id=citizens[0].municipality_id, citizen_ids=ids)
    reminders: dict[int, CaseNote] = {}
    for note in CaseNote.objects.filter(citizen_id__in=ids, due_on__isnull=False, done_at__isnull=True).order_by(
            "due_on", "id"):
        reminders.setdefault(note.citizen_id, note)

    inactive_since = now - datetime.timedelta(days=inactive_days)
    no_log_since = now - datetime.timedelta(days=NO_JOB_LOG_DAYS)
    for citizen in citizens:
        alerts = result[citizen.pk]
        keys = alerts.keys
        alerts.last_job_log_at = last_log.get(citizen.pk)
        assignment = assignments.get(citizen.pk)
        if assignment:
            alerts.consultant_id, alerts.assigned_at = assignment
            if citizen.pk not in opened and assignment[0] == staff_user.pk:
                keys.add("new_to_me")
        if citizen.pk in unassigned_ids:
            keys.add("unassigned")
        # "No job log for 30 days" counts from registration when the citizen never logged.
        anchor = alerts.last_job_log_at or citizen.created_at
        if anchor < no_log_since:
            keys.add("no_job_log_30")
        last_login = citizen.user.last_login
        if (alerts.last_job_log_at is None or alerts.last_job_log_at < inactive_since) and (
                last_login is None or last_login < inactive_since) and citizen.created_at < inactive_since:
            keys.add("inactive")
        if citizen.pk in overdue:
            keys.add("plan_overdue")
        if citizen.pk in disagrees:
            keys.add("disagrees")
        if unreacted.get(citizen.user_id, 0) >= push_threshold:
            keys.add("no_push_reaction")
        if citizen.pk in past_deadline:
            keys.add("availability_passed")
        if citizen.pk in waiting_for_us:
            keys.add("waiting_for_us")
        note = reminders.get(citizen.pk)
        if note is not None:
            alerts.reminder = note
            if note.due_on is not None and note.due_on <= today:
                keys.add("reminder_due")
    for row in conversations:
        alerts = result[row["citizen_id"]]
        starts_at = row["starts_at"]
        if timezone.localdate(starts_at) == today:
            alerts.keys.add("meeting_today")
        if starts_at >= now:
            if alerts.next_meeting_at is None or starts_at < alerts.next_meeting_at:
                alerts.next_meeting_at = starts_at
            if row["citizen_response"] == CitizenResponse.NONE:
                alerts.keys.add("waiting_for_citizen")
        if row["citizen_response"] == CitizenResponse.ASKED_TO_MOVE:
            alerts.keys.add("waiting_for_us")
    return result
