"""The journey engine (docs/adr/0100): enrols citizens on the published journey of their track, and advances due
enrolments in batches. Celery beat calls journeys.tasks.advance_journeys every ten minutes.

One batch is one transaction: the due enrolments are locked (SKIP LOCKED on PostgreSQL, so two workers share
the work), each gets its `StepRun` row (the idempotency key), the notices go into the notifications outbox with
notify_many, and the enrolments move on. A worker that dies anywhere in the batch rolls all of it back, and the
next run does the same work once. A re-run that meets a StepRun already written (unique per enrolment, step and
purpose) sends nothing again.

Respecting the citizen: notifications applies their channels, digests and quiet hours to every notice; a step
that is not mandatory is skipped for a citizen who opted out of the journey; and at most CAP_PER_WEEK journey
notices reach a citizen in seven days: a capped step waits a day and tries again.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jobunivers.core.bulk import insert_rows_ignoring_conflicts
from jobunivers.core.context import tenant_context
from jobunivers.core.events import publish_on_commit

from .contracts import FeedbackWanted
from .models import (
    END,
    HOLDOUT,
    Assignment,
    Condition,
    Enrolment,
    EnrolmentState,
    Experiment,
    ExperimentStatus,
    Exposure,
    Journey,
    JourneyVersion,
    OptOut,
    Phase,
    RunPurpose,
    RunState,
    Step,
    StepKind,
    StepRun,
    Variant,
    VariantText,
    VersionStatus,
)

BATCH_SIZE = 1000
CAP_PER_WEEK = 3
CAP_WINDOW = datetime.timedelta(days=7)
RECHECK = datetime.timedelta(days=1)
CAPPED_RETRY = datetime.timedelta(days=1)


def add_days(start: datetime.datetime, days: int, *, weekdays_only: bool) -> datetime.datetime:
    """`days` later (local calendar); counting weekdays only skips Saturdays and Sundays, and a step due on a
    weekend with no wait moves to Monday."""
    local = timezone.localtime(start)
    if not weekdays_only:
        return start + datetime.timedelta(days=days)
    day = local
    remaining = days
    while remaining > 0 or day.weekday() >= 5:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


@dataclass(frozen=True)
class Arm:
    title: str
    body: str
    wait_days: int | None
    # A whole-journey experiment's own title and text per step id (empty: the step's own).
    texts: dict[int, tuple[str, str]] = field(default_factory=dict)


@dataclass
class Plan:
    """A version's steps and experiment, read once per run."""

    version_id: int
    journey_id: int
    steps: dict[int, Step]
    experiment_id: int | None = None
    experiment_step_id: int | None = None
    holdout_percent: int = 0
    experiment_key: str = ""
    arms: dict[str, Arm] = field(default_factory=dict)

    def wait_of(self, step: Step, arm: str) -> int:
        override = self.arms.get(arm)
        if override is not None and override.wait_days is not None and (
                self.experiment_step_id is None or self.experiment_step_id == step.pk):
            return override.wait_days
        return step.wait_days

    def text_of(self, step: Step, arm: str) -> tuple[str, str]:
        """The step's title and text in the citizen's arm: the arm's own where it has one, else the step's."""
        override = self.arms.get(arm)
        if override is None:
            return step.title, step.body
        if self.experiment_step_id is None:
            title, body = override.texts.get(step.pk, ("", ""))
            return title or step.title, body or step.body
        if self.experiment_step_id == step.pk:
            return override.title or step.title, override.body or step.body
        return step.title, step.body


def _plans(version_ids) -> dict[int, Plan]:
    plans: dict[int, Plan] = {}
    for version in JourneyVersion.all_tenants.filter(pk__in=list(version_ids)):
        plans[version.pk] = Plan(version_id=version.pk, journey_id=version.journey_id, steps={})
    for step in Step.all_tenants.filter(version_id__in=list(plans)):
        plans[step.version_id].steps[step.position] = step
    # Five queries (versions, steps, experiments, arms, texts) however many there are (test_variant_texts).
    for experiment in Experiment.all_tenants.filter(version_id__in=list(plans)).prefetch_related(
            Prefetch("variants", queryset=Variant.all_tenants.all()),
            Prefetch("variants__texts", queryset=VariantText.all_tenants.all())):
        plan = plans[experiment.version_id]
        plan.experiment_id, plan.experiment_step_id = experiment.pk, experiment.step_id
        plan.holdout_percent, plan.experiment_key = experiment.holdout_percent, experiment.key
        plan.arms = {v.key: Arm(v.title, v.body, v.wait_days, {t.step_id: (t.title, t.body) for t in v.texts.all()})
                     for v in experiment.variants.all()}
    return plans


