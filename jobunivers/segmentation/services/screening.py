"""Suggestions: the explained track at entry, from register data, answers and the score.

The score supports a decision and never makes one (ADR 0050); a citizen who objects to
profiling gets no risk score at all.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging

from django.db import transaction
from django.utils.translation import gettext as _

from jobunivers.audit.selectors import profiling_objected, profiling_objected_users
from jobunivers.citizens.contracts import OnboardingCompleted
from jobunivers.citizens.models import Citizen
from jobunivers.citizens.selectors import screening_answers_for, screening_answers_for_citizens
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.events import publish_on_commit

from .. import evaluation, riskmodel
from ..contracts import SUPPORT_ADVISER, SUPPORT_PERSONAL_CONSULTANT, SUPPORT_SELF_SERVICE, CitizenNotices
from ..features import education_of, feature_matrix
from ..models import RegisterData, RiskModelVersion, Suggestion
from ..selectors import first_period_weeks, is_skilled
from .notices import _notice, _render_notice, _slug
from .tracks import track_for_level

logger = logging.getLogger(__name__)

# The production thresholds live with the evaluation, so the model card is computed at exactly these.
HIGH_RISK = evaluation.PRODUCTION_THRESHOLDS["high"]
MEDIUM_RISK = evaluation.PRODUCTION_THRESHOLDS["medium"]
LONG_UNEMPLOYMENT_WEEKS = 52
RECENT_JOB_WEEKS = 8

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


def explain(inputs: dict, risk_score: float | None, risk_omitted: str,
            thresholds: dict[str, float] | None = None) -> tuple[int, list[str]]:
    """The support level and the explanation tags, from the inputs and the score. Rules first: a
    citizen who needs help with digital tools gets a personal contact whatever the score.
    `thresholds` are the citizen's (evaluation.thresholds_for); by default the production ones."""
    high = (thresholds or {}).get("high", HIGH_RISK)
    medium = (thresholds or {}).get("medium", MEDIUM_RISK)
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
        if risk_score >= high:
            at_least(SUPPORT_PERSONAL_CONSULTANT, "high_risk_score")
        elif risk_score >= medium:
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
        risk_score, risk_omitted, version, thresholds = None, "", None, None
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
                thresholds = evaluation.thresholds_for(version.model_card, inputs)
        level, tags = explain(inputs, risk_score, risk_omitted, thresholds)
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
        _notice(citizen, f"segmentation-suggestion:{suggestion.pk}", _suggestion_notice_texts, "segmentation:my_track")
    return suggestion


def _suggestion_notice_texts() -> tuple[str, str]:
    return (_("We have suggested a track for you"),
            _("See the suggestion and why, and tell us if you disagree. A person decides."))


SUGGESTION_BATCH = 2000


def suggestions_create(*, municipality_id: int, citizen_ids: list[int] | None = None,
                       reason: str = Suggestion.Reason.ENTRY, now: datetime.datetime | None = None) -> int:
    """Explained suggestions for many citizens of one municipality at once (all of them by default):
    the same inputs, score, rules and notice as `suggestion_create`, with the reads, the scoring and
    the writes done per batch of SUGGESTION_BATCH citizens (one transaction each) instead of per
    citizen. For a municipality that starts using the platform with its caseload, or after a new
    model or a register import for everyone. Returns the number of suggestions made."""
    ids = sorted(set(citizen_ids)) if citizen_ids is not None else list(
        Citizen.all_tenants.filter(municipality_id=municipality_id).order_by("id").values_list("id", flat=True))
    version = RiskModelVersion.objects.filter(status=RiskModelVersion.Status.ACTIVE).first()
    estimator = _load_estimator(version) if version is not None else None
    period_weeks: dict[str, int] = {}
    tracks: dict[int, object] = {}
    slug = _slug(municipality_id)
    made = 0
    for start in range(0, len(ids), SUGGESTION_BATCH):
        chunk = ids[start:start + SUGGESTION_BATCH]
        made += _suggest_batch(municipality_id, chunk, reason=reason, now=now, version=version, estimator=estimator,
                               period_weeks=period_weeks, tracks=tracks, slug=slug)
    return made


def _suggest_batch(municipality_id: int, chunk: list[int], *, reason: str, now, version, estimator,
                   period_weeks: dict, tracks: dict, slug: str | None) -> int:
    citizens = list(Citizen.all_tenants.filter(municipality_id=municipality_id, pk__in=chunk).order_by("id"))
    if not citizens:
        return 0
    registers = {r.citizen_id: r for r in RegisterData.all_tenants.filter(municipality_id=municipality_id,
                                                                          citizen_id__in=chunk)}
    answers = screening_answers_for_citizens(municipality_id=municipality_id, citizen_ids=chunk)
    objected = profiling_objected_users(user_ids=[c.user_id for c in citizens])
    rows = []
    for citizen in citizens:
        register = registers.get(citizen.pk)
        inputs: dict = {"register": _register_snapshot(register),
                        "answers": _answers_snapshot(answers.get(citizen.pk))}
        education = education_of(inputs)
        if education not in period_weeks:
            period_weeks[education] = first_period_weeks(municipality_id=municipality_id, education_level=education)
        inputs["first_period_weeks"] = period_weeks[education]
        if citizen.user_id in objected:
            omitted = "objected"  # Art. 21 GDPR: no score is computed at all, not merely hidden.
        elif register is None:
            omitted = "no_register_data"
        elif version is None:
            omitted = "no_model"
        else:
            omitted = ""
        rows.append((citizen, inputs, omitted))
    scored = [i for i, (_c, _inputs, omitted) in enumerate(rows) if not omitted]
    scores: dict[int, float] = {}
    if scored:
        predicted = riskmodel.predict(estimator, feature_matrix([rows[i][1] for i in scored]))
        scores = {i: float(p) for i, p in zip(scored, predicted, strict=True)}
    suggestions = []
    for i, (citizen, inputs, omitted) in enumerate(rows):
        risk_score = scores.get(i)
        thresholds = evaluation.thresholds_for(version.model_card, inputs) if risk_score is not None else None
        level, tags = explain(inputs, risk_score, omitted, thresholds)
        if level not in tracks:
            tracks[level] = track_for_level(municipality_id=municipality_id, level=level)
        suggestions.append(Suggestion(
            municipality_id=municipality_id, citizen=citizen, track=tracks[level], reason=reason, tags=tags,
            inputs=inputs, risk_score=None if risk_score is None else round(risk_score, 4), risk_omitted=omitted,
            model_version=version if risk_score is not None else None))
    with transaction.atomic():
        Suggestion.all_tenants.filter(municipality_id=municipality_id, citizen_id__in=[c.pk for c in citizens],
                                      status=Suggestion.Status.PENDING).update(status=Suggestion.Status.SUPERSEDED)
        Suggestion.all_tenants.bulk_create(suggestions, batch_size=1000)
        if now is not None:
            Suggestion.all_tenants.filter(pk__in=[s.pk for s in suggestions]).update(created_at=now)
        # The text and link are the same for everyone: rendered once, then addressed to each citizen.
        first = _render_notice(citizens[0], "", _suggestion_notice_texts, "segmentation:my_track", slug)
        notices = tuple(dataclasses.replace(first, citizen_id=s.citizen_id, citizen_user_id=s.citizen.user_id,
                                            subject_key=f"segmentation-suggestion:{s.pk}") for s in suggestions)
        publish_on_commit(CitizenNotices(municipality_id=municipality_id, notices=notices))
    return len(suggestions)


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
