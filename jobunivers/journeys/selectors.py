"""Reads of journeys, tenant-scoped and permission-checked: the administrators' journeys, versions and experiments;
a citizen's journeys (their own page, or staff with an access-log entry in the same transaction); and the
per-arm data of an experiment for the results page and analytics' exposure registry (ids, arms and counts
only). Missing and forbidden raise the same NotFound."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from jobunivers.audit.services import citizen_access_record
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import NotFound
from jobunivers.segmentation.selectors import tracks_for

from . import permissions
from .contracts import ArmUnit, CitizenJourney, StepView
from .models import (
    HOLDOUT,
    Assignment,
    Enrolment,
    EnrolmentState,
    ExitReason,
    Experiment,
    Exposure,
    Journey,
    JourneyVersion,
    OptOut,
    ResultSnapshot,
    RunPurpose,
    RunState,
    Step,
    StepKind,
    StepRun,
    Variant,
    VariantText,
    VersionStatus,
)


def track_names(municipality_id: int) -> dict[str, str]:
    english = (get_language() or "da").startswith("en")
    with tenant_context(municipality_id):
        return {t.key: (t.name_en if english and t.name_en else t.name_da) for t in tracks_for(active_only=False)}


# --- Administrators ---------------------------------------------------------------------------------------


def journeys_for(*, actor, municipality_id: int) -> list[dict]:
    """Each journey with its newest version, its published version and how many citizens are on it."""
    if not permissions.can_manage_journeys(actor, municipality_id):
        raise NotFound
    journeys = list(Journey.all_tenants.filter(municipality_id=municipality_id))
    versions = defaultdict(list)
    for version in JourneyVersion.all_tenants.filter(journey__in=journeys).order_by("-number"):
        versions[version.journey_id].append(version)
    counts = dict(Enrolment.all_tenants.filter(journey__in=journeys, state=EnrolmentState.ACTIVE)
                  .values("journey_id").annotate(n=Count("id")).values_list("journey_id", "n"))
    names = track_names(municipality_id)
    return [{"journey": j, "track_name": names.get(j.track_key, j.track_key),
             "published": next((v for v in versions[j.pk] if v.status == VersionStatus.PUBLISHED), None),
             "draft": next((v for v in versions[j.pk] if v.status == VersionStatus.DRAFT), None),
             "active": counts.get(j.pk, 0)} for j in journeys]


def access_journey(*, actor, municipality_id: int, journey_id: int) -> Journey:
    if not permissions.can_manage_journeys(actor, municipality_id):
        raise NotFound
    journey = Journey.all_tenants.filter(pk=journey_id, municipality_id=municipality_id).first()
    if journey is None:
        raise NotFound
    return journey


def versions_of(*, journey: Journey) -> list[JourneyVersion]:
    return list(JourneyVersion.all_tenants.filter(journey=journey).select_related("published_by").order_by("-number"))


def access_version(*, actor, municipality_id: int, version_id: int) -> JourneyVersion:
    if not permissions.can_manage_journeys(actor, municipality_id):
        raise NotFound
    version = (JourneyVersion.all_tenants.select_related("journey")
               .filter(pk=version_id, municipality_id=municipality_id).first())
    if version is None:
        raise NotFound
    return version


def steps_of(*, version: JourneyVersion) -> list[Step]:
    return list(Step.all_tenants.filter(version=version).order_by("position"))


def access_step(*, actor, municipality_id: int, step_id: int) -> Step:
    if not permissions.can_manage_journeys(actor, municipality_id):
        raise NotFound
    step = Step.all_tenants.select_related("version__journey").filter(pk=step_id, municipality_id=municipality_id).first()
    if step is None:
        raise NotFound
    return step


def arm_texts_of_step(*, step: Step) -> list[VariantText]:
    """The experiment's arms' own texts for this step (removed with the step), with their arm."""
    return list(VariantText.all_tenants.filter(step=step).select_related("variant").order_by("variant__key"))


def experiment_of(*, version: JourneyVersion) -> Experiment | None:
    return (Experiment.all_tenants.filter(version=version).select_related("step")
            .prefetch_related("variants", "variants__texts__step").first())


def experiments_for(*, actor, municipality_id: int) -> list[Experiment]:
    if not permissions.can_view_experiment_results(actor, municipality_id):
        raise NotFound
    return list(Experiment.all_tenants.filter(municipality_id=municipality_id).exclude(status="draft")
                .select_related("version__journey", "step").order_by("-started_at", "-id"))


def access_experiment(*, actor, municipality_id: int, experiment_id: int) -> Experiment:
    """An experiment of the municipality for its results page (aggregates only: staff and administrators)."""
    if not permissions.can_view_experiment_results(actor, municipality_id):
        raise NotFound
    experiment = (Experiment.all_tenants.select_related("version__journey", "step")
                  .prefetch_related("variants", "variants__texts__step")
                  .filter(pk=experiment_id, municipality_id=municipality_id).first())
    if experiment is None:
        raise NotFound
    return experiment


# --- The citizen, and staff on the citizen page ------------------------------------------------------------


def _citizen_journeys(citizen) -> list[CitizenJourney]:
    enrolments = list(Enrolment.all_tenants.filter(citizen=citizen).select_related("journey", "version")
                      .order_by("-started_at", "-id"))
    if not enrolments:
        return []
    steps = defaultdict(list)
    for step in Step.all_tenants.filter(version_id__in={e.version_id for e in enrolments}).order_by("position"):
        steps[step.version_id].append(step)
    runs = {(r.enrolment_id, r.step_id): r for r in StepRun.all_tenants.filter(
        enrolment__in=enrolments, purpose=RunPurpose.STEP)}
    opted = set(OptOut.all_tenants.filter(citizen=citizen).values_list("journey_id", flat=True))
    names = track_names(citizen.municipality_id)
    kinds = dict(StepKind.choices)
    states = dict(EnrolmentState.choices)
    reasons = dict(ExitReason.choices)
    found = []
    for e in enrolments:
        views = []
        for step in steps[e.version_id]:
            run = runs.get((e.pk, step.pk))
            if run is not None:
                status = "done" if run.state == RunState.SENT else "skipped"
            elif e.state == EnrolmentState.ACTIVE and step.position == e.position:
                status = "current"
            else:
                status = "coming" if e.state == EnrolmentState.ACTIVE else "not_sent"
            views.append(StepView(position=step.position, title=step.title, kind_label=str(kinds[step.kind]),
                                  mandatory=step.mandatory, status=status,
                                  ran_at=run.ran_at if run is not None else None))
        found.append(CitizenJourney(
            journey_id=e.journey_id, name=e.journey.name, why=e.reason,
            track_name=names.get(e.journey.track_key, e.journey.track_key), version=e.version.number,
            state=e.state, state_label=str(states[e.state]),
            exit_reason_label=str(reasons.get(e.exit_reason, "")) if e.exit_reason else "",
            started_at=e.started_at, next_due_at=e.next_due_at, opted_out=e.journey_id in opted,
            has_optional_steps=any(not s.mandatory for s in steps[e.version_id]),
            in_experiment=bool(e.arm), steps=tuple(views)))
    return found


def own_journeys(*, actor, citizen) -> list[CitizenJourney]:
    if not permissions.can_opt_out(actor, citizen):
        raise NotFound
    return _citizen_journeys(citizen)


def access_citizen_journeys(*, actor, citizen, purpose: str) -> list[CitizenJourney]:
    """Staff read of a citizen's journeys, access-logged in the same transaction."""
    if not permissions.can_view_citizen_journeys(actor, citizen) or permissions.can_opt_out(actor, citizen):
        raise NotFound
    with transaction.atomic():
        found = _citizen_journeys(citizen)
        citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                              what="journeys", purpose=purpose)
    return found