# --- Enrolling --------------------------------------------------------------------------------------------


def enrol(*, municipality_id: int, now: datetime.datetime | None = None, chunk: int = 2000) -> int:
    """Enrol every citizen whose current track is a journey's target and who was never on that journey, on its
    published version; assign them to the running experiment's arms (sticky). Returns how many were enrolled."""
    from jobunivers.segmentation.selectors import citizen_ids_on_tracks

    from .assignment import arm_for

    now = now or timezone.now()
    enrolled = 0
    with tenant_context(municipality_id):
        for journey in Journey.all_tenants.filter(municipality_id=municipality_id, is_active=True):
            version = JourneyVersion.all_tenants.filter(journey=journey, status=VersionStatus.PUBLISHED).first()
            if version is None:
                continue
            plan = _plans([version.pk])[version.pk]
            first = plan.steps.get(min(plan.steps)) if plan.steps else None
            if first is None:
                continue
            experiment_id = plan.experiment_id or 0
            running = bool(experiment_id) and Experiment.all_tenants.filter(
                pk=experiment_id, status=ExperimentStatus.RUNNING).exists()
            already = Enrolment.all_tenants.filter(journey=journey).values("citizen_id")
            ids = sorted(set(citizen_ids_on_tracks(municipality_id=municipality_id, track_keys=[journey.track_key])
                             .exclude(citizen_id__in=already).values_list("citizen_id", flat=True)))
            weights = [(key, 0) for key in plan.arms]
            if running:
                from .models import Variant

                weights = list(Variant.all_tenants.filter(experiment_id=experiment_id)
                               .values_list("key", "weight"))
            for start in range(0, len(ids), chunk):
                part = ids[start:start + chunk]
                with transaction.atomic():
                    arms = {cid: "" for cid in part}
                    if running:
                        insert_rows_ignoring_conflicts(Assignment, [
                            dict(municipality_id=municipality_id, experiment_id=experiment_id,
                                 citizen_id=cid, assigned_at=now,
                                 arm=arm_for(experiment_key=plan.experiment_key, citizen_id=cid,
                                             holdout_percent=plan.holdout_percent, weights=weights))
                            for cid in part])
                        arms.update(Assignment.all_tenants.filter(experiment_id=experiment_id,
                                                                  citizen_id__in=part).values_list("citizen_id", "arm"))
                    rows = []
                    for cid in part:
                        holdout = arms[cid] == HOLDOUT
                        rows.append(dict(
                            municipality_id=municipality_id, citizen_id=cid, journey_id=journey.pk,
                            version_id=version.pk,
                            arm=arms[cid], position=first.position, phase=Phase.SEND, reason=journey.why,
                            state=EnrolmentState.HOLDOUT if holdout else EnrolmentState.ACTIVE, started_at=now,
                            next_due_at=None if holdout else add_days(
                                now, plan.wait_of(first, arms[cid]), weekdays_only=first.weekdays_only)))
                    insert_rows_ignoring_conflicts(Enrolment, rows)
                    # The holdout meets its arm when it would have started: no step is ever sent to it.
                    insert_rows_ignoring_conflicts(Exposure, [
                        dict(municipality_id=municipality_id, experiment_id=experiment_id, citizen_id=cid,
                             arm=HOLDOUT, exposed_at=now) for cid in part if arms[cid] == HOLDOUT])
                enrolled += len(part)
    return enrolled


# --- Advancing --------------------------------------------------------------------------------------------


@dataclass
class _Due:
    id: int
    citizen_id: int
    user_id: int
    journey_id: int
    version_id: int
    arm: str
    position: int
    phase: str
    check_until: datetime.datetime | None


