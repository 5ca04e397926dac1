"""Writes of journeys: building a journey (journey_create, step_save, step_delete, experiment_save), publishing a
version (version_publish, draft_create), and the citizen's own choices (opt_out_set, link_followed).

Every write checks `permissions`, validates everything before it writes, and runs in one transaction, so bad
input leaves nothing half-written. A published version is frozen: every change goes to a new draft. The engine
that sends the steps is engine.py.
"""

from __future__ import annotations

import datetime
import re

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobunivers.core.context import tenant_context
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.segmentation.selectors import tracks_for

from . import permissions
from .models import (
    BODY_MAX,
    CONDITION_DAYS_MAX,
    END,
    HOLDOUT,
    STEPS_MAX,
    TITLE_MAX,
    WAIT_DAYS_MAX,
    Condition,
    Experiment,
    ExperimentStatus,
    Journey,
    JourneyVersion,
    OptOut,
    Step,
    StepKind,
    StepRun,
    Variant,
    VariantText,
    VersionStatus,
)

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
ARM_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,19}$")
TARGETED_KINDS = frozenset({StepKind.OFFER, StepKind.LESSON})
HOLDOUT_MAX = 50
ARMS_MIN, ARMS_MAX = 2, 4
ARM_REQUIRED = ("key", "name", "weight")  # an arm with some of these and not all is "partly filled"


def _require_admin(actor, municipality_id: int) -> None:
    if not permissions.can_manage_journeys(actor, municipality_id):
        raise NotFound


def _text(errors: dict, field: str, value, *, limit: int, required: bool) -> str:
    # A text keeps its lines (a checklist is one point per line); a title or name is one line.
    text = str(value or "").strip() if field.endswith("body") else " ".join(str(value or "").split())
    if required and not text:
        errors[field] = [_("This field is required.")]
    elif len(text) > limit:
        errors[field] = [_("Write at most %(limit)s characters (you wrote %(count)s).")
                         % {"limit": limit, "count": len(text)}]
    return text


def _number(errors: dict, field: str, value, *, low: int, high: int, required: bool = True,
            message: str | None = None) -> int | None:
    if value is None or str(value).strip() == "":
        if required:
            errors[field] = [_("This field is required.")]
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = [_("Write a whole number.")]
        return None
    if not low <= number <= high:
        errors[field] = [message or _("Write a number from %(low)s to %(high)s.") % {"low": low, "high": high}]
        return None
    return number


def _track_keys(municipality_id: int) -> set[str]:
    with tenant_context(municipality_id):
        return set(tracks_for(active_only=False).values_list("key", flat=True))


# --- Journeys ---------------------------------------------------------------------------------------------


def _journey_fields(municipality_id: int, *, name, why, track_key) -> dict:
    errors: dict[str, list[str]] = {}
    fields = {"name": _text(errors, "name", name, limit=TITLE_MAX, required=True),
              "why": _text(errors, "why", why, limit=300, required=True),
              "track_key": str(track_key or "").strip()}
    if fields["track_key"] not in _track_keys(municipality_id):
        errors["track_key"] = [_("Choose one of the municipality's follow-up tracks.")]
    if errors:
        raise ValidationFailed(errors)
    return fields


def journey_create(*, actor, municipality_id: int, name: str, why: str, track_key: str) -> Journey:
    """A new journey with an empty draft (version 1)."""
    _require_admin(actor, municipality_id)
    fields = _journey_fields(municipality_id, name=name, why=why, track_key=track_key)
    with transaction.atomic():
        journey = Journey.all_tenants.create(municipality_id=municipality_id, **fields)
        JourneyVersion.all_tenants.create(municipality_id=municipality_id, journey=journey, number=1)
    return journey


def journey_update(*, actor, journey: Journey, name: str, why: str, track_key: str, is_active: bool) -> Journey:
    """Name, reason and track apply to new enrolments; `is_active` False stops enrolling (running citizens go on)."""
    _require_admin(actor, journey.municipality_id)
    fields = _journey_fields(journey.municipality_id, name=name, why=why, track_key=track_key)
    with transaction.atomic():
        Journey.all_tenants.filter(pk=journey.pk).update(**fields, is_active=bool(is_active), updated_at=timezone.now())
    journey.refresh_from_db()
    return journey


