"""The risk model's features: at most about 25, each with a written reason (docs/segmentation.md).

Pure functions over the inputs snapshot stored with each suggestion, so training, scoring,
the simulator and `segmentation_evaluate` share one definition. Unknown values are NaN: the
gradient-boosting model handles missing values itself, and we never invent an answer.

Gender and origin are deliberately NOT features (ADR 0052): they are kept only to measure
fairness on the model card.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

AGE_BANDS = ["18-24", "25-29", "30-39", "40-49", "50-54", "55-59", "60+"]
EDUCATION_LEVELS = ["primary", "upper_secondary", "vocational", "short_cycle", "bachelor", "master"]
DIGITAL_SKILLS = ["needs_help", "basic", "confident"]
SKILLED_EDUCATION = {"vocational", "short_cycle", "bachelor", "master"}


@dataclass(frozen=True)
class Feature:
    name: str
    reason: str  # why it is there (English; the documentation carries the Danish version)


FEATURES: tuple[Feature, ...] = (
    Feature("age_band", "Long unemployment is more frequent among older job seekers; a band, not the exact age."),
    Feature("education_level", "Education is among the strongest known predictors of re-employment."),
    Feature("unemployment_weeks_last_3_years", "Earlier long unemployment predicts long unemployment again."),
    Feature("unemployment_spells_last_3_years", "Many short spells indicate an unstable attachment to work."),
    Feature("benefit_kontanthjaelp", "Social assistance recipients are, on average, further from the labour market."),
    Feature("benefit_none", "Citizens without benefit register for other reasons and leave faster."),
    Feature("weeks_since_last_job", "The longer since the last job, the harder the return."),
    Feature("never_worked", "No work history at all is a separate, strong signal."),
    Feature("isco_major_group", "Demand differs between occupation groups (ISCO-08 major group)."),
    Feature("self_assessed_chances", "Citizens' own assessment predicts outcomes well (NAV, Sweden)."),
    Feature("expected_weeks_to_job", "The citizen's own expectation of how long it takes."),
    Feature("job_search_confidence", "Confidence in job search predicts search effort."),
    Feature("barrier_count", "The number of barriers the citizen names."),
    Feature("barrier_health", "Health problems are the barrier most strongly linked to long unemployment."),
    Feature("barrier_language", "Limited Danish restricts which jobs are open."),
    Feature("barrier_childcare", "Care duties limit hours and travel."),
    Feature("barrier_experience", "Little relevant experience lengthens the search."),
    Feature("barrier_transport", "Lack of transport limits the search area."),
    Feature("digital_skills", "Citizens who need help to use digital tools benefit less from self-service."),
    Feature("wants_personal_contact", "A stated wish for personal contact; also a rule in the suggestion."),
)
FEATURE_NAMES: tuple[str, ...] = tuple(f.name for f in FEATURES)
assert len(FEATURES) <= 25, "The issue caps the model at about 25 features, each with a reason."

NAN = float("nan")


def _index(values: list[str], value) -> float:
    try:
        return float(values.index(value))
    except ValueError:
        return NAN


def _number(value) -> float:
    if value is None or value == "":
        return NAN
    try:
        number = float(value)
    except (TypeError, ValueError):
        return NAN
    return number if math.isfinite(number) else NAN


def education_of(inputs: dict) -> str:
    """The register's education level when known, else the citizen's own answer."""
    register = inputs.get("register") or {}
    answers = inputs.get("answers") or {}
    return register.get("education_level") or answers.get("education_level") or ""


def feature_row(inputs: dict) -> list[float]:
    """One row of features from a suggestion's inputs snapshot ({"register": ..., "answers": ...})."""
    register = inputs.get("register") or {}
    answers = inputs.get("answers") or {}
    barriers = set(answers.get("barriers") or ()) if answers else set()
    benefit = register.get("benefit_type")
    weeks_since = register.get("weeks_since_last_job") if register else None
    isco = str(register.get("previous_isco") or "")
    has_register = bool(register)
    has_answers = bool(answers)
    return [
        _index(AGE_BANDS, register.get("age_band")),
        _index(EDUCATION_LEVELS, education_of(inputs)),
        _number(register.get("unemployment_weeks_last_3_years")),
        _number(register.get("unemployment_spells_last_3_years")),
        (1.0 if benefit == "kontanthjaelp" else 0.0) if has_register else NAN,
        (1.0 if benefit == "none" else 0.0) if has_register else NAN,
        _number(weeks_since),
        (1.0 if weeks_since is None else 0.0) if has_register else NAN,
        float(int(isco[0])) if isco[:1].isdigit() else NAN,
        _number(answers.get("self_assessed_chances")),
        _number(answers.get("expected_weeks_to_job")),
        _number(answers.get("job_search_confidence")),
        float(len(barriers)) if has_answers else NAN,
        *[(1.0 if code in barriers else 0.0) if has_answers else NAN
          for code in ("health", "language", "childcare", "experience", "transport")],
        _index(DIGITAL_SKILLS, answers.get("digital_skills")),
        (1.0 if answers.get("wants_personal_contact") else 0.0) if has_answers else NAN,
    ]


def feature_matrix(inputs_list: list[dict]) -> np.ndarray:
    if not inputs_list:
        return np.empty((0, len(FEATURE_NAMES)))
    return np.asarray([feature_row(inputs) for inputs in inputs_list], dtype=float)
