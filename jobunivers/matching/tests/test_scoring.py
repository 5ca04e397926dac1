"""Properties of the pure scoring parts (hypothesis): more of a good thing never scores lower."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from jobunivers.matching import scoring

km = st.floats(min_value=0, max_value=600, allow_nan=False)
radius = st.integers(min_value=1, max_value=500)
counts = st.integers(min_value=0, max_value=20)
unit = st.floats(min_value=0, max_value=1, allow_nan=False)


@given(km, km, radius)
def test_closer_never_scores_lower(a, b, r):
    near, far = min(a, b), max(a, b)
    assert scoring.distance_part(near, r) >= scoring.distance_part(far, r)


@given(km, radius)
def test_distance_is_within_bounds_and_zero_beyond_the_radius(d, r):
    value = float(scoring.distance_part(d, r))
    assert 0.0 <= value <= 1.0
    if d > r:
        assert value == 0.0
    else:
        assert value >= 0.2 - 1e-6


def test_unknown_distance_is_neutral():
    assert float(scoring.distance_part(math.nan, 30)) == scoring.NEUTRAL


@given(counts, counts, counts, counts)
def test_a_missing_must_have_never_raises_the_score(must, must_hit, nice, nice_hit):
    must_hit, nice_hit = min(must_hit, must), min(nice_hit, nice)
    before = scoring.skills_part(must, must_hit, nice, nice_hit)
    after = scoring.skills_part(must + 1, must_hit, nice, nice_hit)  # one more must-have, not held
    assert after <= before + 1e-6


@given(counts, counts, counts, counts)
def test_holding_one_more_required_skill_never_lowers_the_score(must, must_hit, nice, nice_hit):
    must_hit, nice_hit = min(must_hit, must), min(nice_hit, nice)
    if must_hit < must:
        assert scoring.skills_part(must, must_hit + 1, nice, nice_hit) >= scoring.skills_part(must, must_hit, nice, nice_hit)


@given(counts.filter(lambda n: n > 0))
def test_must_haves_weigh_more_than_nice_to_haves(n):
    # the same number of requirements: missing all must-haves is worse than missing all nice-to-haves
    missing_must = scoring.skills_part(n, 0, n, n)
    missing_nice = scoring.skills_part(n, n, n, 0)
    assert missing_must < missing_nice


@given(st.floats(min_value=0, max_value=365), st.floats(min_value=0, max_value=365))
def test_older_never_scores_higher(a, b):
    young, old = min(a, b), max(a, b)
    assert scoring.recency_part(young, np.nan) >= scoring.recency_part(old, np.nan)


@given(st.floats(min_value=0, max_value=365), st.integers(min_value=-30, max_value=-1))
def test_a_passed_deadline_scores_zero(age, deadline):
    assert float(scoring.recency_part(age, deadline)) == 0.0


@given(st.integers(0, 3), st.integers(0, 3))
def test_a_closer_occupation_never_scores_lower(a, b):
    assert (scoring.occupation_part(max(a, b)) >= scoring.occupation_part(min(a, b)))


@given(st.floats(-1, 1), st.floats(-1, 1))
def test_more_similar_text_never_scores_lower(a, b):
    assert scoring.semantic_part(max(a, b)) >= scoring.semantic_part(min(a, b))


@given(counts, counts, counts)
def test_a_dismissal_never_raises_and_a_save_never_lowers_the_signal(positive, negative, extra):
    base = scoring.signals_part(positive, negative)
    assert scoring.signals_part(positive, negative + extra) <= base + 1e-6
    assert scoring.signals_part(positive + extra, negative) >= base - 1e-6


@given(st.lists(unit, min_size=7, max_size=7), st.integers(0, 6), unit)
def test_the_combined_score_is_monotone_in_every_part(parts, index, bump):
    low = np.array(parts, dtype=np.float32)
    high = low.copy()
    high[index] = max(high[index], bump)
    assert scoring.combine(high) >= scoring.combine(low) - 1e-6
    assert 0.0 <= float(scoring.combine(low)) <= 1.0 + 1e-6


@given(st.sampled_from([0.0, 0.5, 1.0]), st.sampled_from([0.0, 0.5, 1.0]))
def test_matching_conditions_never_score_lower_than_mismatching(hours, kind):
    assert scoring.conditions_part(1.0, kind) >= scoring.conditions_part(hours, kind)
    assert scoring.conditions_part(hours, 1.0) >= scoring.conditions_part(hours, kind)


def test_relations():
    args = {"citizen_occupations": {5}, "citizen_isco": {"7115"}}
    assert scoring.relation_between(**args, posting_occupation=5, posting_isco="7115") == scoring.SAME_OCCUPATION
    assert scoring.relation_between(**args, posting_occupation=6, posting_isco="7115") == scoring.SAME_ISCO_GROUP
    assert scoring.relation_between(**args, posting_occupation=7, posting_isco="7112") == scoring.NEIGHBOURING
    assert scoring.relation_between(**args, posting_occupation=8, posting_isco="2221") == scoring.UNRELATED


def test_hours_and_type_matches():
    assert scoring.hours_match(wanted_hours_per_week=37, posting_hours="full_time") == 1.0
    assert scoring.hours_match(wanted_hours_per_week=20, posting_hours="full_time") == 0.0
    assert scoring.hours_match(wanted_hours_per_week=None, posting_hours="full_time") == 0.5
    assert scoring.type_match(wanted=("permanent",), posting_type="permanent") == 1.0
    assert scoring.type_match(wanted=("permanent",), posting_type="seasonal") == 0.0
    assert scoring.type_match(wanted=(), posting_type="seasonal") == 0.5


def test_haversine_aarhus_to_copenhagen():
    assert 150 < float(scoring.haversine_km(56.1567, 10.2108, 55.6761, 12.5683)) < 160
