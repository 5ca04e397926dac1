"""job_log_counts_by_citizen: the same counts whether the citizens are sent as ids or the municipality is
counted in one pass (experiment results over a whole municipality)."""

from __future__ import annotations

import datetime

import pytest

from jobunivers.citizens import selectors
from jobunivers.citizens.models import JobLogEntry
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.context import tenant_context

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("one_pass", [5000, 1])
def test_applications_since_a_day_of_the_asked_citizens_only(world, monkeypatch, one_pass):
    monkeypatch.setattr(selectors, "ONE_PASS", one_pass)
    asked, quiet, not_asked = (CitizenFactory(municipality=world.home) for _n in range(3))
    since = datetime.date(2026, 3, 1)
    for citizen, day, kind in [(asked, since, "application"), (asked, since + datetime.timedelta(days=3), "application"),
                               (asked, since - datetime.timedelta(days=1), "application"),
                               (quiet, since, "other"), (not_asked, since, "application")]:
        JobLogEntry.all_tenants.create(municipality=world.home, citizen=citizen, employer="Firma", job_title="Job",
                                       occurred_on=day, kind=kind)
    with tenant_context(world.home.pk):
        counts = selectors.job_log_counts_by_citizen(citizen_ids=[asked.pk, quiet.pk], since=since)
    assert counts == {asked.pk: 2}
