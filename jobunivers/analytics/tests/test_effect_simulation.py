"""The effect estimator recovers a known effect, and finds none where there is none.

Simulated data sets with confounding (the characteristic that makes people use the service also helps
them find work): time to job is exponential with a rate that grows with the characteristics, and use
multiplies it by exp(gamma). The truth for each data set is the average, over the users compared, of
P(job by week w | used) - P(job by week w | not used), known exactly from the model. Seeded, 100 data
sets per scenario of 1,000 people each, vectorised draws: a few seconds per scenario.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from jobunivers.analytics import effect

pytestmark = pytest.mark.simulation

DATA_SETS = 100
PEOPLE = 1000


def _draw(rng: np.random.Generator, gamma: float):
    x1 = rng.normal(size=PEOPLE)
    x2 = (rng.random(PEOPLE) < 0.4).astype(float)
    used = rng.random(PEOPLE) < 1 / (1 + np.exp(-(-1 + 0.8 * x1 + 0.7 * x2)))
    rate = 0.04 * np.exp(0.5 * x1 + 0.4 * x2)  # per week
    time_to_job = -np.log(rng.random(PEOPLE)) / (rate * np.exp(gamma * used))
    censored_at = rng.uniform(15, 60, PEOPLE)
    durations = np.minimum(time_to_job, censored_at)
    return durations, (time_to_job <= censored_at).astype(int), used, np.column_stack([x1, x2]), rate


def _truth(rate: np.ndarray, gamma: float, week: int) -> float:
    return float(np.mean(np.exp(-rate * week) - np.exp(-rate * math.exp(gamma) * week)))


def _simulate(gamma: float, seed: int):
    rng = np.random.default_rng(seed)
    errors: dict[int, list[float]] = {13: [], 26: []}
    errors_naive: list[float] = []
    standard_errors: dict[int, list[float]] = {13: [], 26: []}
    covered = {13: 0, 26: 0}
    matched = 0
    for _n in range(DATA_SETS):
        durations, events, used, covariates, rate = _draw(rng, gamma)
        found = effect.estimate(durations=durations, events=events, used=used, covariates=covariates,
                                names=["x1", "x2"], with_curves=False)
        naive = effect.differences(durations, events, np.flatnonzero(used), np.flatnonzero(~used), weeks=(26,))
        errors_naive.append(naive[0].difference - _truth(rate[used], gamma, 26))
        if found.evidence != effect.Evidence.MATCHED:
            continue
        matched += 1
        compared = rate[found.compared_users]
        for difference in found.differences:
            truth = _truth(compared, gamma, difference.week)
            errors[difference.week].append(difference.difference - truth)
            standard_errors[difference.week].append(difference.standard_error)
            covered[difference.week] += difference.lower <= truth <= difference.upper
    return matched, errors, standard_errors, covered, errors_naive


@pytest.mark.parametrize(("gamma", "seed"), [(math.log(1.5), 11), (0.0, 12)], ids=["known_effect", "no_effect"])
def test_matched_estimates_are_unbiased_and_their_intervals_cover_the_truth(gamma, seed):
    # given 100 simulated data sets with confounded use of a service (hazard ratio 1.5, or none)
    matched, errors, standard_errors, covered, errors_naive = _simulate(gamma, seed)
    # then almost every data set gets a matched comparison (balance reached)
    assert matched >= 90
    for week in (13, 26):
        bias, typical_error = float(np.mean(errors[week])), float(np.mean(standard_errors[week]))
        # and the bias is small against the standard error
        assert abs(bias) < 0.25 * typical_error, (week, bias, typical_error)
        # and the 95 % intervals cover the truth in about 95 of 100
        assert 0.88 <= covered[week] / matched <= 0.995, (week, covered[week], matched)
    # while comparing all users with all non-users (descriptive) would be badly biased
    assert float(np.mean(errors_naive)) > 2 * float(np.mean(standard_errors[26]))


def test_a_randomised_comparison_is_labelled_so_and_not_matched():
    rng = np.random.default_rng(3)
    durations, events, _used, covariates, _rate = _draw(rng, 0.0)
    assigned = rng.random(PEOPLE) < 0.5
    found = effect.estimate(durations=durations, events=events, used=assigned, covariates=covariates,
                            names=["x1", "x2"], randomised=True)
    assert (found.evidence, found.users + found.non_users, found.unmatched_users) == ("randomised", PEOPLE, 0)


def test_too_few_users_or_no_overlap_is_only_descriptive():
    rng = np.random.default_rng(4)
    durations, events, used, covariates, _rate = _draw(rng, 0.0)
    few = np.zeros(PEOPLE, dtype=bool)
    few[:10] = True
    assert effect.estimate(durations=durations, events=events, used=few, covariates=covariates,
                           names=["x1", "x2"]).reason == "too_few"
    separated = covariates[:, 0] > 0.5
    found = effect.estimate(durations=durations, events=events, used=separated,
                            covariates=np.column_stack([separated.astype(float), covariates[:, 1]]), names=["a", "b"])
    assert (found.evidence, found.reason) == ("descriptive", "no_overlap")


def test_the_curves_carry_bands_that_hold_the_estimate():
    rng = np.random.default_rng(5)
    durations, events, used, covariates, _rate = _draw(rng, math.log(1.5))
    found = effect.estimate(durations=durations, events=events, used=used, covariates=covariates, names=["x1", "x2"])
    for curve in found.curves.values():
        assert curve.weeks == tuple(range(27))
        assert curve.share[0] == 0.0
        assert all(low <= share <= high for low, share, high in zip(curve.lower, curve.share, curve.upper, strict=True))
        assert list(curve.share) == sorted(curve.share)
