"""The stored result of a journey experiment (experiment_json, journeys.snapshots, docs/adr/0160): what is read
back from the database equals what a live analysis gives, on both databases; anything it cannot read back
exactly is refused (and journeys computes again)."""

from __future__ import annotations

import datetime
import math
import random

import pytest
from django.utils import timezone, translation

from jobunivers.analytics import experiment_json
from jobunivers.analytics import experiment_stats as es
from jobunivers.analytics.journey_results import JourneyResultsAnalyser
from jobunivers.analytics.models import ExitReason
from jobunivers.analytics.tests.factories import SpellFactory
from jobunivers.citizens.models import JobLogEntry
from jobunivers.core.context import tenant_context
from jobunivers.journeys import engine, snapshots
from jobunivers.journeys.contracts import results_analyser
from jobunivers.journeys.models import Assignment, Experiment, ResultSnapshot
from jobunivers.journeys.tests.factories import journey, on_track, step, two_arms
from jobunivers.tenancy.roles import Role


def _result() -> es.ExperimentResult:
    rng = random.Random(7)
    units = [es.Unit(arm=arm, assigned_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 30),
                     values={"booked": float(rng.random() < (0.3 if arm == "b" else 0.2)), "rate": rng.random() * 3},
                     covariates={"rate": rng.random() * 3})
             for i, arm in enumerate(["a", "b", "holdout"] * 40)]
    return es.analyse(units=units, weights={"a": 45, "b": 45, "holdout": 10}, control="holdout",
                      metrics=[es.Metric("booked", "Booked", es.PROPORTION), es.Metric("rate", "Rate", es.MEAN),
                               es.Metric("opened", "Opened", es.PROPORTION)],
                      arm_labels={"a": "Kort", "b": "Lang"})


def test_a_result_round_trips_exactly_with_order_kept():
    result = _result()
    data = experiment_json.dump(result)
    again = experiment_json.load(data)
    assert again == result
    assert [a.arm for a in again.arms] == ["a", "b", "holdout"]
    assert list(again.srm.observed) == ["a", "b", "holdout"]
    assert any(c.cuped for c in again.comparisons) and any(c.verdict == es.TOO_FEW for c in again.comparisons)


def test_a_float_that_is_not_finite_is_stored_as_a_string_and_read_back():
    result = _result()
    odd = result.__class__(**{**result.__dict__, "alpha": math.inf})
    data = experiment_json.dump(odd)
    assert data["result"]["alpha"] == "inf"
    assert experiment_json.load(data).alpha == math.inf


@pytest.mark.parametrize("data", [
    {"format": 2, "result": {}},
    {"result": {}},
    None,
    "text",
])
def test_another_format_is_refused(data):
    with pytest.raises(experiment_json.UnreadableResult):
        experiment_json.load(data)


def test_a_missing_or_extra_field_is_refused():
    data = experiment_json.dump(_result())
    del data["result"]["arms"][0]["means"]
    with pytest.raises(experiment_json.UnreadableResult):
        experiment_json.load(data)
    data = experiment_json.dump(_result())
    data["result"]["comparisons"][0]["new_field"] = 1
    with pytest.raises(experiment_json.UnreadableResult):
        experiment_json.load(data)


def test_the_analyser_gives_none_for_what_it_cannot_read():
    assert JourneyResultsAnalyser().load({"format": 0}) is None


@pytest.mark.django_db
def test_the_stored_result_equals_the_live_analysis_on_factory_data(municipality, member):
    # given a journey experiment (two arms and a 10 % holdout) with 60 citizens assigned a year ago, some of whom
    # left unemployment for a job, and job log entries before and after the assignment
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    journey(municipality, admin, steps=[step()], experiment=two_arms(holdout=10))
    citizens = [on_track(municipality) for _n in range(60)]
    engine.enrol(municipality_id=municipality.pk)
    experiment = Experiment.all_tenants.get()
    year_ago = timezone.now() - datetime.timedelta(days=365)
    Assignment.all_tenants.update(assigned_at=year_ago)
    assigned_on = timezone.localtime(year_ago).date()
    for n, citizen in enumerate(citizens):
        if n % 3 == 0:
            SpellFactory(citizen=citizen, started_on=assigned_on - datetime.timedelta(days=30),
                         ended_on=assigned_on + datetime.timedelta(days=20 + 7 * n), exit_reason=ExitReason.JOB)
        for k in range(n % 4):
            JobLogEntry.all_tenants.create(municipality=municipality, citizen=citizen, employer="Firma",
                                           job_title="Lager", occurred_on=assigned_on + datetime.timedelta(
                                               days=(-10 if k == 0 else 10 * k)))
    analyser = results_analyser()
    # when the result is computed and stored, and read back from the database
    with translation.override("da"):
        snapshot = snapshots.result_compute(experiment=experiment)
        stored = analyser.load(ResultSnapshot.all_tenants.get(pk=snapshot.pk).analysis)
        with tenant_context(municipality):
            live, units = snapshots.analyse(experiment=experiment, analyser=analyser)
    # then it is the live analysis, figure for figure
    assert units == 60 == snapshot.units
    assert stored == live
    assert {c.metric.key for c in live.comparisons} >= {"job_13", "job_26", "job_log_per_week", "booked"}
    assert any(c.cuped for c in live.comparisons)
    assert any(c.difference not in (None, 0) for c in live.comparisons if c.metric.key == "job_26")


@pytest.mark.django_db
def test_labels_are_read_back_in_the_readers_language(municipality, member):
    # given a result stored while computing in Danish
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    journey(municipality, admin, steps=[step()], experiment=two_arms(holdout=10))
    for _n in range(20):
        on_track(municipality)
    engine.enrol(municipality_id=municipality.pk)
    with translation.override("da"):
        snapshot = snapshots.result_compute(experiment=Experiment.all_tenants.get())
    # when it is read in English
    with translation.override("en"):
        read = results_analyser().load(snapshot.analysis)
    # then the metrics and the holdout are in English; the arms keep their administrators' names
    assert read.control_label == "Holdout (no journey)"
    assert {c.metric.label for c in read.for_metric("booked")} == {"Booked a conversation"}
    assert [a.label for a in read.arms] == ["Kort", "Lang", "Holdout (no journey)"]
