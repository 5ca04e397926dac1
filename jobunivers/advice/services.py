"""Every write of the advice app: computing and storing diagnoses, and the citizen's answers to steps.

The diagnosis is help: computing it never changes a track, a plan or an availability state, and no
other app reads it to decide anything about the citizen (docs/adr/0086).
"""

from __future__ import annotations

import datetime
import json

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.core.errors import NotFound, ValidationFailed

from . import permissions
from .diagnosis import findings_for
from .facts import MarketIndex, gather, market_index_for
from .models import Diagnosis, StepAnswer, StepResponse
from .modules import MODULES_BY_KEY


def diagnoses_compute(*, first_id: int, last_id: int, market: MarketIndex, today: datetime.date | None = None,
                      neighbours: dict | None = None) -> int:
    """Compute and store the diagnoses of the citizens with ids first_id..last_id (any municipality: the
    weekly run and the recompute after a change pass ids, never a request). One upsert per batch."""
    today = today or timezone.localdate()
    rows = [(facts.municipality_id, facts.citizen_id, json.dumps(findings_for(facts)),
             json.dumps(facts.as_dict(), separators=(",", ":")))
            for facts in gather(first_id=first_id, last_id=last_id, today=today, market=market,
                                neighbours=neighbours)]
    _upsert(rows, now=timezone.now())
    return len(rows)


def _upsert(rows: list[tuple[int, int, str, str]], *, now: datetime.datetime) -> None:
    """INSERT ... ON CONFLICT (citizen) DO UPDATE in one executemany (SQLite >= 3.24 and PostgreSQL).
    Written by hand because bulk_create spent two thirds of the weekly run preparing each value;
    the values here are already JSON text and one timestamp for the whole batch."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(Diagnosis._meta.db_table)
    json_value = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    stamp = connection.ops.adapt_datetimefield_value(now)
    # Only quoted names of our own table and columns go into the text; every value is a parameter.
    sql = (f"INSERT INTO {table} ({quote('municipality_id')}, {quote('citizen_id')}, {quote('findings')}, "  # noqa: S608
           f"{quote('facts')}, {quote('computed_at')}, {quote('created_at')}, {quote('updated_at')}) "
           f"VALUES (%s, %s, {json_value}, {json_value}, %s, %s, %s) "
           f"ON CONFLICT ({quote('citizen_id')}) DO UPDATE SET {quote('findings')} = excluded.{quote('findings')}, "
           f"{quote('facts')} = excluded.{quote('facts')}, {quote('computed_at')} = excluded.{quote('computed_at')}, "
           f"{quote('updated_at')} = excluded.{quote('updated_at')}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, [(*row, stamp, stamp, stamp) for row in rows])


def diagnosis_recompute(*, citizen_id: int) -> int:
    """One citizen's diagnosis after their facts changed (the market index holds only their occupations)."""
    from jobunivers.citizens.selectors import seeker_profiles

    profile = seeker_profiles(first_id=citizen_id, last_id=citizen_id).get(citizen_id)
    market = market_index_for(profile.occupation_ids if profile else ())
    return diagnoses_compute(first_id=citizen_id, last_id=citizen_id, market=market)


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
