"""The experiment statistics (experiment_stats): sample-ratio check, intervals that cover, CUPED,
the always-valid interval, Bayesian probability and Holm's correction.

Simulations are seeded; 100 data sets each, so "about 95 of 100" is checked as 90 to 99 (the count of
covering intervals is binomial(100, 0.95): 90 is more than two standard deviations below 95).
"""

from __future__ import annotations

import datetime
import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from jobunivers.analytics import experiment_stats as es

DAY = datetime.date(2026, 11, 2)
BOOKED = es.Metric(key="booked", label="Booked", kind=es.PROPORTION)
ENTRIES = es.Metric(key="entries", label="Job log entries per week", kind=es.MEAN)


def _units(arm: str, values: np.ndarray, key: str = "entries", covariates: np.ndarray | None = None):
    return [es.Unit(arm=arm, assigned_on=DAY + datetime.timedelta(days=i % 30), values={key: float(v)},
                    covariates={} if covariates is None else {key: float(covariates[i])})
            for i, v in enumerate(values)]


def _counts_only(counts: dict[str, int]) -> list[es.Unit]:
    return [es.Unit(arm=arm, assigned_on=DAY, values={}) for arm, n in counts.items() for _i in range(n)]


# --- sample ratio mismatch ----------------------------------------------------------------------------

def test_srm_detected_on_a_skewed_split_and_the_result_is_blocked():
    # given 5,200 against 4,800 where 50/50 was designed
    units = _counts_only({"control": 5200, "a": 4800})
    # when
    result = es.analyse(units=units, weights={"control": 1, "a": 1}, control="control", metrics=[BOOKED])
    # then chi-square = 2 * 200² / 5000 = 16
    assert result.srm.observed == {"control": 5200, "a": 4800}
    assert result.srm.expected == {"control": 5000.0, "a": 5000.0}
    assert result.srm.chi_square == pytest.approx(16.0)
    assert result.srm.p_value == pytest.approx(6.334e-05, rel=1e-3)
    assert result.srm.failed is True
    assert result.blocked is True


def test_srm_not_detected_on_a_fair_split():
    # given 5,030 against 4,970 (chi-square 0.36)
    result = es.analyse(units=_counts_only({"control": 5030, "a": 4970}), weights={"control": 1, "a": 1},
                        control="control", metrics=[BOOKED])
    # then
    assert result.srm.chi_square == pytest.approx(0.36)
    assert result.srm.p_value == pytest.approx(0.5485, rel=1e-3)
    assert result.blocked is False


def test_srm_uses_the_designed_weights_with_a_holdout():
    # given 45/45/10 designed and observed exactly so, then the holdout doubled
    fair = es.sample_ratio_check({"control": 450, "a": 450, "holdout": 100}, {"control": 45, "a": 45, "holdout": 10})
    skewed = es.sample_ratio_check({"control": 450, "a": 450, "holdout": 200}, {"control": 45, "a": 45, "holdout": 10})
    # then
    assert fair.chi_square == pytest.approx(0.0)
    assert fair.failed is False
    assert skewed.expected == {"control": pytest.approx(495.0), "a": pytest.approx(495.0),
                               "holdout": pytest.approx(110.0)}
    assert skewed.failed is True


def test_srm_with_no_units_has_no_p_value_and_does_not_block():
    result = es.analyse(units=[], weights={"control": 1, "a": 1}, control="control", metrics=[BOOKED])
    assert result.srm.p_value is None
    assert result.blocked is False
    assert [c.verdict for c in result.comparisons] == [es.TOO_FEW]
    assert result.first_assigned_on is None


# --- simulation: a known effect and none --------------------------------------------------------------

def _simulate(effect: float, seed: int, *, cuped: bool = False, people: int = 400):
    rng = np.random.default_rng(seed)
    errors, standard_errors, covered, sequential_covered, widths, sequential_widths = [], [], 0, 0, [], []
    for _n in range(100):
        pre_c, pre_t = rng.normal(3, 1, people), rng.normal(3, 1, people)
        y_c = 1 + 0.8 * pre_c + rng.normal(0, 0.6, people)
        y_t = 1 + 0.8 * pre_t + rng.normal(0, 0.6, people) + effect
        units = _units("control", y_c, covariates=pre_c if cuped else None) + \
            _units("a", y_t, covariates=pre_t if cuped else None)
        comparison = es.analyse(units=units, weights={"control": 1, "a": 1}, control="control",
                                metrics=[ENTRIES]).comparisons[0]
        errors.append(comparison.difference - effect)
        standard_errors.append(comparison.standard_error)
        covered += comparison.low <= effect <= comparison.high
        sequential_covered += comparison.sequential_low <= effect <= comparison.sequential_high
        widths.append(comparison.high - comparison.low)
        sequential_widths.append(comparison.sequential_high - comparison.sequential_low)
    return (float(np.mean(errors)), float(np.mean(standard_errors)), covered, sequential_covered,
            float(np.mean(widths)), float(np.mean(sequential_widths)))