@dataclass
class _Batch:
    """What one batch writes, collected before any write."""

    runs: list[dict] = field(default_factory=list)           # StepRun rows (core.bulk)
    notices: list = field(default_factory=list)
    feedback: list[FeedbackWanted] = field(default_factory=list)
    exposures: list[dict] = field(default_factory=list)      # Exposure rows
    moves: dict[tuple, list[int]] = field(default_factory=lambda: defaultdict(list))


def subject_key(enrolment_id: int, step_id: int, purpose: str) -> str:
    return f"journey:{enrolment_id}:{step_id}:{purpose}"


def _conditions_met(municipality_id: int, checks: list[tuple[_Due, Step, StepRun]]) -> set[int]:
    """Enrolment ids whose condition is met, read through each app's selectors in one query per kind."""
    from jobunivers.accounts.selectors import last_logins
    from jobunivers.booking.selectors import citizens_who_booked_since
    from jobunivers.citizens.selectors import last_job_log_entries_at
    from jobunivers.notifications.contracts import Kind
    from jobunivers.notifications.selectors import read_subjects

    by_condition: dict[str, list[tuple[_Due, Step, StepRun]]] = defaultdict(list)
    for check in checks:
        by_condition[check[1].condition].append(check)
    met: set[int] = set()
    for due, _step, run in by_condition[Condition.CLICKED]:
        if run.clicked_at is not None:
            met.add(due.id)
    for due, _step, run in by_condition[Condition.COMPLETED]:
        if run.completed_at is not None:
            met.add(due.id)
    if by_condition[Condition.OPENED]:
        keys = {subject_key(due.id, step.pk, RunPurpose.STEP): due.id for due, step, _run in by_condition[Condition.OPENED]}
        read = read_subjects(municipality_id=municipality_id, kind=Kind.JOURNEY, subject_keys=list(keys))
        met.update(keys[key] for key in read)
    if by_condition[Condition.LOGGED_IN]:
        logins = last_logins(user_ids=[due.user_id for due, _s, _r in by_condition[Condition.LOGGED_IN]])
        met.update(due.id for due, _s, run in by_condition[Condition.LOGGED_IN]
                   if logins.get(due.user_id) and logins[due.user_id] > run.ran_at)
    if by_condition[Condition.JOB_LOG]:
        last = last_job_log_entries_at(citizen_ids=[due.citizen_id for due, _s, _r in by_condition[Condition.JOB_LOG]])
        met.update(due.id for due, _s, run in by_condition[Condition.JOB_LOG]
                   if last.get(due.citizen_id) and last[due.citizen_id] > run.ran_at)
    if by_condition[Condition.BOOKED]:
        booked = citizens_who_booked_since(municipality_id=municipality_id, since={
            due.citizen_id: run.ran_at for due, _s, run in by_condition[Condition.BOOKED]})
        met.update(due.id for due, _s, _r in by_condition[Condition.BOOKED] if due.citizen_id in booked)
    return met


_LINK_ENROLMENT, _LINK_STEP = 987654321, 987654322


def _link_pattern(slug: str) -> str:
    """The step link with placeholders, reversed once per run (a reverse per notice was most of a batch)."""
    from jobunivers.tenancy.routing import municipal_reverse

    return municipal_reverse(slug, "journeys:follow", kwargs={"enrolment_id": _LINK_ENROLMENT, "step_id": _LINK_STEP}
                             ).replace(str(_LINK_ENROLMENT), "{enrolment}").replace(str(_LINK_STEP), "{step}")


