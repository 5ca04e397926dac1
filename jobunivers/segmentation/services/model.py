"""The national model registry (ADR 0051): register, promote, and train from outcomes or the simulator."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.citizens.models import Citizen
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.roles import Role

from .. import evaluation, riskmodel
from ..features import FEATURE_NAMES, FEATURES, feature_matrix
from ..models import RegisterData, RiskModelVersion, Suggestion

# --- Model registry -----------------------------------------------------------------------------


def _next_version() -> int:
    return (RiskModelVersion.objects.aggregate(m=Max("version"))["m"] or 0) + 1


def model_register(*, result: riskmodel.TrainResult, horizon_weeks: int, is_synthetic: bool,
                   training_period: tuple[str, str], source: str) -> RiskModelVersion:
    """Store a trained model as a candidate with its model card. A mitigation may only use an
    attribute the suggestion already has as an input (ADR 0054)."""
    attribute = (result.card.get("mitigation") or {}).get("attribute")
    if attribute is not None and attribute not in evaluation.MITIGATION_ATTRIBUTES:
        raise ValidationFailed(_("Thresholds by %(attribute)s may not be used in decisions (ADR 0054).")
                               % {"attribute": attribute})
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
        ok, problems = riskmodel.not_worse(candidate.model_card, active.model_card if active else None,
                                           active_version=active.version if active else None)
        if not ok:
            raise ValidationFailed(_("The candidate cannot be promoted: %(metrics)s")
                                   % {"metrics": "; ".join(problems)})
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


def _active_reference() -> dict:
    """The active model, to be scored on the candidate's own holdout (compare like with like)."""
    active = RiskModelVersion.objects.filter(status=RiskModelVersion.Status.ACTIVE).first()
    if active is None or active.model_card.get("features") != list(FEATURE_NAMES):
        return {}
    from .screening import _load_estimator

    return {"reference_estimator": _load_estimator(active), "reference_version": active.version}


def model_train_from_outcomes(*, horizon_weeks: int = 26, select_model: bool = False,
                              mitigate: str | None = None, compare: tuple[str, ...] = ()) -> RiskModelVersion:
    data = training_data_from_outcomes(horizon_weeks=horizon_weeks)
    result = riskmodel.train_and_evaluate(data.X, data.y, feature_names=list(FEATURE_NAMES),
                                          entry_times=data.entry_times, event_times=data.event_times,
                                          groups=data.groups, refit_on_all=True, select_model=select_model,
                                          mitigate=mitigate, compare=[c for c in compare if c in data.groups],
                                          **_active_reference())
    return model_register(result=result, horizon_weeks=horizon_weeks, is_synthetic=False,
                          training_period=data.period, source="platform outcomes")


def model_train_synthetic(*, n: int, seed: int = 0, horizon_weeks: int = 26, select_model: bool = False,
                          mitigate: str | None = None, compare: tuple[str, ...] = (),
                          model_kind: str = "boosting") -> RiskModelVersion:
    """A model trained on the SYNTHETIC simulator (demo and development only; labelled synthetic)."""
    from ..simulator import simulate

    population = simulate(n, seed=seed, horizon_weeks=horizon_weeks)
    result = riskmodel.train_and_evaluate(
        population.features, population.still_unemployed, feature_names=list(FEATURE_NAMES),
        entry_times=population.registered_day.astype(float), event_times=population.outcome_day,
        groups={"gender": population.gender, "age_band": population.age_band, "origin": population.origin},
        refit_on_all=True, select_model=select_model, mitigate=mitigate, compare=list(compare),
        model_kind=model_kind, **_active_reference())
    start = datetime.date(2024, 1, 1)
    period = (start.isoformat(), (start + datetime.timedelta(days=int(population.registered_day.max()))).isoformat())
    return model_register(result=result, horizon_weeks=horizon_weeks, is_synthetic=True, training_period=period,
                          source=f"synthetic simulator, n={n}, seed={seed}")