@pytest.mark.simulation
@pytest.mark.parametrize(("effect", "cuped"), [(0.0, False), (0.25, False), (0.0, True), (0.25, True)])
def test_simulation_recovers_the_known_effect_with_about_95_percent_coverage(effect, cuped):
    # when
    bias, standard_error, covered, sequential_covered, _w, _sw = _simulate(effect, seed=19, cuped=cuped)
    # then bias small against the standard error, intervals cover the truth in about 95 of 100
    assert abs(bias) < 0.3 * standard_error
    assert 90 <= covered <= 99
    assert sequential_covered >= covered
    assert sequential_covered >= 95


@pytest.mark.simulation
def test_proportion_simulation_covers_the_true_difference():
    # given 100 data sets of 600 per arm, 20 % against 25 %
    rng = np.random.default_rng(7)
    covered, errors, ses = 0, [], []
    for _n in range(100):
        units = _units("control", rng.random(600) < 0.20, key="booked") + _units("a", rng.random(600) < 0.25,
                                                                                 key="booked")
        c = es.analyse(units=units, weights={"control": 1, "a": 1}, control="control", metrics=[BOOKED]).comparisons[0]
        covered += c.low <= 0.05 <= c.high
        errors.append(c.difference - 0.05)
        ses.append(c.standard_error)
    assert 90 <= covered <= 99
    assert abs(np.mean(errors)) < 0.3 * np.mean(ses)


# --- CUPED ------------------------------------------------------------------------------------------------

def test_cuped_narrows_the_interval_when_the_covariate_correlates():
    # given Y = 1 + 0.8 X + noise(0.6): corr(X, Y) = 0.8, so CUPED removes about 64 % of the variance
    rng = np.random.default_rng(3)
    pre_c, pre_t = rng.normal(3, 1, 2000), rng.normal(3, 1, 2000)
    y_c, y_t = 1 + 0.8 * pre_c + rng.normal(0, 0.6, 2000), 1.1 + 0.8 * pre_t + rng.normal(0, 0.6, 2000)
    plain = es.analyse(units=_units("control", y_c) + _units("a", y_t), weights={"control": 1, "a": 1},
                       control="control", metrics=[ENTRIES]).comparisons[0]
    # when
    adjusted = es.analyse(units=_units("control", y_c, covariates=pre_c) + _units("a", y_t, covariates=pre_t),
                          weights={"control": 1, "a": 1}, control="control", metrics=[ENTRIES]).comparisons[0]
    # then
    assert plain.cuped is False and adjusted.cuped is True
    assert adjusted.variance_reduction == pytest.approx(0.64, abs=0.03)
    assert (adjusted.high - adjusted.low) < 0.65 * (plain.high - plain.low)
    assert adjusted.arm_mean == plain.arm_mean  # the shown means stay the raw means


def test_cuped_is_skipped_when_some_units_lack_the_covariate():
    rng = np.random.default_rng(4)
    pre = rng.normal(size=50)
    units = _units("control", pre + rng.normal(size=50), covariates=pre) + _units("a", rng.normal(size=50))
    comparison = es.analyse(units=units, weights={"control": 1, "a": 1}, control="control",
                            metrics=[ENTRIES]).comparisons[0]
    assert comparison.cuped is False
    assert comparison.variance_reduction is None


# --- sequential ---------------------------------------------------------------------------------------------

def test_sequential_interval_is_wider_than_the_fixed_one_and_still_covers():
    # when
    _bias, _se, covered, sequential_covered, width, sequential_width = _simulate(0.25, seed=5)
    # then
    assert sequential_width > 1.2 * width
    assert sequential_covered >= 95
    assert sequential_covered >= covered