class _Advancer:
    def __init__(self, *, municipality_id: int, slug: str, now: datetime.datetime, sent_counts: dict[int, int]):
        self.municipality_id, self.slug, self.now, self.sent_counts = municipality_id, slug, now, sent_counts
        self.plans: dict[int, Plan] = {}
        self.link = _link_pattern(slug)

    def _move_to(self, batch: _Batch, due: _Due, plan: Plan, target: int | None, current: int) -> None:
        position = current + 1 if target is None else target
        step = plan.steps.get(position) if position != END else None
        if step is None:
            batch.moves[(current, Phase.SEND, EnrolmentState.COMPLETED, None, None, self.now)].append(due.id)
            return
        due_at = add_days(self.now, plan.wait_of(step, due.arm), weekdays_only=step.weekdays_only)
        batch.moves[(position, Phase.SEND, EnrolmentState.ACTIVE, due_at, None, None)].append(due.id)

    def _capped(self, due: _Due) -> bool:
        return self.sent_counts.get(due.user_id, 0) >= CAP_PER_WEEK

    def _send(self, batch: _Batch, due: _Due, plan: Plan, step: Step, purpose: str) -> None:
        title, body = plan.text_of(step, due.arm)
        batch.runs.append(dict(municipality_id=self.municipality_id, enrolment_id=due.id, step_id=step.pk,
                               citizen_id=due.citizen_id, purpose=purpose, state=RunState.SENT, arm=due.arm,
                               ran_at=self.now))
        if step.kind == StepKind.FEEDBACK and purpose == RunPurpose.STEP:
            batch.feedback.append(FeedbackWanted(
                municipality_id=self.municipality_id, citizen_id=due.citizen_id,
                interaction_key=subject_key(due.id, step.pk, purpose), service_key=f"journey:{due.journey_id}",
                service_label=title, occurred_at=self.now))
        else:
            from jobunivers.notifications.contracts import Kind, Notice

            if purpose == RunPurpose.REMINDER:
                with override("da"):
                    title = _("Reminder: %(title)s") % {"title": title}
            batch.notices.append(Notice(citizen_user_id=due.user_id, kind=Kind.JOURNEY,
                                        subject_key=subject_key(due.id, step.pk, purpose), title=title[:200],
                                        body=body, link=self.link.format(enrolment=due.id, step=step.pk)))
        self.sent_counts[due.user_id] = self.sent_counts.get(due.user_id, 0) + 1
        if plan.experiment_id is not None and due.arm and (
                plan.experiment_step_id is None or plan.experiment_step_id == step.pk):
            batch.exposures.append(dict(municipality_id=self.municipality_id, experiment_id=plan.experiment_id,
                                        citizen_id=due.citizen_id, arm=due.arm, exposed_at=self.now))

    def _after_send(self, batch: _Batch, due: _Due, plan: Plan, step: Step) -> None:
        if step.condition == Condition.NONE:
            self._move_to(batch, due, plan, step.next_if_met, step.position)
            return
        until = self.now + datetime.timedelta(days=step.condition_days)
        next_at = min(until, self.now + RECHECK)
        batch.moves[(step.position, Phase.CHECK, EnrolmentState.ACTIVE, next_at, until, None)].append(due.id)

    def plan_batch(self, rows: list[_Due], runs: dict[tuple[int, int, str], StepRun],
                   opted_out: set[tuple[int, int]]) -> _Batch:
        batch = _Batch()
        checks: list[tuple[_Due, Step, StepRun]] = []
        for due in rows:
            plan = self.plans[due.version_id]
            step = plan.steps.get(due.position)
            if step is None:
                self._move_to(batch, due, plan, END, due.position)
                continue
            if due.phase == Phase.SEND:
                if (due.id, step.pk, RunPurpose.STEP) in runs:  # done before (a run that stopped in between)
                    self._after_send(batch, due, plan, step)
                elif not step.mandatory and (due.citizen_id, due.journey_id) in opted_out:
                    batch.runs.append(dict(municipality_id=self.municipality_id, enrolment_id=due.id,
                                           step_id=step.pk, citizen_id=due.citizen_id, purpose=RunPurpose.STEP,
                                           state=RunState.SKIPPED, skip_reason="opted_out", arm=due.arm,
                                           ran_at=self.now))
                    self._move_to(batch, due, plan, step.next_if_not if step.condition != Condition.NONE
                                  else step.next_if_met, step.position)
                elif self._capped(due):
                    batch.moves[(step.position, Phase.SEND, EnrolmentState.ACTIVE, self.now + CAPPED_RETRY,
                                 None, None)].append(due.id)
                else:
                    self._send(batch, due, plan, step, RunPurpose.STEP)
                    self._after_send(batch, due, plan, step)
            else:
                run = runs.get((due.id, step.pk, RunPurpose.STEP))
                if run is None:  # cannot happen unless rows were deleted by hand: send the step again
                    batch.moves[(step.position, Phase.SEND, EnrolmentState.ACTIVE, self.now, None, None)].append(due.id)
                    continue
                checks.append((due, step, run))
        met = _conditions_met(self.municipality_id, checks)
        for due, step, run in checks:
            plan = self.plans[due.version_id]
            if due.id in met:
                self._move_to(batch, due, plan, step.next_if_met, step.position)
                continue
            until = due.check_until or self.now
            if self.now >= until:
                self._move_to(batch, due, plan, step.next_if_not, step.position)
                continue
            reminder_at = (run.ran_at + datetime.timedelta(days=step.reminder_after_days)
                           if step.reminder_after_days else None)
            if (reminder_at is not None and self.now >= reminder_at
                    and (due.id, step.pk, RunPurpose.REMINDER) not in runs and not self._capped(due)
                    and not (not step.mandatory and (due.citizen_id, due.journey_id) in opted_out)):
                self._send(batch, due, plan, step, RunPurpose.REMINDER)
            batch.moves[(step.position, Phase.CHECK, EnrolmentState.ACTIVE, min(until, self.now + RECHECK), until,
                         None)].append(due.id)
        return batch

    def write(self, batch: _Batch) -> None:
        from jobunivers.notifications.services import notify_many

        insert_rows_ignoring_conflicts(StepRun, batch.runs)
        if batch.notices:
            notify_many(municipality_id=self.municipality_id, notices=batch.notices)
        insert_rows_ignoring_conflicts(Exposure, batch.exposures)
        for (position, phase, state, due_at, until, ended_at), ids in batch.moves.items():
            for start in range(0, len(ids), 500):
                Enrolment.all_tenants.filter(pk__in=ids[start:start + 500]).update(
                    position=position, phase=phase, state=state, next_due_at=due_at, check_until=until,
                    ended_at=ended_at, updated_at=self.now)
        for event in batch.feedback:
            publish_on_commit(event)

    def advance_batch(self, batch_size: int) -> int:
        with transaction.atomic():
            due = (Enrolment.all_tenants.filter(municipality_id=self.municipality_id, state=EnrolmentState.ACTIVE,
                                                next_due_at__lte=self.now).order_by("next_due_at", "id"))
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True, of=("self",))
            rows = [_Due(*row) for row in due.values_list(
                "id", "citizen_id", "citizen__user_id", "journey_id", "version_id", "arm", "position", "phase",
                "check_until")[:batch_size]]
            if not rows:
                return 0
            missing = {row.version_id for row in rows} - set(self.plans)
            if missing:
                self.plans.update(_plans(missing))
            ids = [row.id for row in rows]
            runs = {(run.enrolment_id, run.step_id, run.purpose): run
                    for run in StepRun.all_tenants.filter(enrolment_id__in=ids)}
            opted_out = set(OptOut.all_tenants.filter(citizen_id__in=[row.citizen_id for row in rows])
                            .values_list("citizen_id", "journey_id"))
            self.write(self.plan_batch(rows, runs, opted_out))
            return len(rows)


def advance(*, municipality_id: int, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE,
            max_batches: int = 500) -> int:
    """Advance every due enrolment of the municipality by one action (send, check, move on). Returns how many
    enrolments were handled. Safe to run in several workers at once, and again after a crash."""
    from jobunivers.notifications.contracts import Kind
    from jobunivers.notifications.selectors import notice_counts_since
    from jobunivers.tenancy.selectors import get_municipality

    now = now or timezone.now()
    slug = get_municipality(municipality_id=municipality_id).slug
    advancer = _Advancer(municipality_id=municipality_id, slug=slug, now=now,
                         sent_counts=notice_counts_since(kind=Kind.JOURNEY, since=now - CAP_WINDOW))
    handled = 0
    with tenant_context(municipality_id):
        for _batch in range(max_batches):
            count = advancer.advance_batch(batch_size)
            handled += count
            if count < batch_size:
                break
    return handled


def municipalities_with_journeys() -> list[int]:
    return list(Journey.all_tenants.values_list("municipality_id", flat=True).distinct().order_by("municipality_id"))
