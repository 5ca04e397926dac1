"""The monthly fairness review (issue 21): the active model judged on decided cases whose outcome
is now known, at the production thresholds, per group, with intervals. National, like the model
(ADR 0051): it reads all municipalities on purpose and stores aggregates only."""

from __future__ import annotations

import datetime

import numpy as np
from django.utils import timezone

from jobunivers.citizens.models import Citizen

from .. import evaluation
from ..models import Decision, FairnessReview, RegisterData, RiskModelVersion, Suggestion


def fairness_review_run(*, today: datetime.date | None = None) -> FairnessReview | None:
    """Review the active model on its decided suggestions with a known outcome. The label is the
    training label: still unemployed at the horizon after registering. Thresholds are the card's
    (per age band where the card carries that mitigation). None when no model is active."""
    active = RiskModelVersion.objects.filter(status=RiskModelVersion.Status.ACTIVE).defer("artifact").first()
    if active is None:
        return None
    today = today or timezone.localdate()
    horizon = datetime.timedelta(weeks=active.horizon_weeks)
    decided = dict(Decision.all_tenants.filter(suggestion__model_version=active)
                   .values_list("suggestion_id", "created_at"))
    rows = (Suggestion.all_tenants.filter(pk__in=list(decided), risk_score__isnull=False)
            .values_list("pk", "citizen_id", "risk_score", "inputs"))
    registers = {r.citizen_id: r for r in RegisterData.all_tenants.filter(
        citizen_id__in=[citizen_id for _pk, citizen_id, _score, _inputs in rows])}
    genders = dict(Citizen.all_tenants.filter(pk__in=list(registers)).values_list("id", "gender"))
    labels, scores, cuts_medium, cuts_high, dates = [], [], [], [], []
    groups: dict[str, list] = {"gender": [], "origin": [], "age_band": []}
    for pk, citizen_id, score, inputs in rows:
        register = registers.get(citizen_id)
        if register is None:
            continue
        if register.outcome and register.outcome_on and register.outcome_on - register.registered_on <= horizon:
            label = 0
        elif register.registered_on + horizon <= today:
            label = 1
        else:
            continue  # the outcome is not known yet
        thresholds = evaluation.thresholds_for(active.model_card, inputs)
        labels.append(label)
        scores.append(float(score or 0.0))  # risk_score__isnull=False above
        cuts_medium.append(thresholds["medium"])
        cuts_high.append(thresholds["high"])
        dates.append(timezone.localdate(decided[pk]))
        groups["gender"].append(genders.get(citizen_id, ""))
        groups["origin"].append(register.origin)
        groups["age_band"].append(register.age_band)
    y, p = np.array(labels, dtype=int), np.array(scores, dtype=float)
    report = {}
    for level, cuts in (("medium", cuts_medium), ("high", cuts_high)):
        # Each person's own threshold, expressed as a shift of the score to the production one.
        threshold = evaluation.PRODUCTION_THRESHOLDS[level]
        shifted = p - np.array(cuts, dtype=float) + threshold if len(p) else p
        report[level] = evaluation.at_thresholds(
            y, shifted, {name: np.array(values) for name, values in groups.items()},
            thresholds={level: threshold})[level] if len(p) else {"threshold": threshold, "fairness": {}}
    return FairnessReview.objects.create(
        model_version=active, period_from=min(dates, default=today), period_to=max(dates, default=today),
        cases=len(labels), report=report)
