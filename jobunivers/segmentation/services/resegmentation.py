"""Re-segmentation from explicit actions (ADR 0053): a daily review of every active citizen."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from jobunivers.citizens.models import Citizen, JobLogEntry, PlanItemVersion
from jobunivers.citizens.selectors import overdue_plan_items
from jobunivers.core.context import tenant_context
from jobunivers.core.events import publish_on_commit
from jobunivers.tenancy.selectors import consultants_of, settings_for

from ..contracts import ActivitySource, CitizenNotices, InteractionTrackChanged, UnansweredPushSource
from ..explanations import reason_text
from ..models import (
    CitizenInteraction,
    ConsultantAssignment,
    Disagreement,
    InteractionState,
    RegisterData,
    Transition,
)
from ..selectors import caseload_sizes
from .consultants import _announce_assignment, next_consultant
from .notices import _render_notice, _slug

# --- Re-segmentation ----------------------------------------------------------------------------

_activity_sources: dict[str, ActivitySource] = {}
_push_sources: dict[str, UnansweredPushSource] = {}


def activity_source_register(name: str, source: ActivitySource) -> None:
    """Add an explicit-action source (replies, bookings, ...): wired in config/events.py."""
    _activity_sources[name] = source


def unanswered_push_source_register(name: str, source: UnansweredPushSource) -> None:
    _push_sources[name] = source


def _logins(municipality_id: int, citizen_ids: list[int]) -> dict[int, datetime.datetime]:
    rows = Citizen.all_tenants.filter(municipality_id=municipality_id, user__last_login__isnull=False).values_list(
        "id", "user__last_login")
    return {citizen_id: when for citizen_id, when in rows if when is not None}


def _job_log(municipality_id: int, citizen_ids: list[int]) -> dict[int, datetime.datetime]:
    # One aggregate query for the whole municipality in context, not one per citizen (and no
    # 117,000-item IN list). Reads citizens' model directly; a batch selector would be nicer.
    return dict(JobLogEntry.objects.values("citizen_id").annotate(last=Max("created_at"))
                .values_list("citizen_id", "last"))


def _plan_updates(municipality_id: int, citizen_ids: list[int]) -> dict[int, datetime.datetime]:
    # Plan changes made by the citizen only: staff editing a plan is not the citizen being active.
    return dict(PlanItemVersion.objects.filter(changed_by_kind="citizen").values("plan_item__citizen_id")
                .annotate(last=Max("created_at")).values_list("plan_item__citizen_id", "last"))


BUILT_IN_SOURCES: dict[str, ActivitySource] = {"login": _logins, "job_log": _job_log, "plan": _plan_updates}


@dataclass
class ResegmentationResult:
    municipality_id: int
    reviewed: int = 0
    transitions: int = 0
    assigned: int = 0
    without_capacity: int = 0
    by_state: dict[str, int] = field(default_factory=dict)


def _target_state(*, current: str, inactive_days: int, unanswered: int, overdue: int, wish: bool,
                  municipal) -> tuple[str, list[dict]]:
    if current == InteractionState.CONSULTANT:
        return current, []  # a consultant follows the citizen now; staff end it, not the platform
    if current == InteractionState.REMINDERS and inactive_days >= municipal.inactivity_consultant_days:
        return InteractionState.CONSULTANT, [{"code": "repeated_inactivity", "days": inactive_days}]
    reasons: list[dict] = []
    if inactive_days >= municipal.inactivity_reminder_days:
        reasons.append({"code": "inactive", "days": inactive_days})
    if unanswered >= municipal.unanswered_pushes_threshold:
        reasons.append({"code": "unanswered_pushes", "count": unanswered})
    if overdue:
        reasons.append({"code": "overdue_plan_items", "count": overdue})
    if wish:
        reasons.append({"code": "stated_wish"})
    if reasons:
        return InteractionState.REMINDERS, reasons
    if current == InteractionState.REMINDERS:
        return InteractionState.STANDARD, [{"code": "active_again"}]
    return InteractionState.STANDARD, []


def resegment_municipality(*, municipality_id: int, now: datetime.datetime | None = None) -> ResegmentationResult:
    """Review every active citizen of the municipality; log and explain each transition; assign a
    personal consultant automatically after repeated inactivity. Idempotent within a day."""
    now = now or timezone.now()
    municipal = settings_for(municipality_id)
    result = ResegmentationResult(municipality_id=municipality_id)
    with tenant_context(municipality_id), transaction.atomic():
        deregistered = set(RegisterData.objects.exclude(outcome="").values_list("citizen_id", flat=True))
        citizens = [(cid, created, user_id) for cid, created, user_id in
                    Citizen.objects.values_list("id", "created_at", "user_id") if cid not in deregistered]
        user_of = {cid: user_id for cid, _created, user_id in citizens}
        citizen_ids = [c[0] for c in citizens]
        last_activity: dict[int, datetime.datetime] = {}
        for source in [*BUILT_IN_SOURCES.values(), *_activity_sources.values()]:
            for cid, when in source(municipality_id, citizen_ids).items():
                if when is not None and (cid not in last_activity or when > last_activity[cid]):
                    last_activity[cid] = when
        unanswered: dict[int, int] = {}
        for push_source in _push_sources.values():
            for cid, count in push_source(municipality_id, citizen_ids).items():
                unanswered[cid] = max(unanswered.get(cid, 0), int(count))
        overdue: dict[int, int] = {}
        for cid in overdue_plan_items(today=timezone.localdate(now)).values_list("citizen_id", flat=True):
            overdue[cid] = overdue.get(cid, 0) + 1
        wishes = set(Disagreement.objects.filter(kind=Disagreement.Kind.WISH, status=Disagreement.Status.OPEN)
                     .values_list("citizen_id", flat=True))
        states = {row.citizen_id: row for row in CitizenInteraction.objects.all()}
        new_states, changed_states, transitions = [], [], []
        to_assign: list[int] = []
        for cid, created, _user_id in citizens:
            baseline = last_activity.get(cid) or created
            inactive_days = max(0, (now - baseline).days)
            current_row = states.get(cid)
            current = current_row.state if current_row else InteractionState.STANDARD
            target, reasons = _target_state(current=current, inactive_days=inactive_days,
                                            unanswered=unanswered.get(cid, 0), overdue=overdue.get(cid, 0),
                                            wish=cid in wishes, municipal=municipal)
            result.by_state[target] = result.by_state.get(target, 0) + 1
            if target == current:
                if current_row is None:
                    new_states.append(CitizenInteraction(municipality_id=municipality_id, citizen_id=cid,
                                                         state=target, since=now, reviewed_at=now))
                continue
            signals = {"inactive_days": inactive_days, "unanswered_pushes": unanswered.get(cid, 0),
                       "overdue_plan_items": overdue.get(cid, 0), "stated_wish": cid in wishes,
                       "last_activity": last_activity[cid].isoformat() if cid in last_activity else None}
            transitions.append(Transition(municipality_id=municipality_id, citizen_id=cid, from_state=current,
                                          to_state=target, reasons=reasons, signals=signals))
            if current_row is None:
                new_states.append(CitizenInteraction(municipality_id=municipality_id, citizen_id=cid,
                                                     state=target, since=now, reviewed_at=now))
            else:
                changed_states.append((target, current_row.pk))
            if target == InteractionState.CONSULTANT:
                to_assign.append(cid)
        CitizenInteraction.objects.bulk_create(new_states, batch_size=2000)
        # One UPDATE per target state and chunk: bulk_update's CASE expressions are slow at this size.
        for state in {target for target, _pk in changed_states}:
            ids = [pk for target, pk in changed_states if target == state]
            for start in range(0, len(ids), 900):
                CitizenInteraction.objects.filter(pk__in=ids[start:start + 900]).update(
                    state=state, since=now, reviewed_at=now)
        created_transitions = Transition.objects.bulk_create(transitions, batch_size=2000)
        result.reviewed, result.transitions = len(citizens), len(created_transitions)
        result.assigned, result.without_capacity = _assign_automatically(municipality_id, to_assign, now)
        slug = _slug(municipality_id)
        notices = []
        for transition in created_transitions:
            publish_on_commit(InteractionTrackChanged(
                municipality_id=municipality_id, citizen_id=transition.citizen_id,
                transition_id=transition.pk or 0, from_state=transition.from_state,
                to_state=transition.to_state, reasons=tuple(r["code"] for r in transition.reasons)))
            if transition.pk:
                citizen = Citizen(pk=transition.citizen_id, municipality_id=municipality_id,
                                  user_id=user_of[transition.citizen_id])
                notices.append(_render_notice(
                    citizen, f"segmentation-transition:{transition.pk}",
                    lambda r=transition.reasons, s=transition.to_state: (
                        str(dict(InteractionState.choices)[s]), " ".join(reason_text(x) + "." for x in r)),
                    "segmentation:my_track", slug))
        if notices:
            publish_on_commit(CitizenNotices(municipality_id=municipality_id, notices=tuple(notices)))
    return result


def _assign_automatically(municipality_id: int, citizen_ids: list[int], now) -> tuple[int, int]:
    if not citizen_ids:
        return 0, 0
    has_consultant = set(ConsultantAssignment.objects.filter(ended_at__isnull=True)
                         .values_list("citizen_id", flat=True))
    waiting = [cid for cid in citizen_ids if cid not in has_consultant]
    municipal = settings_for(municipality_id)
    consultant_ids = sorted(set(consultants_of(municipality_id=municipality_id).values_list("user_id", flat=True)))
    sizes = caseload_sizes(municipality_id=municipality_id)
    reason = str(reason_text({"code": "repeated_inactivity", "days": municipal.inactivity_consultant_days}))
    last = None
    assigned = 0
    citizens = {c.pk: c for c in Citizen.objects.filter(pk__in=waiting[:len(consultant_ids) * municipal.consultant_capacity])}
    for cid in waiting:
        consultant_id = next_consultant(municipality_id=municipality_id, sizes=sizes, after_user_id=last,
                                        consultant_ids=consultant_ids, capacity=municipal.consultant_capacity)
        if consultant_id is None:
            break  # every consultant is full: the rest wait on the staff worklist (unassigned_citizens)
        citizen = citizens.get(cid) or Citizen.objects.get(pk=cid)
        assignment = ConsultantAssignment.objects.create(
            municipality_id=municipality_id, citizen=citizen, consultant_id=consultant_id, started_at=now,
            reason=reason, automatic=True, assigned_by=None)
        _announce_assignment(citizen, assignment)
        sizes[consultant_id] = sizes.get(consultant_id, 0) + 1
        last = consultant_id
        assigned += 1
    return assigned, len(waiting) - assigned