def _draft_locked(actor, version: JourneyVersion) -> JourneyVersion:
    _require_admin(actor, version.municipality_id)
    locked = JourneyVersion.all_tenants.select_for_update().get(pk=version.pk)
    if locked.status != VersionStatus.DRAFT:
        raise ValidationFailed(_("A published version cannot be changed. Make a new draft to change the journey."))
    return locked


# --- Steps ------------------------------------------------------------------------------------------------


def _branch(errors: dict, field: str, value) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    return _number(errors, field, value, low=END, high=STEPS_MAX)


def _step_fields(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    kind = str(data.get("kind") or "")
    if kind not in StepKind.values:
        errors["kind"] = [_("Choose what the step does.")]
    condition = str(data.get("condition") or Condition.NONE)
    if condition not in Condition.values:
        errors["condition"] = [_("Choose a condition from the list.")]
    fields = {
        "kind": kind, "condition": condition,
        "title": _text(errors, "title", data.get("title"), limit=TITLE_MAX, required=True),
        "body": _text(errors, "body", data.get("body"), limit=BODY_MAX, required=False),
        "target": _text(errors, "target", data.get("target"), limit=80, required=kind in TARGETED_KINDS),
        "wait_days": _number(errors, "wait_days", data.get("wait_days", 0), low=0, high=WAIT_DAYS_MAX,
                             message=_("The wait must be from 0 to %(high)s days; it cannot be negative.")
                             % {"high": WAIT_DAYS_MAX}),
        "weekdays_only": bool(data.get("weekdays_only")),
        "condition_days": _number(errors, "condition_days", data.get("condition_days", 7), low=1,
                                  high=CONDITION_DAYS_MAX),
        "reminder_after_days": _number(errors, "reminder_after_days", data.get("reminder_after_days"), low=1,
                                       high=CONDITION_DAYS_MAX, required=False),
        "next_if_met": _branch(errors, "next_if_met", data.get("next_if_met")),
        "next_if_not": _branch(errors, "next_if_not", data.get("next_if_not")),
        "mandatory": bool(data.get("mandatory")),
    }
    if kind in TARGETED_KINDS and fields["target"] and not str(fields["target"]).isdigit():
        errors["target"] = [_("Write the number of the offer or module (the number in its address).")]
    if condition == Condition.NONE:
        fields["reminder_after_days"] = None
        fields["next_if_not"] = None
    elif condition == Condition.COMPLETED and kind != StepKind.LESSON:
        errors["condition"] = [_("“Completed” needs a step that shares a learning module.")]
    reminder, window = fields["reminder_after_days"], fields["condition_days"]
    if isinstance(reminder, int) and isinstance(window, int) and reminder >= window:
        errors["reminder_after_days"] = [_("The reminder must come before the days to meet the condition "
                                           "have passed.")]
    if errors:
        raise ValidationFailed(errors)
    return fields


def step_save(*, actor, version: JourneyVersion, data: dict, step: Step | None = None) -> Step:
    """Add a step at the end of a draft (step None) or change one. Branches to steps that do not exist are
    checked when the version is published (steps may be added in any order)."""
    fields = _step_fields(data)
    with transaction.atomic():
        locked = _draft_locked(actor, version)
        if step is not None:
            if step.version_id != locked.pk:
                raise NotFound
            Step.all_tenants.filter(pk=step.pk).update(**fields, updated_at=timezone.now())
            step.refresh_from_db()
            return step
        count = Step.all_tenants.filter(version=locked).count()
        if count >= STEPS_MAX:
            raise ValidationFailed(_("A journey can have at most %(count)s steps.") % {"count": STEPS_MAX})
        return Step.all_tenants.create(municipality_id=locked.municipality_id, version=locked, position=count + 1,
                                       **fields)


def step_delete(*, actor, step: Step, arm_texts_confirmed: int = 0) -> None:
    """Remove a step from a draft; the steps after it move up one place (branches are checked at publishing).
    The experiment's arms' own texts for the step (VariantText) go with it, so the caller must have shown the
    administrator how many and pass that number: a different number (none shown, or a text added since) is
    refused and nothing is removed."""
    with transaction.atomic():
        locked = _draft_locked(actor, step.version)
        if Experiment.all_tenants.filter(version=locked, step=step).exists():
            raise ValidationFailed(_("The experiment tests this step. Remove the experiment first."))
        texts = VariantText.all_tenants.filter(step=step).count()
        if texts and texts != arm_texts_confirmed:
            raise ValidationFailed({"arm_texts": [ngettext(
                "Step %(position)s has %(count)s text written for an arm of the experiment. Confirm that it "
                "is removed with the step.",
                "Step %(position)s has %(count)s texts written for the arms of the experiment. Confirm that they "
                "are removed with the step.", texts) % {"position": step.position, "count": texts}]})
        Step.all_tenants.filter(pk=step.pk).delete()  # its VariantText rows go with it (on_delete CASCADE)
        for later in Step.all_tenants.filter(version=locked, position__gt=step.position).order_by("position"):
            Step.all_tenants.filter(pk=later.pk).update(position=later.position - 1)


# --- Experiments ------------------------------------------------------------------------------------------


def _is_blank(value) -> bool:
    return value is None or str(value).strip() == ""


def _arm_number(position: int, data: dict) -> int:
    """The arm's number on the page, for its fields' errors: the form leaves out an empty third arm, so a
    fourth may come third in `variants` and says its own `number`."""
    number = data.get("number")
    return number if type(number) is int and number >= 1 else position


def _variant_rows(errors: dict, variants: list[dict], *, step_level: bool) -> list[dict]:
    """The arms, checked: 2 to ARMS_MAX arms with unique keys (never "holdout"), whole weights from 1 that add up
    to 100 (the holdout is taken first and the arms share the rest: docs/adr/0100, 0165). An arm that lacks its
    key, name or weight is named in the message, so a third or fourth arm left half-written is never dropped
    or saved silently."""
    rows: list[dict] = []
    keys: set[str] = set()
    for position, data in enumerate(variants, start=1):
        index = _arm_number(position, data)
        key = str(data.get("key") or "").strip().lower()
        prefix = f"variant_{index}"
        row_errors: dict[str, list[str]] = {}
        missing = [name for name in ARM_REQUIRED if _is_blank(data.get(name))]
        if missing:
            errors.setdefault("variants", []).append(
                _("Arm %(number)s is not filled in completely: give it a key, a name and a weight, or remove "
                  "the arm.") % {"number": index})
        if "key" in missing:
            row_errors[f"{prefix}_key"] = [_("This field is required.")]
        elif not ARM_PATTERN.match(key) or key == HOLDOUT:
            row_errors[f"{prefix}_key"] = [_("Give the arm a short key of small letters and digits, e.g. “a”.")]
        elif key in keys:
            row_errors[f"{prefix}_key"] = [_("Two arms cannot have the same key.")]
        keys.add(key)
        row = {"key": key,
               "name": _text(row_errors, f"{prefix}_name", data.get("name"), limit=TITLE_MAX, required=True),
               "weight": _number(row_errors, f"{prefix}_weight", data.get("weight"), low=1, high=100,
                                 message=_("The weight must be a whole number from 1 to 100.")),
               "title": _text(row_errors, f"{prefix}_title", data.get("title"), limit=TITLE_MAX, required=False),
               "body": _text(row_errors, f"{prefix}_body", data.get("body"), limit=BODY_MAX, required=False),
               "wait_days": _number(row_errors, f"{prefix}_wait_days", data.get("wait_days"), low=0,
                                    high=WAIT_DAYS_MAX, required=False,
                                    message=_("The wait must be from 0 to %(high)s days; it cannot be negative.")
                                    % {"high": WAIT_DAYS_MAX})}
        if not step_level and (row["title"] or row["body"]):
            row_errors[f"{prefix}_title"] = [_("In an experiment on the whole journey, write the arm's text "
                                               "for each step under “The arms' texts per step” instead.")]
        texts = _variant_texts(row_errors, prefix, data.get("texts") or {}, step_level=step_level)
        errors.update(row_errors)
        rows.append({**row, "texts": texts})
    if len(rows) < ARMS_MIN:
        errors.setdefault("variants", []).append(_("An experiment needs at least two arms."))
    elif len(rows) > ARMS_MAX:
        errors.setdefault("variants", []).append(_("An experiment can have at most %(count)s arms.")
                                                 % {"count": ARMS_MAX})
    elif all(row["weight"] is not None for row in rows) and sum(row["weight"] for row in rows) != 100:
        errors.setdefault("variants", []).append(
            _("The arms' weights must add up to 100 (they add up to %(total)s now).")
            % {"total": sum(row["weight"] for row in rows)})
    return rows


def _variant_texts(errors: dict, prefix: str, texts: dict, *, step_level: bool) -> dict[int, dict]:
    """An arm's own title and text per step position (whole-journey experiments); steps left empty use their
    own text and get no row. Whether the positions are steps of the version is checked under the lock."""
    found: dict[int, dict] = {}
    for position, data in texts.items():
        try:
            number = int(str(position).strip())
        except (TypeError, ValueError):
            errors[f"{prefix}_texts"] = [_("The arm's texts must name the journey's steps by number.")]
            continue
        field = f"{prefix}_step_{number}"
        title = _text(errors, f"{field}_title", (data or {}).get("title"), limit=TITLE_MAX, required=False)
        body = _text(errors, f"{field}_body", (data or {}).get("body"), limit=BODY_MAX, required=False)
        if not (title or body):
            continue
        if step_level:
            errors[f"{field}_title"] = [_("An experiment on one step changes only that step: write the arm's "
                                          "text in the arm's own title and text fields, or choose “The whole "
                                          "journey”.")]
            continue
        found[number] = {"title": title, "body": body}
    return found


def experiment_save(*, actor, version: JourneyVersion, key: str, name: str, step_position, holdout_percent,
                    variants: list[dict]) -> Experiment:
    """The experiment of a draft (made or replaced as a whole): arms with weights that add up to 100 share the
    citizens outside the holdout. On one step, an arm may change that step's title, text and wait; on the whole
    journey, its waits and, in `variants[i]["texts"]` ({step position: {"title", "body"}}), any step's title and
    text. It starts when the version is published."""
    errors: dict[str, list[str]] = {}
    key = str(key or "").strip().lower()
    if not KEY_PATTERN.match(key):
        errors["key"] = [_("Give the experiment a key of small letters, digits and hyphens, e.g. "
                           "“velkomst-2027”.")]
    name = _text(errors, "name", name, limit=TITLE_MAX, required=True)
    holdout = _number(errors, "holdout_percent", holdout_percent if holdout_percent not in (None, "") else 0,
                      low=0, high=HOLDOUT_MAX,
                      message=_("The holdout must be from 0 to %(high)s percent.") % {"high": HOLDOUT_MAX})
    position = None if step_position in (None, "") else _number(errors, "step", step_position, low=1, high=STEPS_MAX)
    variants = list(variants)
    numbers = [_arm_number(position, data) for position, data in enumerate(variants, start=1)]
    rows = _variant_rows(errors, variants, step_level=position is not None)
    with transaction.atomic():
        locked = _draft_locked(actor, version)
        step = None
        steps = {s.position: s for s in Step.all_tenants.filter(version=locked)}
        if position is not None:
            step = steps.get(position)
            if step is None:
                errors["step"] = [_("The journey has no step %(position)s.") % {"position": position}]
        for index, row in zip(numbers, rows, strict=True):
            for number in sorted(set(row["texts"]) - set(steps)):
                errors[f"variant_{index}_step_{number}_title"] = [
                    _("The journey has no step %(position)s.") % {"position": number}]
        taken = Experiment.all_tenants.filter(municipality_id=locked.municipality_id, key=key).exclude(version=locked)
        if key and taken.exists():
            errors["key"] = [_("Another experiment already uses this key. Choose a new key: the key decides the "
                               "arms, so reusing it would give the same citizens the same arms again.")]
        if errors:
            raise ValidationFailed(errors)
        Experiment.all_tenants.filter(version=locked).delete()
        experiment = Experiment.all_tenants.create(municipality_id=locked.municipality_id, version=locked, step=step,
                                                   key=key, name=name, holdout_percent=holdout or 0)
        arms = Variant.all_tenants.bulk_create([
            Variant(municipality_id=locked.municipality_id, experiment=experiment,
                    **{name: value for name, value in row.items() if name != "texts"}) for row in rows])
        VariantText.all_tenants.bulk_create([
            VariantText(municipality_id=locked.municipality_id, variant=arm, step=steps[number], **text)
            for arm, row in zip(arms, rows, strict=True) for number, text in sorted(row["texts"].items())])
    return experiment


def experiment_delete(*, actor, version: JourneyVersion) -> None:
    with transaction.atomic():
        locked = _draft_locked(actor, version)
        Experiment.all_tenants.filter(version=locked).delete()


# --- Publishing -------------------------------------------------------------------------------------------


def _publish_problems(version: JourneyVersion) -> list[str]:
    steps = list(Step.all_tenants.filter(version=version).order_by("position"))
    if not steps:
        return [_("The journey has no steps. Add at least one step before you publish it.")]
    positions = {step.position for step in steps}
    problems = []
    for step in steps:
        for target in (step.next_if_met, step.next_if_not):
            if target not in (None, END) and target not in positions:
                problems.append(_("Step %(position)s goes to step %(target)s, which does not exist.")
                                % {"position": step.position, "target": target})
            elif target is not None and target != END and target == step.position:
                problems.append(_("Step %(position)s goes to itself.") % {"position": step.position})
    return problems


def version_publish(*, actor, version: JourneyVersion, now: datetime.datetime | None = None) -> JourneyVersion:
    """New citizens start on this version from now; the one published before keeps its running citizens.
    The version's experiment starts."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _draft_locked(actor, version)
        problems = _publish_problems(locked)
        if problems:
            raise ValidationFailed({"__all__": problems})
        JourneyVersion.all_tenants.filter(journey_id=locked.journey_id, status=VersionStatus.PUBLISHED).update(
            status=VersionStatus.RETIRED, updated_at=now)
        JourneyVersion.all_tenants.filter(pk=locked.pk).update(status=VersionStatus.PUBLISHED, published_at=now,
                                                               published_by=actor, updated_at=now)
        Experiment.all_tenants.filter(version=locked).update(status=ExperimentStatus.RUNNING, started_at=now,
                                                             updated_at=now)
        # The experiment of the version replaced stops: its citizens keep their arms, nobody new is assigned.
        Experiment.all_tenants.filter(version__journey_id=locked.journey_id, status=ExperimentStatus.RUNNING).exclude(
            version=locked).update(status=ExperimentStatus.STOPPED, stopped_at=now, updated_at=now)
    locked.refresh_from_db()
    return locked


def draft_create(*, actor, journey: Journey) -> JourneyVersion:
    """A new draft with a copy of the newest version's steps (its experiment is not copied: a new experiment
    needs a new key)."""
    _require_admin(actor, journey.municipality_id)
    with transaction.atomic():
        Journey.all_tenants.select_for_update().get(pk=journey.pk)
        existing = JourneyVersion.all_tenants.filter(journey=journey, status=VersionStatus.DRAFT).first()
        if existing is not None:
            return existing
        newest = JourneyVersion.all_tenants.filter(journey=journey).order_by("-number").first()
        try:
            with transaction.atomic():
                draft = JourneyVersion.all_tenants.create(municipality_id=journey.municipality_id, journey=journey,
                                                          number=(newest.number if newest else 0) + 1)
        except IntegrityError:  # a second tab made the draft at the same moment
            return JourneyVersion.all_tenants.get(journey=journey, status=VersionStatus.DRAFT)
        if newest is not None:
            copies = []
            for step in Step.all_tenants.filter(version=newest).order_by("position"):
                step.pk = None
                step.version = draft
                copies.append(step)
            Step.all_tenants.bulk_create(copies)
    return draft


# --- The citizen ------------------------------------------------------------------------------------------


def opt_out_set(*, actor, citizen, journey_id: int, opted_out: bool) -> None:
    """The citizen says no (or yes again) to a journey's steps that are not mandatory."""
    if not permissions.can_opt_out(actor, citizen):
        raise NotFound
    journey = Journey.all_tenants.filter(pk=journey_id, municipality_id=citizen.municipality_id).first()
    if journey is None:
        raise NotFound
    with transaction.atomic():
        if opted_out:
            OptOut.all_tenants.get_or_create(municipality_id=citizen.municipality_id, citizen=citizen, journey=journey)
        else:
            OptOut.all_tenants.filter(citizen=citizen, journey=journey).delete()


def link_followed(*, actor, citizen, run_id: int, now: datetime.datetime | None = None) -> StepRun:
    """The citizen followed the link of a step they received (the condition "followed the link")."""
    run = StepRun.all_tenants.select_related("step").filter(pk=run_id, citizen=citizen).first()
    if run is None or not permissions.can_opt_out(actor, citizen):
        raise NotFound
    if run.clicked_at is None:
        StepRun.all_tenants.filter(pk=run.pk, clicked_at__isnull=True).update(clicked_at=now or timezone.now())
        run.refresh_from_db()
    return run
