"""core.bulk on the journey tables: many rows at once, what a unique constraint holds skipped, values as the ORM writes them."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jobunivers.core.bulk import insert_rows_ignoring_conflicts
from jobunivers.journeys.models import Exposure
from jobunivers.journeys.tests.factories import journey, on_track, two_arms

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)


def test_rows_are_written_with_their_values_timestamps_and_conflicts_skipped(municipality, admin):
    # given an experiment and two citizens, one of them already exposed
    journey(municipality, admin, experiment=two_arms(holdout=0))
    from jobunivers.journeys.models import Experiment

    experiment = Experiment.all_tenants.get()
    first, second = on_track(municipality), on_track(municipality)
    insert_rows_ignoring_conflicts(Exposure, [dict(municipality_id=municipality.pk, experiment_id=experiment.pk,
                                                   citizen_id=first.pk, arm="a", exposed_at=WHEN)])
    before = timezone.now()
    # when both are inserted again, the first with another arm
    written = insert_rows_ignoring_conflicts(Exposure, [
        dict(municipality_id=municipality.pk, experiment_id=experiment.pk, citizen_id=first.pk, arm="b",
             exposed_at=WHEN),
        dict(municipality_id=municipality.pk, experiment_id=experiment.pk, citizen_id=second.pk, arm="b",
             exposed_at=WHEN)], returning=["citizen"])
    # then only the second is written, and the first keeps its arm
    assert written == [(second.pk,)]
    rows = {e.citizen_id: e for e in Exposure.all_tenants.all()}
    assert (rows[first.pk].arm, rows[second.pk].arm) == ("a", "b")
    assert rows[second.pk].exposed_at == WHEN
    assert rows[second.pk].created_at >= before and rows[second.pk].updated_at == rows[second.pk].created_at


def test_an_unknown_field_is_refused_before_anything_is_written(municipality):
    with pytest.raises(TypeError, match="has no field 'colour'"):
        insert_rows_ignoring_conflicts(Exposure, [dict(municipality_id=municipality.pk, colour="red")])
    assert Exposure.all_tenants.count() == 0