@pytest.mark.simulation
def test_peeking_every_day_makes_the_fixed_interval_cry_wolf_but_not_the_sequential_one():
    # given 200 experiments with no effect, looked at after every 100 units per arm, 20 looks
    rng = np.random.default_rng(11)
    fixed_false, sequential_false = 0, 0
    for _n in range(200):
        y_c, y_t = rng.normal(size=2000), rng.normal(size=2000)
        fixed_hit = sequential_hit = False
        for n in range(100, 2001, 100):
            difference = y_t[:n].mean() - y_c[:n].mean()
            se = math.sqrt(y_t[:n].var(ddof=1) / n + y_c[:n].var(ddof=1) / n)
            fixed_hit |= abs(difference) > 1.959964 * se
            sequential_hit |= abs(difference) > es.confidence_sequence_half_width(se, 2 * n)
        fixed_false += fixed_hit
        sequential_false += sequential_hit
    # then
    assert fixed_false > 25          # well above 5 % of 200 (= 10)
    assert sequential_false <= 10


def test_always_valid_p_value_is_alpha_exactly_on_the_confidence_sequence_boundary():
    half = es.confidence_sequence_half_width(0.1, 1000)
    assert es.always_valid_p_value(half, 0.1, 1000) == pytest.approx(0.05)
    assert es.always_valid_p_value(0.0, 0.1, 1000) == 1.0


# --- Holm and Bayesian ------------------------------------------------------------------------------------

def test_holm_adjusted_values_on_a_hand_example():
    # given p = 0.01, 0.04, 0.03, 0.005: sorted 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04
    # which the step-down makes monotone: 0.06
    # when
    adjusted = es.holm([0.01, 0.04, 0.03, 0.005, None])
    # then
    assert adjusted == [pytest.approx(0.03), pytest.approx(0.06), pytest.approx(0.06), pytest.approx(0.02), None]
    assert adjusted[:4] == pytest.approx(list(multipletests([0.01, 0.04, 0.03, 0.005], method="holm")[1]))


def test_holm_is_applied_across_the_metrics_of_a_result():
    rng = np.random.default_rng(8)
    units = [es.Unit(arm=arm, assigned_on=DAY, values={"booked": float(rng.random() < p),
                                                      "entries": float(rng.normal(mu))})
             for arm, p, mu in (("control", 0.2, 0.0), ("a", 0.3, 0.1)) for _i in range(500)]
    result = es.analyse(units=units, weights={"control": 1, "a": 1}, control="control", metrics=[BOOKED, ENTRIES])
    raw = [c.p_value for c in result.comparisons]
    assert [c.adjusted_p_value for c in result.comparisons] == pytest.approx(es.holm(raw))
    assert [c.adjusted_sequential_p_value for c in result.comparisons] == pytest.approx(
        es.holm([c.sequential_p_value for c in result.comparisons]))


def test_probability_better_beta_binomial_agrees_with_the_normal_approximation_and_respects_direction():
    # given 200/1000 against 240/1000
    units = _units("control", np.array([1] * 200 + [0] * 800), key="booked") + \
        _units("a", np.array([1] * 240 + [0] * 760), key="booked")
    worse_is_up = es.Metric(key="booked", label="Booked", kind=es.PROPORTION, higher_is_better=False)
    up = es.analyse(units=units, weights={"control": 1, "a": 1}, control="control", metrics=[BOOKED]).comparisons[0]
    down = es.analyse(units=units, weights={"control": 1, "a": 1}, control="control",
                      metrics=[worse_is_up]).comparisons[0]
    # then
    normal = float(stats.norm.cdf(up.difference / up.standard_error))
    assert up.probability_better == pytest.approx(normal, abs=0.01)
    assert up.probability_better == pytest.approx(0.9847, abs=0.005)
    assert down.probability_better == pytest.approx(1 - up.probability_better)


# --- verdicts and input -------------------------------------------------------------------------------------

def test_a_clear_effect_is_better_and_a_null_is_no_difference_shown():
    rng = np.random.default_rng(12)
    units = _units("control", rng.normal(0, 1, 3000)) + _units("a", rng.normal(0.3, 1, 3000)) + \
        _units("b", rng.normal(0, 1, 3000))
    result = es.analyse(units=units, weights={"control": 1, "a": 1, "b": 1}, control="control", metrics=[ENTRIES])
    verdicts = {c.arm: c.verdict for c in result.comparisons}
    assert verdicts == {"a": es.BETTER, "b": es.NO_DIFFERENCE_SHOWN}
    assert result.first_assigned_on == DAY
    assert result.last_assigned_on == DAY + datetime.timedelta(days=29)


