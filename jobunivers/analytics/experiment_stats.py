"""Statistics of an A/B experiment: pure functions over plain values, no Django models (ADR 0105).

Interface (what the journeys app calls for its results page):

    from jobunivers.analytics.experiment_stats import Metric, Unit, analyse

    result = analyse(
        units=[Unit(arm="a", assigned_on=date(2026, 11, 2), values={"booked": 1.0},
                    covariates={"booked": 0.0}), ...],
        weights={"control": 45, "a": 45, "holdout": 10},  # the designed split, any positive numbers
        control="control",
        metrics=[Metric(key="booked", label="Booked a conversation", kind=PROPORTION)],
        arm_labels={"control": "Today's messages", "a": "Shorter reminder"},  # optional, shown on the page
        metric_controls={"opened": "a"},  # optional: a metric the control arm is not measured on by design
    )

- `Unit`: one assigned citizen (pseudonymous: no id is needed). `values[metric]` is the metric's value,
  left out (or NaN) while it cannot be observed yet (e.g. "in a job within 26 weeks" for someone assigned last
  week): such a unit counts in the sample-ratio check but not in that metric. `covariates[metric]` is the
  same measure in a pre-period before assignment; when every unit measured on a metric has one, the
  comparison is CUPED-adjusted (variance reduced, same expectation).
- `metric_controls`: for a metric the control arm cannot be measured on by design (engagement with the
  journey's notices, when the control is a holdout that gets none), the arm it is compared against
  instead; that metric's comparisons are then every other arm against it, and the experiment's control
  is left out of them. Each `Comparison` names its own control.
- `Metric.kind`: PROPORTION (values 0 or 1) or MEAN (any number). `higher_is_better` gives the direction
  of "better".
- `analyse` returns an `ExperimentResult`:
  - `srm` (`SampleRatioCheck`): chi-square test of the assigned counts against the designed weights;
    p < 0.001 means the assignment is broken and `result.blocked` is true: show nothing but the warning.
  - `arms`: counts and means per arm.
  - `comparisons`: one `Comparison` per metric and non-control arm: absolute and relative difference
    with a fixed-horizon 95 % interval, an always-valid 95 % interval (a confidence sequence, safe to
    look at every day), the fixed and always-valid p-values and both Holm-adjusted across every
    comparison of the result, the Bayesian probability that the arm is better than the control, and a
    `verdict`.
  - `verdict` is BETTER or WORSE only when the Holm-adjusted always-valid p-value is under alpha, so
    peeking and many metrics do not manufacture a winner; otherwise NO_DIFFERENCE_SHOWN (which is not
    "no effect"), or TOO_FEW when an arm has fewer than two units measured.

Methods (ADR 0105 names the sources):
- Difference of means with Welch's standard error; relative difference by the delta method.
- CUPED (Deng et al. 2013): theta = cov(Y, X) / var(X) pooled over the two arms compared; the
  adjusted means Y - theta (X - mean X) are compared as above.
- Sequential: the normal-mixture confidence sequence (Robbins; Howard et al. 2021, the asymptotic form
  GrowthBook uses): half-width = sqrt(s² · 2(Nρ²+1)/(N²ρ²) · log(sqrt(Nρ²+1)/α)) with s² = N·SE² and N
  the units compared; ρ is tuned so the interval is tightest at `sequential_tuning` units. Its
  always-valid p-value is 1 / (mixture likelihood ratio), capped at 1.
- Bayesian: flat prior; for a proportion without CUPED the Beta(1, 1)-binomial posterior of each arm,
  P(p_arm > p_control) by quadrature; otherwise the normal approximation Φ(difference / SE).
- Holm's step-down correction, written out here (a dozen lines; statsmodels' `multipletests` gives the
  same values, checked in the tests, but runs a full garbage collection on every call).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np


def _stats():
    """scipy.stats, imported on first use: Django imports this module at start-up (through the
    journey results' event handlers), and scipy.stats' import takes about a second."""
    from scipy import stats

    return stats


PROPORTION = "proportion"
MEAN = "mean"

BETTER = "better"
WORSE = "worse"
NO_DIFFERENCE_SHOWN = "no_difference_shown"
TOO_FEW = "too_few"

SRM_THRESHOLD = 0.001
ALPHA = 0.05
SEQUENTIAL_TUNING = 5000


class ExperimentDataError(ValueError):
    """The input cannot be analysed (unknown arm, a proportion that is not 0 or 1, ...)."""


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    kind: str = MEAN
    higher_is_better: bool = True


@dataclass(frozen=True)
class Unit:
    arm: str
    assigned_on: datetime.date
    values: Mapping[str, float]
    covariates: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class SampleRatioCheck:
    observed: dict[str, int]
    expected: dict[str, float]       # units expected per arm from the designed weights
    chi_square: float | None
    p_value: float | None            # None with no units or a single arm
    threshold: float = SRM_THRESHOLD

    @property
    def failed(self) -> bool:
        return self.p_value is not None and self.p_value < self.threshold


@dataclass(frozen=True)
class ArmSummary:
    arm: str
    label: str
    units: int
    designed_share: float
    observed_share: float | None
    means: dict[str, float | None]   # metric key -> mean of the units measured
    measured: dict[str, int]         # metric key -> units measured


@dataclass(frozen=True)
class Comparison:
    metric: Metric
    arm: str
    arm_label: str
    control: str
    control_label: str
    arm_units: int
    control_units: int
    arm_mean: float | None
    control_mean: float | None
    difference: float | None
    standard_error: float | None
    low: float | None                 # fixed-horizon 95 % interval of the difference
    high: float | None
    sequential_low: float | None      # always-valid 95 % interval of the difference
    sequential_high: float | None
    relative: float | None            # difference / control mean
    relative_low: float | None
    relative_high: float | None
    p_value: float | None
    sequential_p_value: float | None
    adjusted_p_value: float | None = None             # Holm, across the result's comparisons
    adjusted_sequential_p_value: float | None = None
    probability_better: float | None = None
    cuped: bool = False
    variance_reduction: float | None = None           # 1 - var(adjusted) / var(raw), when CUPED applied
    verdict: str = TOO_FEW


@dataclass(frozen=True)
class ExperimentResult:
    control: str
    control_label: str
    alpha: float
    srm: SampleRatioCheck
    arms: tuple[ArmSummary, ...]
    comparisons: tuple[Comparison, ...]
    first_assigned_on: datetime.date | None
    last_assigned_on: datetime.date | None

    @property
    def blocked(self) -> bool:
        return self.srm.failed

    @property
    def units(self) -> int:
        return sum(self.srm.observed.values())

    def for_metric(self, key: str) -> list[Comparison]:
        return [c for c in self.comparisons if c.metric.key == key]


def sample_ratio_check(observed: Mapping[str, int], weights: Mapping[str, float],
                       threshold: float = SRM_THRESHOLD) -> SampleRatioCheck:
    """Chi-square goodness of fit of the assigned counts to the designed weights."""
    total_weight = float(sum(weights.values()))
    total = int(sum(observed.get(arm, 0) for arm in weights))
    counts = {arm: int(observed.get(arm, 0)) for arm in weights}
    expected = {arm: total * weights[arm] / total_weight for arm in weights}
    if total == 0 or len(weights) < 2:
        return SampleRatioCheck(counts, expected, None, None, threshold)
    chi_square, p_value = _stats().chisquare([counts[a] for a in weights], [expected[a] for a in weights])
    return SampleRatioCheck(counts, expected, float(chi_square), float(p_value), threshold)


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm's step-down adjusted p-values; None stays None and is not counted in the family."""
    present = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(present):
        running = max(running, min(1.0, (len(present) - rank) * p))
        adjusted[i] = running
    return adjusted


def sequential_rho(alpha: float = ALPHA, tuning: int = SEQUENTIAL_TUNING) -> float:
    """Mixing parameter that makes the confidence sequence tightest at `tuning` units."""
    log_term = -2 * math.log(alpha)
    return math.sqrt((log_term + math.log(log_term + 1)) / tuning)


def confidence_sequence_half_width(standard_error: float, units: int, *, alpha: float = ALPHA,
                                   tuning: int = SEQUENTIAL_TUNING) -> float:
    rho2 = sequential_rho(alpha, tuning) ** 2
    s2 = units * standard_error ** 2
    return math.sqrt(s2 * 2 * (units * rho2 + 1) / (units ** 2 * rho2)
                     * math.log(math.sqrt(units * rho2 + 1) / alpha))


def always_valid_p_value(difference: float, standard_error: float, units: int, *, alpha: float = ALPHA,
                         tuning: int = SEQUENTIAL_TUNING) -> float:
    """1 / the normal-mixture likelihood ratio against no difference (prior variance s²ρ²), capped at 1;
    the confidence sequence above is exactly the set of differences this does not reject."""
    variance = standard_error ** 2
    prior = units * variance * sequential_rho(alpha, tuning) ** 2
    log_ratio = (0.5 * math.log(variance / (variance + prior))
                 + prior * difference ** 2 / (2 * variance * (variance + prior)))
    return float(min(1.0, math.exp(-log_ratio)))


def _beta_probability_better(successes_arm: int, n_arm: int, successes_control: int, n_control: int) -> float:
    """P(p_arm > p_control) under independent Beta(1 + s, 1 + n - s) posteriors, by quadrature over
    where the arm's posterior has its mass."""
    arm = _stats().beta(1 + successes_arm, 1 + n_arm - successes_arm)
    control = _stats().beta(1 + successes_control, 1 + n_control - successes_control)
    low, high = arm.ppf(1e-10), arm.isf(1e-10)
    grid = np.linspace(low, high, 4001)
    return float(np.clip(np.trapezoid(arm.pdf(grid) * control.cdf(grid), grid), 0.0, 1.0))


@dataclass
class _Columns:
    values: np.ndarray      # arm units measured on the metric
    covariates: np.ndarray | None


def _table(rows: list[list[float]], width: int, what: str) -> np.ndarray:
    try:
        table = np.array(rows, dtype=float).reshape(len(rows), width)
    except (TypeError, ValueError) as error:
        raise ExperimentDataError(f"A {what} is not a number.") from error
    if np.isinf(table).any():
        raise ExperimentDataError(f"A {what} is not a finite number.")
    return table


def _split(units: Sequence[Unit], weights: Mapping[str, float], metrics: Sequence[Metric]
           ) -> tuple[dict[str, int], dict[tuple[str, str], _Columns]]:
    """Units per arm and, per arm and metric, the measured values and (when every measured unit has one)
    their pre-period values. One pass over the units, then numpy: 117,000 units in a fraction of a second."""
    arms = list(weights)
    index = {arm: i for i, arm in enumerate(arms)}
    keys = [m.key for m in metrics]
    unknown = next((u.arm for u in units if u.arm not in index), None)
    if unknown is not None:
        raise ExperimentDataError(f"Unit assigned to arm {unknown!r}, which is not among the weights.")
    arm_of = np.array([index[u.arm] for u in units], dtype=int)
    nan = math.nan
    values = _table([[u.values.get(k, nan) for k in keys] for u in units], len(keys), "metric value")
    covariates = _table([[u.covariates.get(k, nan) for k in keys] for u in units], len(keys), "pre-period value")
    for j, metric in enumerate(metrics):
        column = values[:, j]
        if metric.kind == PROPORTION and np.any(~np.isnan(column) & (column != 0) & (column != 1)):
            raise ExperimentDataError(f"Metric {metric.key!r} is a proportion: every value must be 0 or 1.")
    counts = np.bincount(arm_of, minlength=len(arms)) if len(units) else np.zeros(len(arms), dtype=int)
    columns = {}
    for i, arm in enumerate(arms):
        in_arm = arm_of == i
        for j, metric in enumerate(metrics):
            column = values[in_arm, j]
            measured = ~np.isnan(column)
            pre = covariates[in_arm, j][measured]
            columns[arm, metric.key] = _Columns(column[measured],
                                                pre if len(pre) and not np.isnan(pre).any() else None)
    return {arm: int(counts[i]) for i, arm in enumerate(arms)}, columns


def _compare(metric: Metric, arm: str, label: str, control: str, control_label: str, treated: _Columns,
             untreated: _Columns, *, alpha: float, tuning: int) -> Comparison:
    n_t, n_c = len(treated.values), len(untreated.values)
    if n_t < 2 or n_c < 2:
        return Comparison(metric, arm, label, control, control_label, n_t, n_c,
                          arm_mean=float(treated.values.mean()) if n_t else None,
                          control_mean=float(untreated.values.mean()) if n_c else None,
                          difference=None, standard_error=None, low=None, high=None, sequential_low=None,
                          sequential_high=None, relative=None, relative_low=None, relative_high=None,
                          p_value=None, sequential_p_value=None, verdict=TOO_FEW)
    y_t, y_c = treated.values, untreated.values
    raw_mean_t, raw_mean_c = float(y_t.mean()), float(y_c.mean())
    cuped = False
    variance_reduction = None
    if treated.covariates is not None and untreated.covariates is not None:
        x = np.concatenate([treated.covariates, untreated.covariates])
        y = np.concatenate([y_t, y_c])
        x_variance = float(x.var(ddof=1))
        if x_variance > 0:
            theta = float(np.cov(y, x, ddof=1)[0, 1]) / x_variance
            x_mean = float(x.mean())
            raw_variance = float(y_t.var(ddof=1)) / n_t + float(y_c.var(ddof=1)) / n_c
            y_t = y_t - theta * (treated.covariates - x_mean)
            y_c = y_c - theta * (untreated.covariates - x_mean)
            adjusted_variance = float(y_t.var(ddof=1)) / n_t + float(y_c.var(ddof=1)) / n_c
            variance_reduction = 1 - adjusted_variance / raw_variance if raw_variance > 0 else None
            cuped = True
    mean_t, mean_c = float(y_t.mean()), float(y_c.mean())
    var_mean_t, var_mean_c = float(y_t.var(ddof=1)) / n_t, float(y_c.var(ddof=1)) / n_c
    difference = mean_t - mean_c
    se = math.sqrt(var_mean_t + var_mean_c)
    z = float(_stats().norm.isf(alpha / 2))
    units = n_t + n_c
    if se > 0:
        p_value = float(2 * _stats().norm.sf(abs(difference) / se))
        half = confidence_sequence_half_width(se, units, alpha=alpha, tuning=tuning)
        sequential_p = always_valid_p_value(difference, se, units, alpha=alpha, tuning=tuning)
        low, high = difference - z * se, difference + z * se
        seq_low, seq_high = difference - half, difference + half
    else:  # every unit has the same value: no variation, nothing to test
        p_value = sequential_p = 1.0 if difference == 0 else 0.0
        low = high = seq_low = seq_high = difference
    relative = relative_low = relative_high = None
    if mean_c != 0:
        relative = mean_t / mean_c - 1
        relative_se = math.sqrt(var_mean_t / mean_c ** 2 + mean_t ** 2 * var_mean_c / mean_c ** 4)
        relative_low, relative_high = relative - z * relative_se, relative + z * relative_se
    if metric.kind == PROPORTION and not cuped:
        better_up = _beta_probability_better(int(y_t.sum()), n_t, int(y_c.sum()), n_c)
    elif se > 0:
        better_up = float(_stats().norm.cdf(difference / se))
    else:
        better_up = 1.0 if difference > 0 else 0.0 if difference < 0 else 0.5
    probability = better_up if metric.higher_is_better else 1 - better_up
    return Comparison(metric, arm, label, control, control_label, n_t, n_c, raw_mean_t, raw_mean_c, difference, se, low, high,
                      seq_low, seq_high, relative, relative_low, relative_high, p_value, sequential_p,
                      probability_better=probability, cuped=cuped, variance_reduction=variance_reduction)


def _verdict(comparison: Comparison, alpha: float) -> str:
    if comparison.difference is None or comparison.adjusted_sequential_p_value is None:
        return TOO_FEW
    if comparison.adjusted_sequential_p_value >= alpha or comparison.difference == 0:
        return NO_DIFFERENCE_SHOWN
    up = comparison.difference > 0
    return BETTER if up == comparison.metric.higher_is_better else WORSE


def analyse(*, units: Sequence[Unit], weights: Mapping[str, float], control: str, metrics: Sequence[Metric],
            alpha: float = ALPHA, sequential_tuning: int = SEQUENTIAL_TUNING,
            srm_threshold: float = SRM_THRESHOLD, arm_labels: Mapping[str, str] | None = None,
            metric_controls: Mapping[str, str] | None = None) -> ExperimentResult:
    """Analyse an experiment; see the module docstring. Raises ExperimentDataError on bad input."""
    if control not in weights:
        raise ExperimentDataError(f"The control arm {control!r} is not among the weights.")
    metric_controls = dict(metric_controls or {})
    if any(arm not in weights for arm in metric_controls.values()):
        raise ExperimentDataError("A metric's control arm is not among the weights.")
    if set(metric_controls) - {m.key for m in metrics}:
        raise ExperimentDataError("A metric's own control names a metric that is not analysed.")
    if any(not (w > 0 and math.isfinite(w)) for w in weights.values()):
        raise ExperimentDataError("Every arm's weight must be a positive number.")
    if len({m.key for m in metrics}) != len(metrics):
        raise ExperimentDataError("Two metrics have the same key.")
    if any(m.kind not in (PROPORTION, MEAN) for m in metrics):
        raise ExperimentDataError("A metric's kind must be 'proportion' or 'mean'.")
    counts, columns = _split(units, weights, metrics)
    srm = sample_ratio_check(counts, weights, srm_threshold)
    total_weight = float(sum(weights.values()))
    labels = {arm: (arm_labels or {}).get(arm, arm) for arm in weights}
    summaries = tuple(ArmSummary(
        arm=arm, label=labels[arm], units=counts[arm], designed_share=weights[arm] / total_weight,
        observed_share=counts[arm] / len(units) if units else None,
        means={m.key: float(columns[arm, m.key].values.mean()) if len(columns[arm, m.key].values) else None
               for m in metrics},
        measured={m.key: len(columns[arm, m.key].values) for m in metrics}) for arm in weights)
    def compared(metric: Metric) -> list[tuple[str, str]]:
        """(arm, its control) pairs of a metric: every arm against the control, or, for a metric with its own
        control, every arm but the experiment's control against that one."""
        own = metric_controls.get(metric.key, control)
        return [(arm, own) for arm in weights if arm not in (own, control)] if own != control else [
            (arm, control) for arm in weights if arm != control]

    raw = [_compare(m, arm, labels[arm], against, labels[against], columns[arm, m.key], columns[against, m.key],
                    alpha=alpha, tuning=sequential_tuning)
           for m in metrics for arm, against in compared(m)]
    adjusted = holm([c.p_value for c in raw])
    adjusted_sequential = holm([c.sequential_p_value for c in raw])
    comparisons = []
    for comparison, p, sequential_p in zip(raw, adjusted, adjusted_sequential, strict=True):
        with_holm = replace(comparison, adjusted_p_value=p, adjusted_sequential_p_value=sequential_p)
        comparisons.append(replace(with_holm, verdict=_verdict(with_holm, alpha)))
    days = [u.assigned_on for u in units]
    return ExperimentResult(control=control, control_label=labels[control], alpha=alpha, srm=srm, arms=summaries, comparisons=tuple(comparisons),
                            first_assigned_on=min(days) if days else None,
                            last_assigned_on=max(days) if days else None)