def own_step_run(*, citizen, enrolment_id: int, step_id: int) -> StepRun:
    run = (StepRun.all_tenants.select_related("step").filter(
        citizen=citizen, enrolment_id=enrolment_id, step_id=step_id, purpose=RunPurpose.STEP).first())
    if run is None:
        raise NotFound
    return run


# --- Experiments: per-arm data ------------------------------------------------------------------------------


def assignment_counts(*, experiment: Experiment) -> dict[str, int]:
    return dict(Assignment.all_tenants.filter(experiment=experiment).values("arm").annotate(n=Count("id"))
                .values_list("arm", "n"))


def newest_result(*, experiment: Experiment) -> ResultSnapshot | None:
    """The experiment's newest stored result (snapshots.py); the caller has checked access to the experiment."""
    return ResultSnapshot.all_tenants.filter(experiment=experiment).order_by("-computed_at", "-id").first()


def expected_shares(*, experiment: Experiment) -> dict[str, float]:
    """The share each arm should get: the holdout's percent, the arms the rest by weight."""
    variants = list(experiment.variants.all())
    total = sum(v.weight for v in variants) or 1
    rest = (100 - experiment.holdout_percent) / 100
    shares = {v.key: rest * v.weight / total for v in variants}
    if experiment.holdout_percent:
        shares[HOLDOUT] = experiment.holdout_percent / 100
    return shares


