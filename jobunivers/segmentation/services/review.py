"""The monthly fairness review (issue 21): the active model judged on decided cases whose outcome
is now known, at the production thresholds, per group, with intervals. National, like the model
(ADR 0051): it reads all municipalities on purpose and stores aggregates only."""

from __future__ import annotations

import datetime

import numpy as np
from django.utils import timezone

from jobunivers.citizens.models import Citizen

from .. import evaluation
from ..models import Decision, FairnessGroup, FairnessReview, RegisterData, RiskModelVersion, Suggestion

# The two values of a group the municipality defined by the platform's attributes.
IN_GROUP, REST = "in_group", "rest"


def fairness_review_run(*, today: datetime.date | None = None) -> FairnessReview | None:
    """Review the active model on its decided suggestions with a known outcome. The label is the
    training label: still unemployed at the horizon after registering. Thresholds are the card's
    (per age band where the card carries that mitigation). Writes one review for all
    municipalities together and one per municipality that has such cases (issue 21: monthly, on
    decided cases, per municipality); returns the national one. None when no model is active."""
    active = RiskModelVersion.objects.filter(status=RiskModelVersion.Status.ACTIVE).defer("artifact").first()
    if active is None:
        return None
    today = today or timezone.localdate()
    horizon = datetime.timedelta(weeks=active.horizon_weeks)
    decided = dict(Decision.all_tenants.filter(suggestion__model_version=active)
                   .values_list("suggestion_id", "created_at"))
    rows = list(Suggestion.all_tenants.filter(pk__in=list(decided), risk_score__isnull=False)
                .values_list("pk", "citizen_id", "risk_score", "inputs", "municipality_id"))
    registers = {r.citizen_id: r for r in RegisterData.all_tenants.filter(
        citizen_id__in=[row[1] for row in rows])}
    citizens = {pk: (gender, postcode) for pk, gender, postcode in Citizen.all_tenants.filter(
        pk__in=list(registers)).values_list("id", "gender", "postcode__code")}
    cases: list[dict] = []
    for pk, citizen_id, score, inputs, municipality_id in rows:
        register = registers.get(citizen_id)
        if register is None:
            continue
        if register.outcome and register.outcome_on and register.outcome_on - register.registered_on <= horizon:
            label = 0
        elif register.registered_on + horizon <= today:
            label = 1
        else:
            continue  # the outcome is not known yet
        cases.append({"municipality_id": municipality_id, "label": label, "score": float(score or 0.0),
                      "cuts": evaluation.thresholds_for(active.model_card, inputs),
                      "date": timezone.localdate(decided[pk]), "gender": citizens.get(citizen_id, ("", ""))[0],
                      "origin": register.origin, "age_band": register.age_band, "own": register.groups or {},
                      "postcode": citizens.get(citizen_id, ("", ""))[1] or "", "benefit_type": register.benefit_type,
                      "education_level": register.education_level})
    national = _store(active, None, cases, today)
    for municipality_id in sorted({case["municipality_id"] for case in cases}):
        # The municipality's own groups (issue 21), in its review only: another municipality's
        # column of the same name may mean something else.
        own = list(FairnessGroup.all_tenants.filter(municipality_id=municipality_id))
        _store(active, municipality_id, [case for case in cases if case["municipality_id"] == municipality_id],
               today, own_groups=own)
    return national


def _own_value(group: FairnessGroup, case: dict) -> str:
    """A case's value for the municipality's own group: its register column, or, for a group
    defined by the platform's attributes, whether it is in the group or in the rest."""
    if not group.is_defined:
        return str(case["own"].get(group.key, ""))
    inside = group.contains(postcode=case["postcode"], age_band=case["age_band"], benefit_type=case["benefit_type"],
                            education_level=case["education_level"])
    return IN_GROUP if inside else REST


def _store(active: RiskModelVersion, municipality_id: int | None, cases: list[dict],
           today: datetime.date, *, own_groups: list[FairnessGroup] | None = None) -> FairnessReview:
    y = np.array([case["label"] for case in cases], dtype=int)
    p = np.array([case["score"] for case in cases], dtype=float)
    groups = {name: np.array([case[name] for case in cases]) for name in ("gender", "origin", "age_band")}
    for group in own_groups or []:
        groups[group.key] = np.array([_own_value(group, case) for case in cases])
    report = {}
    for level, threshold in evaluation.PRODUCTION_THRESHOLDS.items():
        if not cases:
            report[level] = {"threshold": threshold, "fairness": {}}
            continue
        # Each person's own threshold, expressed as a shift of the score to the production one.
        shifted = p - np.array([case["cuts"][level] for case in cases], dtype=float) + threshold
        report[level] = evaluation.at_thresholds(y, shifted, groups, thresholds={level: threshold})[level]
    dates = [case["date"] for case in cases]
    return FairnessReview.objects.create(
        model_version=active, municipality_id=municipality_id, period_from=min(dates, default=today),
        period_to=max(dates, default=today), cases=len(cases), report=report)
