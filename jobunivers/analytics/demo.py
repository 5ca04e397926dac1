"""Demo data for "what worked for people like you" (ADR 0130) under `make run`, clearly demo: in each demo
municipality, 24 demo citizens (borger-002 to borger-025) seek the same first occupation as the demo citizen
borger-001, found a job today (register rows with references "DEMO-LIGNER-DIG-…"), 21 of them as that occupation
and 21 after starting the same national learning module; borger-001 has said yes to the figures. Then the
national figures are built, so borger-001's start page shows the slot. Runs once (core.demo registry)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from jobunivers.core.demo import register

COHORT = range(2, 26)  # borger-002 .. borger-025: 24 people, above the 20 a figure needs
FOUND_AS_MAIN = 21     # found a job as the persona's first occupation (the other 3 do not make a figure)
USED_MODULE = 21       # started the first national learning module before the job


@register("people_like_you", order=100)
def load(*, rng, stdout):
    from jobunivers.core.context import tenant_context
    from jobunivers.tenancy.selectors import active_municipalities

    from .peoplelikeyou import people_like_you_build

    today = timezone.localdate()
    personas = 0
    for municipality in active_municipalities().filter(is_demo=True).order_by("code"):
        with tenant_context(municipality):
            personas += _cohort(municipality, today=today)
    report = people_like_you_build(today=today)
    stdout.write(f"  people like you: {personas} demo citizens see the figures; {report.keys} profile keys, "
                 f"{report.figures} figures")


def _cohort(municipality, *, today: datetime.date) -> int:
    """1 when the municipality's demo citizen borger-001 got a cohort and said yes to the figures, else 0."""
    from jobunivers.audit.services import consent_set
    from jobunivers.citizens.selectors import citizen_for_user, profile_for
    from jobunivers.citizens.services import profile_occupation_add, profile_occupation_remove
    from jobunivers.learning.selectors import modules_for
    from jobunivers.learning.services import enrol

    from .home import CONSENT_PURPOSE
    from .models import ExitReason, OutcomeSource, UnemploymentSpell

    users = get_user_model().objects
    persona = users.filter(username=f"demo-{municipality.slug}-borger-001").first()
    citizen = citizen_for_user(user=persona) if persona else None
    profile = profile_for(citizen_id=citizen.pk) if citizen else None
    main = next((o for o in (profile.occupations if profile else ()) if o.isco_code), None)
    if persona is None or main is None:
        return 0
    national = [m for m in modules_for(municipality_id=municipality.pk) if m.owner_municipality_id is None]
    for number in COHORT:
        user = users.filter(username=f"demo-{municipality.slug}-borger-{number:03d}").first()
        other = citizen_for_user(user=user) if user else None
        if other is None:
            continue
        # Seeks the persona's occupation, and only that one, so it is their first (main) wish.
        wished = profile_for(citizen_id=other.pk)
        for sought in (wished.occupations if wished else ()):
            profile_occupation_remove(actor=user, citizen=other, occupation_id=sought.occupation_id)
        profile_occupation_add(actor=user, citizen=other, occupation_id=main.occupation_id)
        index = number - COHORT.start
        if national and index < USED_MODULE:
            enrol(actor=user, citizen=other, module_id=national[0].pk)
        UnemploymentSpell.all_tenants.update_or_create(
            municipality_id=other.municipality_id, source=OutcomeSource.REGISTER,
            reference=f"DEMO-LIGNER-DIG-{other.pk}",
            defaults={"citizen": other, "started_on": min(other.registered_on or today, today)
                      - datetime.timedelta(days=30), "ended_on": today, "exit_reason": ExitReason.JOB,
                      "job_occupation_id": main.occupation_id if index < FOUND_AS_MAIN else None})
    consent_set(user=persona, purpose=CONSENT_PURPOSE, given=True)
    return 1
