"""A municipality's citizens with register spells, register data and a test exposure source."""

from __future__ import annotations

import datetime
from contextlib import contextmanager

from jobunivers.analytics.exposures import EXPOSURES, ExposureSource, ServiceCount, ServiceUses
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.segmentation.tests.factories import register_data

from .factories import SpellFactory


@contextmanager
def exposure_source(name: str, services):
    """Register `services(municipality_id) -> list[ServiceUses]` as a source for the block (its counts are
    the number of citizens in each service's uses)."""
    def counts(municipality_id):
        return [ServiceCount(key=s.key, label=s.label, citizens=len(s.first_use)) for s in services(municipality_id)]

    EXPOSURES.register(name)(ExposureSource(uses=services, counts=counts))
    try:
        yield
    finally:
        EXPOSURES._items.pop(name, None)


def cohort(municipality, *, users: int, non_users: int, today: datetime.date, job_after_days=(40, 120),
           marker: str = ""):
    """Citizens whose register spell started 200 days ago; users used the service on day 3; users find a
    job after job_after_days[0] days, non-users after job_after_days[1] (every third is still open).
    Returns {citizen id: first use} for the users."""
    start = today - datetime.timedelta(days=200)
    uses: dict[int, datetime.date] = {}
    for index in range(users + non_users):
        citizen = CitizenFactory(municipality=municipality)
        register_data(citizen)
        used = index < users
        if index % 3 == 2:
            SpellFactory(citizen=citizen, started_on=start, reference=f"{marker}R{citizen.pk}")
        else:
            ended = start + datetime.timedelta(days=job_after_days[0] if used else job_after_days[1])
            SpellFactory(citizen=citizen, started_on=start, ended_on=ended, exit_reason="job",
                         reference=f"{marker}R{citizen.pk}")
        if used:
            uses[citizen.pk] = start + datetime.timedelta(days=3)
    return uses


def service(label: str, uses: dict, key: str = "test-service"):
    return lambda _municipality_id: [ServiceUses(key=key, label=label, first_use=uses)]
