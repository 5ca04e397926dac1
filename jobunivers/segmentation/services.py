"""Writes of the segmentation app: suggestions, disagreements, decisions, consultant assignments,
register-data import, re-segmentation, and the model registry.

The score supports a decision and never makes one (ADR 0050): a suggestion changes nothing for
the citizen; only `decision_make` by a person does. A citizen who objects to profiling gets no
risk score at all (audit.selectors.profiling_objected), and staff decide without it.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobunivers.audit.selectors import profiling_objected
from jobunivers.citizens.contracts import OnboardingCompleted
from jobunivers.citizens.models import Citizen, JobLogEntry, PlanItemVersion
from jobunivers.citizens.selectors import overdue_plan_items, screening_answers_for
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.events import publish_on_commit
from jobunivers.tenancy.models import Membership, Municipality
from jobunivers.tenancy.roles import STAFF_ROLES, Role
from jobunivers.tenancy.routing import municipal_reverse
from jobunivers.tenancy.selectors import consultants_of, settings_for

from . import riskmodel
from .contracts import (
    SUPPORT_ADVISER,
    SUPPORT_PERSONAL_CONSULTANT,
    SUPPORT_SELF_SERVICE,
    ActivitySource,
    CitizenNotice,
    CitizenNotices,
    ConsultantAssigned,
    InteractionTrackChanged,
    TrackDecided,
    UnansweredPushSource,
)
from .explanations import reason_text
from .features import FEATURE_NAMES, FEATURES, education_of, feature_matrix
from .models import (
    AgeBand,
    BenefitType,
    CitizenInteraction,
    ConsultantAssignment,
    Decision,
    Disagreement,
    EducationLevel,
    InteractionState,
    Origin,
    RegisterData,
    RiskModelVersion,
    Suggestion,
    SupportLevel,
    Track,
    Transition,
)
from .selectors import caseload_sizes, first_period_weeks, is_skilled

logger = logging.getLogger(__name__)

HIGH_RISK = 0.6
MEDIUM_RISK = 0.35
LONG_UNEMPLOYMENT_WEEKS = 52
RECENT_JOB_WEEKS = 8
COMMENT_MAX_LENGTH = 2000

DEFAULT_TRACKS = [
    # key, support level, Danish name, English name, Danish description, English description
    ("selvbetjening", SupportLevel.SELF_SERVICE, "Selvbetjening i Jobunivers", "Self-service in Jobunivers",
     "Du finder job, holder din plan og joblog ved lige og booker hjælp, når du har brug for det.",
     "You find jobs, keep your plan and job log up to date, and book help when you need it."),
    ("selvbetjening-med-jobraadgiver", SupportLevel.ADVISER_SUPPORT, "Selvbetjening med støtte fra en jobrådgiver",
     "Self-service with job-adviser support",
     "Du bruger Jobunivers selv, og en jobrådgiver tager korte samtaler med dig undervejs.",
     "You use Jobunivers yourself, and a job adviser has short conversations with you along the way."),
    ("personlig-jobkonsulent", SupportLevel.PERSONAL_CONSULTANT, "Personlig jobkonsulent fra start",
     "Personal job consultant from the start",
     "Du får en fast personlig jobkonsulent, som følger dig fra begyndelsen.",
     "You get a personal job consultant who follows you from the beginning."),
]


# --- Tracks -----------------------------------------------------------------------------


def tracks_ensure_defaults(*, municipality_id: int) -> list[Track]:
    """Create the three default tracks of a municipality if it has none (idempotent)."""
    existing = list(Track.all_tenants.filter(municipality_id=municipality_id))
    if existing:
        return existing
    Track.all_tenants.bulk_create([
        Track(municipality_id=municipality_id, key=key, support_level=level, name_da=name_da, name_en=name_en,
              description_da=description_da, description_en=description_en, order=index)
        for index, (key, level, name_da, name_en, description_da, description_en) in enumerate(DEFAULT_TRACKS)
    ], ignore_conflicts=True)
    return list(Track.all_tenants.filter(municipality_id=municipality_id))


def track_for_level(*, municipality_id: int, level: int) -> Track:
    """The first offered track at this support level; else the nearest higher, then lower."""
    tracks = [t for t in tracks_ensure_defaults(municipality_id=municipality_id) if t.is_active]
    if not tracks:
        raise ValidationFailed(_("The municipality offers no tracks. An administrator must switch one on."))
    tracks.sort(key=lambda t: (t.order, t.support_level, t.key))
    for candidates in ([t for t in tracks if t.support_level == level],
                       sorted([t for t in tracks if t.support_level > level], key=lambda t: t.support_level),
                       sorted([t for t in tracks if t.support_level < level], key=lambda t: -t.support_level)):
        if candidates:
            return candidates[0]
    return tracks[0]  # pragma: no cover - unreachable: one of the lists is non-empty


# --- Register data ------------------------------------------------------------------------

REGISTER_COLUMNS = ["citizen_id", "age_band", "education_level", "unemployment_weeks_last_3_years",
                    "unemployment_spells_last_3_years", "benefit_type", "weeks_since_last_job", "previous_isco",
                    "origin", "registered_on", "outcome", "outcome_on"]


@dataclass
class RegisterImportReport:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _parse_register_row(row: dict, line: int, citizen_ids: set[int]) -> tuple[dict | None, list[str]]:
    errors: list[str] = []

    def err(text: str) -> None:
        errors.append(_("Line %(line)s: %(error)s") % {"line": line, "error": text})

    def integer(name: str, *, optional: bool = False) -> int | None:
        value = (row.get(name) or "").strip()
        if value == "" and optional:
            return None
        try:
            number = int(value)
        except ValueError:
            err(_("%(column)s must be a whole number") % {"column": name})
            return None
        if number < 0:
            err(_("%(column)s cannot be negative") % {"column": name})
            return None
        return number

    def date(name: str, *, optional: bool = False) -> datetime.date | None:
        value = (row.get(name) or "").strip()
        if value == "" and optional:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            err(_("%(column)s must be a date like 2026-01-31") % {"column": name})
            return None

    citizen_id = integer("citizen_id")
    if citizen_id is not None and citizen_id not in citizen_ids:
        err(_("there is no citizen %(id)s in this municipality") % {"id": citizen_id})
    choices = {"age_band": AgeBand.values, "education_level": EducationLevel.values,
               "benefit_type": BenefitType.values, "origin": Origin.values,
               "outcome": RegisterData.Outcome.values}
    values = {name: (row.get(name) or "").strip() for name in choices}
    for name, allowed in choices.items():
        if values[name] not in allowed:
            err(_("%(column)s has the unknown value %(value)s") % {"column": name, "value": values[name]})
    isco = (row.get("previous_isco") or "").strip()
    if isco and not (isco.isdigit() and len(isco) <= 4):
        err(_("previous_isco must be an ISCO-08 code of up to 4 digits"))
    parsed = {
        "citizen_id": citizen_id, **values, "previous_isco": isco,
        "unemployment_weeks_last_3_years": integer("unemployment_weeks_last_3_years"),
        "unemployment_spells_last_3_years": integer("unemployment_spells_last_3_years"),
        "weeks_since_last_job": integer("weeks_since_last_job", optional=True),
        "registered_on": date("registered_on"), "outcome_on": date("outcome_on", optional=True),
    }
    if parsed["outcome"] and parsed["outcome_on"] is None and not errors:
        err(_("outcome_on is needed when there is an outcome"))
    return (None if errors else parsed), errors


def register_data_import(*, municipality_id: int, text: str) -> RegisterImportReport:
    """Import register-style data (one row per citizen) from CSV with REGISTER_COLUMNS.

    All or nothing: if any line is wrong, nothing is written and every error is reported with
    its line number. In production the DFDG adapter writes this file with our citizen ids.
    """
    report = RegisterImportReport()
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REGISTER_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationFailed(_("The file lacks the columns: %(columns)s") % {"columns": ", ".join(missing)})
    citizen_ids = set(Citizen.all_tenants.filter(municipality_id=municipality_id).values_list("id", flat=True))
    rows = []
    try:
        for index, row in enumerate(reader):
            parsed, errors = _parse_register_row(row, index + 2, citizen_ids)
            report.errors += errors
            if parsed:
                rows.append(parsed)
    except csv.Error as error:
        raise ValidationFailed(_("The file could not be read: %(error)s") % {"error": error}) from error
    seen: set[int] = set()
    for row in rows:
        if row["citizen_id"] in seen:
            report.errors.append(_("Citizen %(id)s appears more than once") % {"id": row["citizen_id"]})
        seen.add(row["citizen_id"])
    if report.errors:
        raise ValidationFailed({"__all__": report.errors})
    with transaction.atomic():
        existing = set(RegisterData.all_tenants.filter(municipality_id=municipality_id, citizen_id__in=seen)
                       .values_list("citizen_id", flat=True))
        for row in rows:
            citizen_id = row.pop("citizen_id")
            RegisterData.all_tenants.update_or_create(
                citizen_id=citizen_id, municipality_id=municipality_id,
                defaults={**row, "source": RegisterData.Source.IMPORT})
            if citizen_id in existing:
                report.updated += 1
            else:
                report.created += 1
    return report


# --- Suggestions ----------------------------------------------------------------------------

_model_cache: dict[tuple[int, str], object] = {}


def _load_estimator(version: RiskModelVersion):
    key = (version.pk, version.artifact_sha256)
    if key not in _model_cache:
        _model_cache.clear()
        _model_cache[key] = riskmodel.deserialise(version.artifact, version.artifact_sha256)
    return _model_cache[key]


def _register_snapshot(register: RegisterData | None) -> dict | None:
    if register is None:
        return None
    # Origin is never part of the inputs: it is not used to suggest anything (ADR 0052).
    return {
        "age_band": register.age_band, "education_level": register.education_level,
        "unemployment_weeks_last_3_years": register.unemployment_weeks_last_3_years,
        "unemployment_spells_last_3_years": register.unemployment_spells_last_3_years,
        "benefit_type": register.benefit_type, "weeks_since_last_job": register.weeks_since_last_job,
        "previous_isco": register.previous_isco, "registered_on": register.registered_on.isoformat(),
    }


def _answers_snapshot(answers) -> dict | None:
    if answers is None:
        return None
    return {
        "self_assessed_chances": answers.self_assessed_chances,
        "expected_weeks_to_job": answers.expected_weeks_to_job,
        "barriers": list(answers.barriers),
        "job_search_confidence": answers.job_search_confidence,
        "digital_skills": answers.digital_skills,
        "wants_personal_contact": bool(answers.wants_personal_contact),
        "preferred_contact": answers.preferred_contact,
        "education_level": answers.education_level,
        "revision": answers.revision,
    }


def explain(inputs: dict, risk_score: float | None, risk_omitted: str) -> tuple[int, list[str]]:
    """The support level and the explanation tags, from the inputs and the score. Rules first: a
    citizen who needs help with digital tools gets a personal contact whatever the score."""
    register = inputs.get("register") or {}
    answers = inputs.get("answers") or {}
    level = SUPPORT_SELF_SERVICE
    tags: list[str] = []

    def at_least(minimum: int, tag: str) -> None:
        nonlocal level
        level = max(level, minimum)
        tags.append(tag)

    if not answers:
        at_least(SUPPORT_ADVISER, "no_answers")
    else:
        if answers.get("digital_skills") == "needs_help":
            at_least(SUPPORT_PERSONAL_CONSULTANT, "needs_digital_help")
        if answers.get("wants_personal_contact"):
            at_least(SUPPORT_ADVISER, "wants_personal_contact")
        barriers = answers.get("barriers") or []
        if "health" in barriers:
            at_least(SUPPORT_ADVISER, "health_barrier")
        if len(barriers) >= 3:
            at_least(SUPPORT_ADVISER, "several_barriers")
        chances = answers.get("self_assessed_chances")
        if chances is not None and chances <= 2:
            at_least(SUPPORT_ADVISER, "low_self_assessment")
        elif chances is not None and chances >= 4:
            tags.append("high_self_assessment")
    if register:
        if (register.get("unemployment_weeks_last_3_years") or 0) >= LONG_UNEMPLOYMENT_WEEKS:
            at_least(SUPPORT_ADVISER, "long_previous_unemployment")
        if register.get("benefit_type") == "kontanthjaelp":
            tags.append("social_assistance")
        if register.get("weeks_since_last_job") is None:
            at_least(SUPPORT_ADVISER, "never_worked")
        elif register["weeks_since_last_job"] <= RECENT_JOB_WEEKS:
            tags.append("recent_job")
    else:
        tags.append("no_register_data")
    if is_skilled(education_of(inputs)):
        tags.append("education_completed")
    if risk_score is not None:
        if risk_score >= HIGH_RISK:
            at_least(SUPPORT_PERSONAL_CONSULTANT, "high_risk_score")
        elif risk_score >= MEDIUM_RISK:
            at_least(SUPPORT_ADVISER, "medium_risk_score")
        else:
            tags.append("low_risk_score")
    elif risk_omitted == "objected":
        tags.append("profiling_objected")
    elif risk_omitted == "no_model":
        tags.append("no_model")
    return level, tags


def _snapshot_for(citizen: Citizen) -> tuple[dict, RegisterData | None]:
    register = RegisterData.objects.filter(citizen_id=citizen.pk).first()
    answers = screening_answers_for(citizen_id=citizen.pk)
    inputs: dict = {"register": _register_snapshot(register), "answers": _answers_snapshot(answers)}
    inputs["first_period_weeks"] = first_period_weeks(municipality_id=citizen.municipality_id,
                                                     education_level=education_of(inputs))
    return inputs, register


def suggestion_create(*, citizen_id: int, reason: str = Suggestion.Reason.ENTRY, actor=None,
                      now: datetime.datetime | None = None) -> Suggestion:
    """Make an explained suggestion for the citizen (municipality in context). Replaces a pending
    one; a decided suggestion stays as history."""
    citizen = Citizen.objects.select_related("user").filter(pk=citizen_id).first()
    if citizen is None:
        raise NotFound
    with transaction.atomic():
        inputs, register = _snapshot_for(citizen)
        risk_score, risk_omitted, version = None, "", None
        if profiling_objected(user_id=citizen.user_id):
            # Art. 21 GDPR: no score is computed at all, not merely hidden.
            risk_omitted = "objected"
        elif register is None:
            risk_omitted = "no_register_data"
        else:
            version = RiskModelVersion.objects.filter(status=RiskModelVersion.Status.ACTIVE).first()
            if version is None:
                risk_omitted = "no_model"
            else:
                risk_score = float(riskmodel.predict(_load_estimator(version), feature_matrix([inputs]))[0])
        level, tags = explain(inputs, risk_score, risk_omitted)
        track = track_for_level(municipality_id=citizen.municipality_id, level=level)
        Suggestion.objects.filter(citizen_id=citizen_id, status=Suggestion.Status.PENDING).update(
            status=Suggestion.Status.SUPERSEDED)
        suggestion = Suggestion.objects.create(
            municipality_id=citizen.municipality_id, citizen=citizen, track=track, reason=reason, tags=tags,
            inputs=inputs, risk_score=None if risk_score is None else round(risk_score, 4),
            risk_omitted=risk_omitted, model_version=version,
        )
        if now is not None:
            Suggestion.objects.filter(pk=suggestion.pk).update(created_at=now)
            suggestion.refresh_from_db()
        _notice(citizen, f"segmentation-suggestion:{suggestion.pk}",
                lambda: (_("We have suggested a track for you"),
                         _("See the suggestion and why, and tell us if you disagree. A person decides.")),
                "segmentation:my_track")
    return suggestion


def on_onboarding_completed(event: OnboardingCompleted) -> None:
    """Handler (config/events.py): a suggestion at entry, a new one when answers are revised
    while the first is still undecided or when the citizen has none."""
    with tenant_context(event.municipality_id):
        has_decided = Suggestion.objects.filter(citizen_id=event.citizen_id,
                                                status=Suggestion.Status.DECIDED).exists()
        if event.revision > 1 and has_decided:
            return  # staff decided already; revised answers reach staff via the citizen overview
        reason = Suggestion.Reason.ENTRY if event.revision <= 1 else Suggestion.Reason.REVISION
        try:
            suggestion_create(citizen_id=event.citizen_id, reason=reason)
        except ValidationFailed:
            # e.g. the municipality switched off every track: the answers are saved regardless,
            # and the citizen appears without a suggestion for staff to handle.
            logger.exception("no suggestion for citizen %s", event.citizen_id)


def _citizen_of(actor) -> Citizen:
    citizen = Citizen.objects.filter(user_id=getattr(actor, "pk", None)).first()
    if citizen is None:
        raise NotFound
    return citizen


def suggestion_disagree(*, actor, suggestion_id: int, comment: str,
                        kind: str = Disagreement.Kind.DISAGREEMENT) -> Disagreement:
    """The citizen disagrees with their suggestion (or asks for more contact): a task for staff."""
    citizen = _citizen_of(actor)
    suggestion = Suggestion.objects.filter(pk=suggestion_id, citizen_id=citizen.pk).first()
    if suggestion is None:
        raise NotFound
    comment = (comment or "").strip()
    if kind not in Disagreement.Kind.values:
        raise ValidationFailed(_("Unknown kind of request."))
    if kind == Disagreement.Kind.DISAGREEMENT and not comment:
        raise ValidationFailed({"comment": [_("Please tell us why you disagree.")]})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationFailed({"comment": [_("Please keep the comment under %(n)s characters.")
                                            % {"n": COMMENT_MAX_LENGTH}]})
    if Disagreement.objects.filter(suggestion=suggestion, kind=kind, status=Disagreement.Status.OPEN).exists():
        raise ValidationFailed(_("You have already told us. A staff member will look at it."))
    with transaction.atomic():
        disagreement = Disagreement.objects.create(
            municipality_id=citizen.municipality_id, suggestion=suggestion, citizen=citizen, kind=kind,
            comment=comment or str(_("I would like more contact.")))
    return disagreement


def _membership(actor, municipality_id: int, roles: Iterable[str]) -> Membership | None:
    user_id = getattr(actor, "pk", None)
    if user_id is None:
        return None
    return Membership.objects.filter(user_id=user_id, municipality_id=municipality_id,
                                     role__in=list(roles), is_active=True).first()


def decision_make(*, actor, suggestion_id: int, track_id: int, reason: str = "") -> Decision:
    """A staff member accepts or changes the suggested track; a change needs a reason. Resolves
    the citizen's open disagreements on the suggestion and tells the citizen."""
    suggestion = Suggestion.objects.select_related("citizen", "track").filter(pk=suggestion_id).first()
    if suggestion is None:
        raise NotFound
    if _membership(actor, suggestion.municipality_id, STAFF_ROLES) is None:
        raise NotFound
    if suggestion.status == Suggestion.Status.SUPERSEDED:
        raise ValidationFailed(_("A newer suggestion has replaced this one. Decide on the newest."))
    track = Track.objects.filter(pk=track_id, is_active=True).first()
    if track is None:
        raise ValidationFailed({"track": [_("Choose one of the tracks offered.")]})
    reason = (reason or "").strip()
    changed = track.pk != suggestion.track_id
    if changed and not reason:
        raise ValidationFailed({"reason": [_("Give a reason when you change the suggested track.")]})
    if len(reason) > COMMENT_MAX_LENGTH:
        raise ValidationFailed({"reason": [_("Please keep the reason under %(n)s characters.")
                                           % {"n": COMMENT_MAX_LENGTH}]})
    now = timezone.now()
    with transaction.atomic():
        decision = Decision.objects.create(
            municipality_id=suggestion.municipality_id, suggestion=suggestion, citizen=suggestion.citizen,
            track=track, changed=changed, reason=reason, decided_by=actor)
        Suggestion.objects.filter(pk=suggestion.pk).update(status=Suggestion.Status.DECIDED)
        Disagreement.objects.filter(suggestion__citizen_id=suggestion.citizen_id,
                                    status=Disagreement.Status.OPEN).update(
            status=Disagreement.Status.RESOLVED, resolved_at=now)
        publish_on_commit(TrackDecided(
            municipality_id=suggestion.municipality_id, citizen_id=suggestion.citizen_id,
            decision_id=decision.pk, track_key=track.key, support_level=track.support_level, changed=changed))
        _notice(suggestion.citizen, f"segmentation-decision:{decision.pk}",
                lambda: (_("Your track has been decided: %(track)s") % {"track": track.name_da},
                         _("A staff member has decided your track. See why on your page.")),
                "segmentation:my_track")
    return decision


