"""The backtest on generated histories: with a planted signal (employers whose hiring is rising keep posting;
employers that posted a lot last year but stopped do not) the score beats "most postings last year"; without
one (next quarter's posting employers drawn independently of the past) it does not."""

import datetime
import json
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobunivers.employers.backtest import Row, evaluate

CUTOFF = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)
MONTH = 30.4


def _poisson(rng: random.Random, rate: float) -> int:
    count, total = 0, rng.expovariate(1.0) if rate > 0 else float("inf")
    while total < rate:
        count += 1
        total += rng.expovariate(1.0)
    return count


def _month(rng, organisation, occupation, months_before: float, rate: float) -> list[Row]:
    """Postings of one month (months_before > 0: before the cutoff; < 0: in the horizon)."""
    rows = []
    for _ in range(_poisson(rng, rate)):
        days = (months_before - rng.random()) * MONTH
        rows.append(Row(organisation, occupation, CUTOFF - datetime.timedelta(days=days)))
    return rows


def planted_history(seed: int, occupations: int = 20) -> list[Row]:
    """Per occupation 10 rising employers (nothing until 6 months ago, then 1 a month, going on), 10 falling
    ones (1.5 a month until 7 months ago, then nothing) and 30 steady ones (0.4 a month throughout)."""
    rng = random.Random(seed)
    rows: list[Row] = []
    organisation = 0
    for occupation in range(1, occupations + 1):
        for kind, count in (("rising", 10), ("falling", 10), ("steady", 30)):
            for _ in range(count):
                organisation += 1
                for months_before in range(24, -3, -1):  # 24 months of history, then the 3 of the horizon
                    if kind == "rising":
                        rate = 1.0 if months_before <= 6 else 0.0
                    elif kind == "falling":
                        rate = 1.5 if months_before >= 7 else 0.0
                    else:
                        rate = 0.4
                    rows += _month(rng, organisation, occupation, months_before, rate)
    return rows


def history_without_signal(seed: int, occupations: int = 40) -> list[Row]:
    """Per occupation 50 employers with stationary rates of their own; who posts in the horizon is drawn
    independently of the history (each employer with probability 0.3)."""
    rng = random.Random(seed)
    rows: list[Row] = []
    organisation = 0
    for occupation in range(1, occupations + 1):
        for _ in range(50):
            organisation += 1
            rate = rng.choice([0.1, 0.3, 0.6, 1.2])
            for months_before in range(24, 0, -1):
                rows += _month(rng, organisation, occupation, months_before, rate)
            if rng.random() < 0.3:
                rows.append(Row(organisation, occupation, CUTOFF + datetime.timedelta(days=rng.uniform(0, 90))))
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_with_a_planted_signal_the_score_beats_the_baseline(seed):
    result = evaluate(planted_history(seed), cutoff=CUTOFF, horizon_days=91, k=10)
    assert result.occupations == 20
    assert result.score.precision >= result.baseline.precision + 0.3
    assert result.score.recall >= result.baseline.recall + 0.1
    assert result.score.precision >= 0.7


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_without_a_signal_the_score_does_not_beat_the_baseline(seed):
    result = evaluate(history_without_signal(seed), cutoff=CUTOFF, horizon_days=91, k=10)
    assert result.occupations == 40
    assert result.score.precision <= result.baseline.precision + 0.05
    assert abs(result.score.precision - 0.3) <= 0.08 and abs(result.baseline.precision - 0.3) <= 0.08


def test_an_occupation_without_history_or_without_postings_in_the_horizon_is_left_out():
    rows = [Row(1, 7, CUTOFF - datetime.timedelta(days=10)),  # history, nothing after
            Row(2, 8, CUTOFF + datetime.timedelta(days=10))]  # only after
    assert evaluate(rows, cutoff=CUTOFF).occupations == 0


def test_precision_and_recall_are_counted_exactly():
    # given one occupation: employer 1 posted twice last year, employer 2 once long ago; only 2 posts next quarter
    rows = [Row(1, 5, CUTOFF - datetime.timedelta(days=d)) for d in (30, 60)]
    rows += [Row(2, 5, CUTOFF - datetime.timedelta(days=400)), Row(2, 5, CUTOFF + datetime.timedelta(days=5)),
             Row(3, 5, CUTOFF + datetime.timedelta(days=6))]
    result = evaluate(rows, cutoff=CUTOFF, k=10)
    # then the score ranks both (employer 2 is a hit: 1 of 10, 1 of the 2 that posted); the baseline only employer 1
    assert (result.score.precision, result.score.recall) == (0.1, 0.5)
    assert (result.baseline.precision, result.baseline.recall) == (0.0, 0.0)


@pytest.mark.django_db
def test_the_command_reports_on_the_deployments_own_history(warehouse):
    # given a small planted history in the database: a rising employer and a falling one
    from . import factories

    now = timezone.now()
    factories.postings("Stigende Lager", occupation=warehouse, days_ago=(100, 110, 120, 130))
    factories.postings("Faldende Lager", occupation=warehouse, days_ago=(300, 310, 320, 330, 340, 350))
    factories.postings("Stigende Lager", occupation=warehouse, days_ago=(20,))  # in the horizon
    cutoff = (now - datetime.timedelta(days=91)).date()
    out = StringIO()
    # when the backtest runs with the cutoff a quarter ago
    call_command("hiring_potential_backtest", "--cutoff", cutoff.isoformat(), stdout=out, stderr=StringIO())
    figures = json.loads(out.getvalue())
    # then it reports both rankings: the score puts the rising employer first, the baseline the falling one
    assert figures["occupations"] == 1
    assert (figures["score_recall_at_10"], figures["baseline_recall_at_10"]) == (1.0, 1.0)
    assert (figures["score_precision_at_10"], figures["baseline_precision_at_10"]) == (0.1, 0.1)


@pytest.mark.django_db
@pytest.mark.parametrize("arguments", [["--cutoff", "2026-13-01"], ["--k", "0"], ["--horizon-days", "999"]])
def test_the_command_refuses_bad_arguments(arguments):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("hiring_potential_backtest", *arguments, stdout=StringIO(), stderr=StringIO())
