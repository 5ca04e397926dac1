"""Reads of the advice app: the citizen's own diagnosis, staff's access-logged view of it, the market
around the citizen, and the per-module statistics.

A citizen's page reads the stored diagnosis (three queries); if none is stored yet (a new citizen
before the weekly run or the recompute after a change), it is computed for the page without being
stored (reads never write). Staff read it through `access_diagnosis`, which writes the access-log
entry in the same transaction (ADR 0064).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from jobunivers.core.errors import NotFound

from . import permissions
from .contracts import DiagnosisView, ModuleFigures
from .diagnosis import findings_for, render
from .facts import CitizenFacts, gather, market_index_for
from .models import Diagnosis, StepResponse
from .modules import MODULES


def _labels(facts: CitizenFacts) -> dict[int, str]:
    from jobunivers.taxonomy.selectors import occupation_labels

    ids = [*facts.occupation_ids, *([facts.neighbour_occupation_id] if facts.neighbour_occupation_id else [])]
    return {pk: label.text for pk, label in occupation_labels(ids).items()} if ids else {}


def answers_of(*, citizen) -> dict[tuple[str, str], str]:
    return {(module, step): answer for module, step, answer in StepResponse.all_tenants.filter(
        citizen=citizen).values_list("module", "step", "answer")}


def _facts_now(citizen) -> CitizenFacts | None:
    from jobunivers.citizens.selectors import seeker_profiles

    profile = seeker_profiles(first_id=citizen.pk, last_id=citizen.pk).get(citizen.pk)
    found = gather(first_id=citizen.pk, last_id=citizen.pk, today=timezone.localdate(),
                   market=market_index_for(profile.occupation_ids if profile else ()))
    return found[0] if found else None


def _view(citizen) -> DiagnosisView:
    stored = Diagnosis.all_tenants.filter(citizen_id=citizen.pk).values("findings", "facts", "computed_at").first()
    if stored is not None:
        facts = CitizenFacts.from_dict(stored["facts"])
        findings, computed_at = stored["findings"], stored["computed_at"]
    else:
        now = _facts_now(citizen)
        if now is None:
            raise NotFound
        facts, findings, computed_at = now, findings_for(now), None
    return render(citizen_id=citizen.pk, findings=findings, facts=facts, labels=_labels(facts),
                  answers=answers_of(citizen=citizen), computed_at=computed_at)


def own_diagnosis(*, actor, citizen) -> DiagnosisView:
    """The citizen's own diagnosis (the citizen only: staff use access_diagnosis)."""
    if not permissions.can_answer_step(actor, citizen):
        raise NotFound
    return _view(citizen)


def own_facts(*, actor, citizen) -> CitizenFacts:
    """The facts behind the citizen's diagnosis, for "Hvorfor ser jeg dette?" and the market page."""
    if not permissions.can_answer_step(actor, citizen):
        raise NotFound
    stored = Diagnosis.all_tenants.filter(citizen_id=citizen.pk).values_list("facts", flat=True).first()
    facts = CitizenFacts.from_dict(stored) if stored is not None else _facts_now(citizen)
    if facts is None:
        raise NotFound
    return facts


@transaction.atomic
def access_diagnosis(*, actor, citizen_id: int, purpose: str) -> DiagnosisView:
    """A citizen's diagnosis for staff of their municipality, access-logged in the same transaction;
    missing, another municipality's and forbidden look the same (NotFound)."""
    from jobunivers.citizens.selectors import access_citizen

    citizen = access_citizen(actor=actor, id=citizen_id, purpose=purpose, what="personal diagnosis")
    return _view(citizen)


def module_statistics(*, actor, municipality_id: int) -> list[ModuleFigures]:
    """Per module: citizens whose current diagnosis has it, and the answers to its steps (counts only,
    1 to 4 suppressed as None); staff and administrators of the municipality, anyone else NotFound."""
    if not permissions.can_view_module_statistics(actor, municipality_id):
        raise NotFound
    fired = _fired_per_module(municipality_id)
    answers: dict[tuple[str, str], int] = {}
    for row in (StepResponse.all_tenants.filter(municipality_id=municipality_id).values("module", "answer")
                .annotate(n=Count("id"))):
        answers[(row["module"], row["answer"])] = row["n"]
    return [ModuleFigures(module=m.key, topic=m.topic, fired=_suppressed(fired.get(m.key, 0)),
                          done=_suppressed(answers.get((m.key, "done"), 0)),
                          not_for_me=_suppressed(answers.get((m.key, "not_for_me"), 0))) for m in MODULES]


# On PostgreSQL counted inside the database (0.4 s for 117,000 citizens against 1.2 s reading and decoding
# every diagnosis' findings in Python). SQLite stores JSON as text, and its json_each was slower than Python
# (5.1 s against 2.7 s), so there the findings are counted in Python. Findings are written only by
# services.diagnoses_compute as a list of objects with a "module" key; anything else is skipped.
_FIRED_SQL = {
    "postgresql": ("SELECT f.value ->> 'module', COUNT(*) FROM advice_diagnosis d "
                   "CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(d.findings) = 'array' "
                   "THEN d.findings ELSE '[]'::jsonb END) f WHERE d.municipality_id = %s GROUP BY 1"),
}


def _fired_per_module(municipality_id: int) -> dict[str, int]:
    from django.db import connection

    sql = _FIRED_SQL.get(connection.vendor)
    if sql is None:
        fired: dict[str, int] = {}
        for findings in (Diagnosis.all_tenants.filter(municipality_id=municipality_id)
                         .values_list("findings", flat=True).iterator()):
            for finding in findings if isinstance(findings, list) else ():
                if isinstance(finding, dict) and finding.get("module"):
                    fired[finding["module"]] = fired.get(finding["module"], 0) + 1
        return fired
    with connection.cursor() as cursor:
        cursor.execute(sql, [municipality_id])
        return {module: count for module, count in cursor.fetchall() if module}


def _suppressed(count: int) -> int | None:
    from .market import suppressed

    return None if suppressed(count) else count


def own_market(*, actor, citizen):
    """The market around the citizen (market.Market), or None without occupations or home postcode."""
    from jobunivers.citizens.selectors import seeker_profiles
    from jobunivers.taxonomy.selectors import neighbour_occupations, occupation_labels

    from .market import market_for

    facts = own_facts(actor=actor, citizen=citizen)
    profile = seeker_profiles(first_id=citizen.pk, last_id=citizen.pk).get(citizen.pk)
    if profile is None:
        return None
    neighbours = neighbour_occupations(facts.occupation_ids)
    ids = {*facts.occupation_ids, *(n for found in neighbours.values() for n in found)}
    labels = {pk: label.text for pk, label in occupation_labels(ids).items()}
    return market_for(facts=facts, latitude=profile.latitude, longitude=profile.longitude, labels=labels,
                      neighbours=neighbours)


LIKELY_EMPLOYERS_SHOWN = 5


def likely_employers_for(*, actor, citizen) -> list:
    """Employers likely to hire for the citizen's first occupation and home radius (the hidden job market),
    through the employers app's contract only; each comes with its reason and its page."""
    from jobunivers.employers.contracts import likely_employers

    if not permissions.can_answer_step(actor, citizen):
        raise NotFound
    return likely_employers(citizen, limit=LIKELY_EMPLOYERS_SHOWN)