# --- Personal consultants ---------------------------------------------------------------------


def consultant_assign(*, actor, citizen_id: int, consultant_user_id: int, reason: str,
                      automatic: bool = False, now: datetime.datetime | None = None) -> ConsultantAssignment:
    """Make a personal job consultant the citizen's fixed contact (ends the current assignment).

    `actor` None means the platform (automatic assignment by re-segmentation)."""
    citizen = Citizen.objects.filter(pk=citizen_id).first()
    if citizen is None:
        raise NotFound
    if actor is not None and _membership(actor, citizen.municipality_id, STAFF_ROLES | {Role.MUNICIPALITY_ADMIN}) \
            is None:
        raise NotFound
    if _membership(type("U", (), {"pk": consultant_user_id})(), citizen.municipality_id,
                   {Role.PERSONAL_CONSULTANT}) is None:
        raise ValidationFailed({"consultant": [_("Choose a personal job consultant of this municipality.")]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": [_("Give a reason for the assignment.")]})
    now = now or timezone.now()
    with transaction.atomic():
        current = ConsultantAssignment.objects.select_for_update().filter(
            citizen_id=citizen_id, ended_at__isnull=True).first()
        if current is not None and current.consultant_id == consultant_user_id:
            raise ValidationFailed({"consultant": [_("This consultant already follows the citizen.")]})
        if current is not None:
            ConsultantAssignment.objects.filter(pk=current.pk).update(ended_at=now)
        assignment = ConsultantAssignment.objects.create(
            municipality_id=citizen.municipality_id, citizen=citizen, consultant_id=consultant_user_id,
            started_at=now, reason=reason, automatic=automatic, assigned_by=actor)
        _announce_assignment(citizen, assignment)
    return assignment


def _announce_assignment(citizen: Citizen, assignment: ConsultantAssignment) -> None:
    publish_on_commit(ConsultantAssigned(
        municipality_id=citizen.municipality_id, citizen_id=citizen.pk, consultant_user_id=assignment.consultant_id,
        assignment_id=assignment.pk, automatic=assignment.automatic, reason=assignment.reason))
    _notice(citizen, f"segmentation-consultant:{assignment.pk}",
            lambda: (_("You now have a personal job consultant"),
                     _("A personal job consultant will contact you. See who on your page.")),
            "segmentation:my_track")


def next_consultant(*, municipality_id: int, sizes: dict[int, int] | None = None,
                    after_user_id: int | None = None, consultant_ids: list[int] | None = None,
                    capacity: int | None = None) -> int | None:
    """Round-robin among the municipality's personal consultants, skipping those at capacity."""
    capacity = settings_for(municipality_id).consultant_capacity if capacity is None else capacity
    if consultant_ids is None:
        consultant_ids = sorted(set(consultants_of(municipality_id=municipality_id)
                                    .values_list("user_id", flat=True)))
    if not consultant_ids:
        return None
    sizes = caseload_sizes(municipality_id=municipality_id) if sizes is None else sizes
    if after_user_id is None:
        after_user_id = (ConsultantAssignment.all_tenants.filter(municipality_id=municipality_id, automatic=True)
                         .order_by("-started_at", "-id").values_list("consultant_id", flat=True).first())
    start = 0
    if after_user_id is not None:
        start = next((i for i, uid in enumerate(consultant_ids) if uid > after_user_id), 0)
    for offset in range(len(consultant_ids)):
        candidate = consultant_ids[(start + offset) % len(consultant_ids)]
        if sizes.get(candidate, 0) < capacity:
            return candidate
    return None


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


# --- Notices to citizens ---------------------------------------------------------------------


def _render_notice(citizen: Citizen, subject_key: str, texts, url_name: str, slug: str | None) -> CitizenNotice:
    # Rendered in Danish, the platform's default language; the inbox links to the page in full.
    with translation.override("da"):
        title, body = texts()
        title, body = str(title), str(body)
    try:
        link = municipal_reverse(slug, url_name) if slug else ""
    except NoReverseMatch:
        link = ""
    return CitizenNotice(municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                         citizen_user_id=citizen.user_id, subject_key=subject_key, title=title, body=body, link=link)


def _slug(municipality_id: int) -> str | None:
    return Municipality.objects.filter(pk=municipality_id).values_list("slug", flat=True).first()


def _notice(citizen: Citizen, subject_key: str, texts, url_name: str) -> None:
    """Ask for a notice to the citizen (CitizenNotices; delivered by notifications, wired in
    config/events.py, since segmentation and notifications may not import each other)."""
    notice = _render_notice(citizen, subject_key, texts, url_name, _slug(citizen.municipality_id))
    publish_on_commit(CitizenNotices(municipality_id=citizen.municipality_id, notices=(notice,)))


# --- Model registry -----------------------------------------------------------------------------


def _next_version() -> int:
    return (RiskModelVersion.objects.aggregate(m=Max("version"))["m"] or 0) + 1


def model_register(*, result: riskmodel.TrainResult, horizon_weeks: int, is_synthetic: bool,
                   training_period: tuple[str, str], source: str) -> RiskModelVersion:
    """Store a trained model as a candidate with its model card."""
    blob, sha = riskmodel.serialise(result.estimator)
    card = {
        **result.card, "horizon_weeks": horizon_weeks, "synthetic": is_synthetic, "source": source,
        "training_period": {"from": training_period[0], "to": training_period[1]},
        "feature_reasons": {f.name: f.reason for f in FEATURES} if result.card["features"] == list(FEATURE_NAMES)
        else {}, "trained_at": timezone.now().isoformat(),
    }
    with transaction.atomic():
        return RiskModelVersion.objects.create(version=_next_version(), horizon_weeks=horizon_weeks,
                                               is_synthetic=is_synthetic, model_card=card, artifact=blob,
                                               artifact_sha256=sha)


def can_promote_models(actor) -> bool:
    """The model is national (ADR 0051): only a platform administrator (operator) promotes it."""
    user_id = getattr(actor, "pk", None)
    if user_id is None:
        return False
    return Membership.objects.filter(user_id=user_id, role=Role.PLATFORM_OPERATOR,
                                     municipality__isnull=True, is_active=True).exists()


def model_promote(*, actor, version_id: int) -> RiskModelVersion:
    """Make a candidate the active model — by an administrator, and only if it is not worse."""
    if not can_promote_models(actor):
        raise ValidationFailed(_("Only a platform administrator may promote a model."))
    with transaction.atomic():
        candidate = RiskModelVersion.objects.select_for_update().filter(pk=version_id).first()
        if candidate is None:
            raise NotFound
        if candidate.status != RiskModelVersion.Status.CANDIDATE:
            raise ValidationFailed(_("Only a candidate can be promoted."))
        active = RiskModelVersion.objects.select_for_update().filter(status=RiskModelVersion.Status.ACTIVE).first()
        if active is not None and active.is_synthetic is False and candidate.is_synthetic:
            raise ValidationFailed(_("A model trained on synthetic data cannot replace one trained on real outcomes."))
        ok, worse = riskmodel.not_worse(candidate.model_card, active.model_card if active else None)
        if not ok:
            raise ValidationFailed(_("The candidate is worse than the active model on: %(metrics)s")
                                   % {"metrics": ", ".join(worse)})
        if active is not None:
            RiskModelVersion.objects.filter(pk=active.pk).update(status=RiskModelVersion.Status.RETIRED)
        RiskModelVersion.objects.filter(pk=candidate.pk).update(
            status=RiskModelVersion.Status.ACTIVE, promoted_by=actor, promoted_at=timezone.now())
    candidate.refresh_from_db()
    return candidate


@dataclass
class TrainingData:
    X: np.ndarray
    y: np.ndarray
    entry_times: np.ndarray
    event_times: np.ndarray
    groups: dict[str, np.ndarray]
    period: tuple[str, str]


def training_data_from_outcomes(*, horizon_weeks: int = 26, today: datetime.date | None = None) -> TrainingData:
    """The platform's own outcomes, all municipalities (national statistics: all_tenants on purpose).

    One row per citizen: the inputs of their first suggestion (what was known at entry), the label
    "still unemployed after the horizon" from the register's outcome (jobs found, deregistrations),
    only where that label is known. Citizens who object to profiling are left out."""
    from jobunivers.audit.models import ProfilingObjection

    today = today or timezone.localdate()
    horizon = datetime.timedelta(weeks=horizon_weeks)
    objectors = set(ProfilingObjection.objects.filter(objected=True).values_list("user_id", flat=True))
    registers = {r.citizen_id: r for r in RegisterData.all_tenants.all()}
    genders = dict(Citizen.all_tenants.values_list("id", "gender"))
    users = dict(Citizen.all_tenants.values_list("id", "user_id"))
    first_inputs: dict[int, dict] = {}
    for citizen_id, inputs, omitted in (Suggestion.all_tenants.order_by("created_at", "id")
                                        .values_list("citizen_id", "inputs", "risk_omitted").iterator()):
        if citizen_id not in first_inputs and omitted != "objected":
            first_inputs[citizen_id] = inputs
    rows, labels, entries, events, gender, origin, age = [], [], [], [], [], [], []
    for citizen_id, inputs in first_inputs.items():
        register = registers.get(citizen_id)
        if register is None or users.get(citizen_id) in objectors:
            continue
        event: datetime.date
        if register.outcome and register.outcome_on and register.outcome_on - register.registered_on <= horizon:
            label, event = 0, register.outcome_on
        elif register.registered_on + horizon <= today:
            label, event = 1, register.registered_on + horizon
        else:
            continue  # the outcome is not known yet
        rows.append(inputs)
        labels.append(label)
        entries.append(register.registered_on.toordinal())
        events.append(event.toordinal())
        gender.append(genders.get(citizen_id, ""))
        origin.append(register.origin)
        age.append(register.age_band)
    if not rows:
        raise riskmodel.TrainingError("No citizens with a known outcome yet.")
    period = (datetime.date.fromordinal(min(entries)).isoformat(), datetime.date.fromordinal(max(entries)).isoformat())
    groups = {"gender": np.array(gender), "age_band": np.array(age)}
    if any(origin):
        groups["origin"] = np.array(origin)
    return TrainingData(X=feature_matrix(rows), y=np.array(labels), entry_times=np.array(entries, dtype=float),
                        event_times=np.array(events, dtype=float), groups=groups, period=period)


def model_train_from_outcomes(*, horizon_weeks: int = 26) -> RiskModelVersion:
    data = training_data_from_outcomes(horizon_weeks=horizon_weeks)
    result = riskmodel.train_and_evaluate(data.X, data.y, feature_names=list(FEATURE_NAMES),
                                          entry_times=data.entry_times, event_times=data.event_times,
                                          groups=data.groups, refit_on_all=True)
    return model_register(result=result, horizon_weeks=horizon_weeks, is_synthetic=False,
                          training_period=data.period, source="platform outcomes")


def model_train_synthetic(*, n: int, seed: int = 0, horizon_weeks: int = 26) -> RiskModelVersion:
    """A model trained on the SYNTHETIC simulator (demo and development only; labelled synthetic)."""
    from .simulator import simulate

    population = simulate(n, seed=seed, horizon_weeks=horizon_weeks)
    result = riskmodel.train_and_evaluate(
        population.features, population.still_unemployed, feature_names=list(FEATURE_NAMES),
        entry_times=population.registered_day.astype(float), event_times=population.outcome_day,
        groups={"gender": population.gender, "age_band": population.age_band, "origin": population.origin},
        refit_on_all=True)
    start = datetime.date(2024, 1, 1)
    period = (start.isoformat(), (start + datetime.timedelta(days=int(population.registered_day.max()))).isoformat())
    return model_register(result=result, horizon_weeks=horizon_weeks, is_synthetic=True, training_period=period,
                          source=f"synthetic simulator, n={n}, seed={seed}")
