from collections import Counter

import pytest
from django.test import override_settings

from jobunivers.journeys.assignment import arm_for, bucket, pseudonym

WEIGHTS = [("a", 50), ("b", 50)]


def test_the_same_citizen_and_key_always_get_the_same_arm():
    first = [arm_for(experiment_key="velkomst", citizen_id=cid, holdout_percent=10, weights=WEIGHTS)
             for cid in range(1, 500)]
    again = [arm_for(experiment_key="velkomst", citizen_id=cid, holdout_percent=10, weights=WEIGHTS)
             for cid in range(1, 500)]
    assert first == again


def test_another_key_splits_independently():
    one = [arm_for(experiment_key="velkomst", citizen_id=cid, holdout_percent=0, weights=WEIGHTS)
           for cid in range(1, 2001)]
    other = [arm_for(experiment_key="tjekliste", citizen_id=cid, holdout_percent=0, weights=WEIGHTS)
             for cid in range(1, 2001)]
    agree = sum(x == y for x, y in zip(one, other, strict=True))
    assert 900 <= agree <= 1100  # about half, as two independent coin flips


def test_the_pseudonym_depends_on_the_key_and_is_not_the_id():
    with override_settings(JOURNEY_ASSIGNMENT_KEY="key-one"):
        one = pseudonym(42)
    with override_settings(JOURNEY_ASSIGNMENT_KEY="key-two"):
        two = pseudonym(42)
    assert one != two and "42" not in one[:2] and len(one) == 64


@pytest.mark.parametrize(("holdout", "weights"), [(0, [("a", 50), ("b", 50)]), (20, [("a", 70), ("b", 30)]),
                                                  (10, [("a", 34), ("b", 33), ("c", 33)])])
def test_weights_and_holdout_are_respected_over_many_ids(holdout, weights):
    n = 40_000
    counts = Counter(arm_for(experiment_key="vaegte", citizen_id=cid, holdout_percent=holdout, weights=weights)
                     for cid in range(1, n + 1))
    expected = {"holdout": holdout / 100} if holdout else {}
    for key, weight in weights:
        expected[key] = (1 - holdout / 100) * weight / sum(w for _k, w in weights)
    for key, share in expected.items():
        # within 4 standard errors of a binomial share
        tolerance = 4 * (share * (1 - share) / n) ** 0.5
        assert abs(counts[key] / n - share) < tolerance, (key, counts[key] / n, share)
    assert set(counts) == set(expected)


def test_buckets_cover_the_whole_range():
    seen = {bucket(experiment_key="x", citizen_id=cid) for cid in range(1, 20_000)}
    assert min(seen) < 10 and max(seen) > 9_990