def experiment_units(*, experiment: Experiment) -> list[ArmUnit]:
    """Every assigned citizen (holdout included) with the journey's engagement: notices sent, opened in the
    inbox, links followed, modules completed. Ids and counts only."""
    from jobunivers.notifications.contracts import Kind
    from jobunivers.notifications.selectors import read_subjects

    from .engine import subject_key

    assigned = list(Assignment.all_tenants.filter(experiment=experiment).values_list("citizen_id", "arm",
                                                                                     "assigned_at"))
    exposed = set(Exposure.all_tenants.filter(experiment=experiment).values_list("citizen_id", flat=True))
    runs = StepRun.all_tenants.filter(enrolment__version_id=experiment.version_id, state=RunState.SENT,
                                      purpose=RunPurpose.STEP)
    if experiment.step_id is not None:
        runs = runs.filter(step_id=experiment.step_id)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    keys: dict[str, int] = {}
    for citizen_id, enrolment_id, step_id, clicked, completed in runs.values_list(
            "citizen_id", "enrolment_id", "step_id", "clicked_at", "completed_at").iterator():
        row = counts[citizen_id]
        row[0] += 1
        row[2] += clicked is not None
        row[3] += completed is not None
        keys[subject_key(enrolment_id, step_id, RunPurpose.STEP)] = citizen_id
    for key in read_subjects(municipality_id=experiment.municipality_id, kind=Kind.JOURNEY, subject_keys=list(keys)):
        counts[keys[key]][1] += 1
    return [ArmUnit(citizen_id=cid, arm=arm, assigned_on=timezone.localtime(at).date(), exposed=cid in exposed,
                    notices=counts[cid][0] if cid in counts else 0, opened=counts[cid][1] if cid in counts else 0,
                    clicked=counts[cid][2] if cid in counts else 0, completed=counts[cid][3] if cid in counts else 0)
            for cid, arm, at in assigned]


def experiment_exposures(*, municipality_id: int) -> list[tuple[str, str, dict[int, datetime.date],
                                                               dict[int, datetime.date]]]:
    """For analytics' exposure registry: per running or stopped experiment and arm (not the holdout), the key,
    a label, the first exposure day of each citizen in that arm, and every assigned citizen's assignment day."""
    found = []
    for experiment in Experiment.all_tenants.filter(municipality_id=municipality_id).exclude(status="draft").order_by("id"):
        assigned = {cid: timezone.localtime(at).date() for cid, at in Assignment.all_tenants.filter(
            experiment=experiment).values_list("citizen_id", "assigned_at")}
        for variant in Variant.all_tenants.filter(experiment=experiment).order_by("key"):
            first = {cid: timezone.localtime(at).date() for cid, at in Exposure.all_tenants.filter(
                experiment=experiment, arm=variant.key).values_list("citizen_id", "exposed_at")}
            found.append((f"journey-{experiment.key}-{variant.key}", f"{experiment.name}: {variant.name}", first,
                          assigned))
    return found


def enrolled_counts(*, municipality_id: int) -> QuerySet:
    return (Enrolment.all_tenants.filter(municipality_id=municipality_id)
            .values("journey_id").annotate(active=Count("id", filter=Q(state=EnrolmentState.ACTIVE))))