def test_units_without_a_value_count_in_the_srm_check_but_not_in_the_metric():
    units = _units("control", np.array([1.0, 2.0, 3.0])) + _units("a", np.array([2.0, 3.0, 4.0])) + \
        [es.Unit(arm="a", assigned_on=DAY, values={}), es.Unit(arm="a", assigned_on=DAY, values={"entries": math.nan})]
    result = es.analyse(units=units, weights={"control": 1, "a": 1}, control="control", metrics=[ENTRIES])
    assert result.srm.observed == {"control": 3, "a": 5}
    comparison = result.comparisons[0]
    assert (comparison.arm_units, comparison.control_units) == (3, 3)
    assert comparison.difference == pytest.approx(1.0)
    assert comparison.relative == pytest.approx(0.5)
    assert {a.arm: a.measured["entries"] for a in result.arms} == {"control": 3, "a": 3}


@pytest.mark.parametrize(("units", "weights", "message"), [
    ([es.Unit(arm="z", assigned_on=DAY, values={})], {"control": 1, "a": 1}, "arm 'z'"),
    ([es.Unit(arm="a", assigned_on=DAY, values={"booked": 2.0})], {"control": 1, "a": 1}, "0 or 1"),
    ([es.Unit(arm="a", assigned_on=DAY, values={"booked": float("inf")})], {"control": 1, "a": 1}, "not a finite"),
    ([es.Unit(arm="a", assigned_on=DAY, values={"booked": "ja"})], {"control": 1, "a": 1}, "not a number"),  # type: ignore[dict-item]
    ([es.Unit(arm="a", assigned_on=DAY, values={}, covariates={"booked": float("-inf")})], {"control": 1, "a": 1},
     "pre-period value is not a finite"),
    ([], {"control": 0, "a": 1}, "positive"),
    ([], {"a": 1}, "control arm"),
])
def test_bad_input_is_refused(units, weights, message):
    with pytest.raises(es.ExperimentDataError, match=message):
        es.analyse(units=units, weights=weights, control="control", metrics=[BOOKED])


def test_a_metric_with_its_own_control_compares_the_other_arms_with_it_and_leaves_the_control_out():
    day = datetime.date(2026, 11, 2)
    opened = es.Metric(key="opened", label="Åbnede", kind=es.PROPORTION)
    booked = es.Metric(key="booked", label="Bookede", kind=es.PROPORTION)
    units = ([es.Unit(arm="holdout", assigned_on=day, values={"booked": float(n % 5 == 0)}) for n in range(100)]
             + [es.Unit(arm=arm, assigned_on=day, values={"booked": float(n % 4 == 0), "opened": float(n % 2 == 0)})
                for arm in ("a", "b") for n in range(100)])
    # when opened (never measured in the holdout) has arm a as its control
    result = es.analyse(units=units, weights={"holdout": 1, "a": 1, "b": 1}, control="holdout",
                        metrics=[opened, booked], metric_controls={"opened": "a"}, arm_labels={"a": "A", "b": "B"})
    # then opened is b against a only; booked is a and b against the holdout
    assert [(c.metric.key, c.arm, c.control, c.control_label) for c in result.comparisons] == [
        ("opened", "b", "a", "A"), ("booked", "a", "holdout", "holdout"), ("booked", "b", "holdout", "holdout")]
    assert result.for_metric("opened")[0].verdict == es.NO_DIFFERENCE_SHOWN
    assert result.for_metric("opened")[0].difference == 0.0


def test_a_metric_control_that_is_not_an_arm_is_refused():
    with pytest.raises(es.ExperimentDataError):
        es.analyse(units=[], weights={"a": 1, "b": 1}, control="a", metrics=[], metric_controls={"x": "c"})


@pytest.mark.django_db
@pytest.mark.parametrize("one_pass", [5000, 1])
def test_job_exits_are_the_same_read_500_at_a_time_or_in_one_pass(world, monkeypatch, one_pass):
    import datetime as _dt

    from jobunivers.analytics import journey_results
    from jobunivers.analytics.tests.factories import SpellFactory
    from jobunivers.citizens.tests.factories import CitizenFactory

    monkeypatch.setattr(journey_results, "ONE_PASS", one_pass)
    job, education, open_spell, not_asked = (CitizenFactory(municipality=world.home) for _n in range(4))
    started = _dt.date(2026, 1, 5)
    SpellFactory(citizen=job, started_on=started, ended_on=_dt.date(2026, 3, 2), exit_reason="job")
    SpellFactory(citizen=education, started_on=started, ended_on=_dt.date(2026, 3, 2), exit_reason="education")
    SpellFactory(citizen=open_spell, started_on=started, ended_on=None, exit_reason="")
    SpellFactory(citizen=not_asked, started_on=started, ended_on=_dt.date(2026, 2, 2), exit_reason="job")
    found = journey_results._job_exits(world.home.pk, [job.pk, education.pk, open_spell.pk])
    assert dict(found) == {job.pk: [_dt.date(2026, 3, 2)]}
