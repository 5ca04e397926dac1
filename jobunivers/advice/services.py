"""Every write of the advice app: computing and storing diagnoses, and the citizen's answers to steps.

The diagnosis is help: computing it never changes a track, a plan or an availability state, and no
other app reads it to decide anything about the citizen (docs/adr/0086).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.core.errors import NotFound, ValidationFailed

from . import permissions
from .diagnosis import findings_for
from .facts import MarketIndex, gather, market_index_for
from .models import Diagnosis, StepAnswer, StepResponse
from .modules import MODULES_BY_KEY


def diagnoses_compute(*, citizen_ids: list[int], market: MarketIndex, today: datetime.date | None = None,
                      neighbours: dict | None = None) -> int:
    """Compute and store the diagnoses of these citizens (any municipality: the weekly run and the
    recompute after a change pass ids, never a request). One upsert per batch; returns the number."""
    today = today or timezone.localdate()
    now = timezone.now()
    rows = [Diagnosis(citizen_id=facts.citizen_id, municipality_id=facts.municipality_id, computed_at=now,
                      findings=findings_for(facts), facts=facts.as_dict())
            for facts in gather(citizen_ids=citizen_ids, today=today, market=market, neighbours=neighbours)]
    with transaction.atomic():
        Diagnosis.all_tenants.bulk_create(rows, update_conflicts=True, unique_fields=["citizen"],
                                          update_fields=["computed_at", "findings", "facts", "updated_at"])
    return len(rows)


def diagnosis_recompute(*, citizen_id: int) -> int:
    """One citizen's diagnosis after their facts changed (the market index holds only their occupations)."""
    from jobunivers.citizens.selectors import profiles_of

    profile = profiles_of(citizen_ids=[citizen_id]).get(citizen_id)
    market = market_index_for(profile.occupation_ids if profile else ())
    return diagnoses_compute(citizen_ids=[citizen_id], market=market)


def step_answer(*, actor, citizen, module: str, step: str, answer: str) -> StepResponse:
    """The citizen marks a next step done or "not for me" (a second answer replaces the first)."""
    if not permissions.can_answer_step(actor, citizen):
        raise NotFound
    found = MODULES_BY_KEY.get(module)
    errors: dict[str, list[str]] = {}
    if found is None or step not in {s.key for s in found.steps}:
        errors["step"] = [_("Unknown step.")]
    if answer not in StepAnswer.values:
        errors["answer"] = [_("Choose done or not for me.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        response, _created = StepResponse.all_tenants.update_or_create(
            citizen=citizen, module=module, step=step,
            defaults={"answer": answer, "municipality_id": citizen.municipality_id})
    return response


def step_answer_withdraw(*, actor, citizen, module: str, step: str) -> None:
    """The citizen takes an answer back: the step shows again."""
    if not permissions.can_answer_step(actor, citizen):
        raise NotFound
    StepResponse.all_tenants.filter(citizen=citizen, module=module, step=step).delete()
