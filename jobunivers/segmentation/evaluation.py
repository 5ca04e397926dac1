"""Judging a risk model as production uses it: error rates per group at the thresholds the
suggestion uses, bootstrap intervals, the fairness bound that promotion requires, mitigation by
group thresholds, and the choice between a regularised logistic model and gradient boosting by
cross-validation. No Django here (docs/segmentation.md, ADR 0054).

Definitions (a "high-risk" flag = the score is at or above a production threshold):
- false-high-risk rate of a group: among those in the group who did NOT remain unemployed, the
  share flagged; false-low-risk rate: among those who DID remain unemployed, the share not flagged;
- largest ratio: highest false-high-risk rate / lowest, among groups with at least MIN_GROUP_SIZE
  people who did not remain unemployed; smaller groups are reported with their interval only. Its
  interval is the bootstrap interval of the ratio between those two groups. Status: "within" the
  bound, "inconclusive" (above it, but the interval includes it: the groups are too small to
  tell, and the card documents the interval), or "exceeds" (the whole interval is above it);
- intervals: 95 % percentile bootstrap, resampling within each group and outcome (the group sizes
  stay as observed), BOOTSTRAP_ROUNDS rounds with a fixed seed, so a card can be reproduced.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

# scikit-learn is imported where it is used: this module is imported when Django starts (through
# the segmentation services), and sklearn's import costs seconds that no request needs.

# The thresholds the suggestion uses (services.screening): >= MEDIUM raises the support level to
# adviser support, >= HIGH to a personal consultant. The card is computed at exactly these.
PRODUCTION_THRESHOLDS: dict[str, float] = {"medium": 0.35, "high": 0.6}
FAIRNESS_BOUND = 1.25  # largest false-high-risk ratio that promotion accepts (issue 21)
MIN_GROUP_SIZE = 30
BOOTSTRAP_ROUNDS = 400
CONFIDENCE = 0.95
# Which attribute mitigation may use to set thresholds at decision time (ADR 0054): only one the
# suggestion already has as an input. Gender and origin are never used at decision time.
MITIGATION_ATTRIBUTES = ("age_band",)
_INF = 1e9


def _interval(values: np.ndarray) -> list[float | None]:
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return [None, None]
    low, high = np.percentile(values, [100 * (1 - CONFIDENCE) / 2, 100 * (1 + CONFIDENCE) / 2])
    return [_round(low), _round(high)]


def _round(value: float, digits: int = 4):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value >= _INF:
        return "inf"
    return round(float(value), digits)


def _boot_rates(flags: np.ndarray, rng: np.random.Generator, rounds: int) -> np.ndarray:
    """Bootstrap replicates of the mean of a 0/1 array (one value per round)."""
    if len(flags) == 0:
        return np.full(rounds, np.nan)
    # The number of flagged among n draws with replacement is binomial(n, observed share).
    return rng.binomial(len(flags), flags.mean(), size=rounds) / len(flags)


def roc_auc_with_interval(y: np.ndarray, p: np.ndarray, *, rounds: int = BOOTSTRAP_ROUNDS,
                          seed: int = 0) -> tuple[float, list]:
    """ROC-AUC and its 95 % bootstrap interval (rows resampled with replacement)."""
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(seed)
    n = len(y)
    replicates = []
    for _ in range(rounds):
        index = rng.integers(0, n, n)
        if y[index].min() != y[index].max():
            replicates.append(roc_auc_score(y[index], p[index]))
    return round(float(roc_auc_score(y, p)), 4), _interval(np.array(replicates, dtype=float))


def _thresholds_for(groups: np.ndarray, threshold: float, group_thresholds: dict[str, float] | None) -> np.ndarray:
    if not group_thresholds:
        return np.full(len(groups), threshold)
    return np.array([group_thresholds.get(str(g), threshold) for g in groups], dtype=float)


def group_error_rates(y: np.ndarray, p: np.ndarray, groups: np.ndarray, *, threshold: float,
                      group_thresholds: dict[str, float] | None = None, rounds: int = BOOTSTRAP_ROUNDS,
                      seed: int = 0) -> dict:
    """False-high-risk and false-low-risk rates per group at one threshold, with intervals, group
    sizes, the largest false-high-risk ratio with its interval, and whether it is within the bound."""
    rng = np.random.default_rng(seed)
    groups = np.asarray(groups).astype(str)
    cut = _thresholds_for(groups, threshold, group_thresholds)
    flagged = p >= cut
    rows: dict[str, dict] = {}
    replicates: dict[str, np.ndarray] = {}
    for value in sorted({g for g in groups if g not in ("", "nan", "None")}):
        in_group = groups == value
        negatives = flagged[in_group & (y == 0)].astype(float)
        positives = (~flagged[in_group & (y == 1)]).astype(float)
        boot_fhr = _boot_rates(negatives, rng, rounds)
        boot_flr = _boot_rates(positives, rng, rounds)
        rows[value] = {
            "n": int(in_group.sum()), "n_not_unemployed": len(negatives), "n_unemployed": len(positives),
            "false_high_risk_rate": _round(negatives.mean()) if len(negatives) else None,
            "false_high_risk_ci": _interval(boot_fhr),
            "false_low_risk_rate": _round(positives.mean()) if len(positives) else None,
            "false_low_risk_ci": _interval(boot_flr),
            "too_small": len(negatives) < MIN_GROUP_SIZE,
        }
        if group_thresholds and value in group_thresholds:
            rows[value]["threshold"] = round(group_thresholds[value], 4)
        if len(negatives) >= MIN_GROUP_SIZE:
            replicates[value] = boot_fhr
    result: dict = {"groups": rows, "largest_ratio": None, "ratio_ci": [None, None], "highest": None,
                    "lowest": None, "status": "not_measurable"}
    if len(replicates) >= 2:
        rates = {value: negatives_rate for value, negatives_rate in
                 ((v, float(np.mean(flagged[(groups == v) & (y == 0)]))) for v in replicates)}
        highest, lowest = max(rates, key=lambda v: rates[v]), min(rates, key=lambda v: rates[v])
        ratio = _ratio(rates[highest], rates[lowest])
        boot_ratio = np.array([_ratio(h, lo) for h, lo in zip(replicates[highest], replicates[lowest], strict=True)])
        interval = _interval(boot_ratio)
        low = _INF if interval[0] == "inf" else (interval[0] or 0.0)
        status = "within" if ratio <= FAIRNESS_BOUND else ("inconclusive" if low <= FAIRNESS_BOUND else "exceeds")
        result.update(largest_ratio=_round(ratio, 3), ratio_ci=interval, highest=highest, lowest=lowest,
                      status=status)
    return result


def _ratio(high: float, low: float) -> float:
    if low == 0:
        return 1.0 if high == 0 else _INF
    return high / low


def at_thresholds(y: np.ndarray, p: np.ndarray, groups: dict[str, np.ndarray], *,
                  thresholds: dict[str, float] | None = None,
                  group_thresholds: dict[str, dict[str, dict[str, float]]] | None = None,
                  rounds: int = BOOTSTRAP_ROUNDS, seed: int = 0) -> dict:
    """Accuracy, flagged share and per-group error rates at each production threshold.

    `group_thresholds` (mitigation): {level: {attribute: {group value: threshold}}}; one attribute."""
    thresholds = thresholds or PRODUCTION_THRESHOLDS
    report = {}
    for level, threshold in thresholds.items():
        by_attribute = (group_thresholds or {}).get(level) or {}
        attribute, per_group = next(iter(by_attribute.items()), (None, None))
        cut = _thresholds_for(np.asarray(groups[attribute]).astype(str), threshold, per_group) \
            if attribute else np.full(len(y), threshold)
        flagged = p >= cut
        report[level] = {
            "threshold": threshold,
            "accuracy": _round(float((flagged.astype(int) == y).mean())),
            "flagged_share": _round(float(flagged.mean())),
            "false_high_risk_rate": _round(float(flagged[y == 0].mean())) if (y == 0).any() else None,
            "false_low_risk_rate": _round(float((~flagged[y == 1]).mean())) if (y == 1).any() else None,
            "fairness": {
                name: group_error_rates(y, p, np.asarray(values), threshold=threshold,
                                        group_thresholds=per_group if name == attribute else None,
                                        rounds=rounds, seed=seed)
                if name == attribute else
                _rates_with_cut(y, p, np.asarray(values), cut, threshold, rounds=rounds, seed=seed)
                for name, values in groups.items()
            },
        }
    return report


def _rates_with_cut(y, p, groups, cut, threshold, *, rounds, seed) -> dict:
    # Another attribute's thresholds apply per person: express them as a score shift so the group
    # table of this attribute is computed with each person's own threshold.
    shifted = p - cut + threshold
    return group_error_rates(y, shifted, groups, threshold=threshold, rounds=rounds, seed=seed)


def thresholds_for(card: dict, inputs: dict) -> dict[str, float]:
    """The thresholds that apply to one citizen under the card: the production thresholds, or the
    group's own where the card carries a mitigation by an input attribute (ADR 0054)."""
    thresholds = dict(PRODUCTION_THRESHOLDS)
    mitigation = (card or {}).get("mitigation") or {}
    attribute = mitigation.get("attribute")
    if attribute not in MITIGATION_ATTRIBUTES:
        return thresholds
    value = str(((inputs or {}).get("register") or {}).get(attribute) or "")
    for level, per_group in (mitigation.get("thresholds") or {}).items():
        if level in thresholds and value in per_group:
            thresholds[level] = float(per_group[value])
    return thresholds


def fairness_check(report: dict, *, bound: float = FAIRNESS_BOUND) -> tuple[bool, list[str]]:
    """Whether every attribute at every production threshold is within the bound (or, where the
    data cannot tell, has an interval that includes it). The list names what exceeds it."""
    problems = []
    for level, values in (report or {}).items():
        for name, result in values.get("fairness", {}).items():
            if result.get("status") == "exceeds":
                problems.append(f"{name}@{level}: {result['largest_ratio']} "
                                f"[{result['ratio_ci'][0]}-{result['ratio_ci'][1]}] > {bound}")
    return not problems, problems


def _scores_estimator():
    """A "prefit estimator" whose score is the first column of X, so that fairlearn's
    ThresholdOptimizer can work on scores we already have (out-of-fold predictions)."""
    from sklearn.base import BaseEstimator, ClassifierMixin

    class _Scores(ClassifierMixin, BaseEstimator):
        classes_ = np.array([0, 1])

        def fit(self, X, y=None, **kwargs):
            return self

        def predict_proba(self, X):
            scores = np.asarray(X, dtype=float)[:, 0]
            return np.column_stack([1 - scores, scores])

        def predict(self, X):
            return (np.asarray(X, dtype=float)[:, 0] >= 0.5).astype(int)

        def __sklearn_is_fitted__(self) -> bool:
            return True

    return _Scores()


def fit_group_thresholds(y: np.ndarray, p: np.ndarray, groups: np.ndarray, *,
                         thresholds: dict[str, float] | None = None) -> dict[str, dict[str, float]]:
    """Mitigation by threshold optimisation (post-processing) with fairlearn's ThresholdOptimizer.

    Per production threshold t: ThresholdOptimizer under false-positive-rate parity (= equal
    false-high-risk rates) chooses the common rate that maximises accuracy weighted by t's cost
    ratio (a false high-risk flag counts t, a missed one 1 - t: exactly the weighting under which
    t itself is the accuracy-optimal threshold of a calibrated score), so the groups meet at the
    operating point the production threshold stands for. fairlearn reaches that rate by drawing
    at random between two thresholds per group; a suggestion must not depend on a coin, so each
    group gets the one threshold at which its false-high-risk rate equals the rate fairlearn's
    randomised rule gives it. Fitted on out-of-fold predictions of the training part, never on
    the holdout it is judged on; groups with fewer than MIN_GROUP_SIZE people who left
    unemployment, or nobody who did not, keep the production threshold."""
    from fairlearn.postprocessing import ThresholdOptimizer

    thresholds = thresholds or PRODUCTION_THRESHOLDS
    groups = np.asarray(groups).astype(str)
    # Groups too small to fit (or with only one outcome, which fairlearn cannot place on a curve)
    # keep the production threshold.
    usable = np.isin(groups, [v for v in set(groups) if ((groups == v) & (y == 0)).sum() >= MIN_GROUP_SIZE
                              and ((groups == v) & (y == 1)).any()])
    result: dict[str, dict[str, float]] = {}
    for level, threshold in thresholds.items():
        if len(set(groups[usable])) < 2:
            result[level] = {}
            continue
        cost = Fraction(threshold).limit_denominator(20)
        # Weights as whole repetitions: negatives count `t`, positives `1 - t`.
        repeat = np.where(y[usable] == 0, cost.numerator, cost.denominator - cost.numerator)
        index = np.repeat(np.flatnonzero(usable), repeat)
        optimizer = ThresholdOptimizer(estimator=_scores_estimator(), constraints="false_positive_rate_parity",
                                       objective="accuracy_score", prefit=True, predict_method="predict_proba")
        optimizer.fit(p[index].reshape(-1, 1), y[index], sensitive_features=groups[index])
        per_group = {}
        for value, rule in optimizer.interpolated_thresholder_.interpolation_dict.items():
            scores = np.sort(p[(groups == str(value)) & (y == 0)])
            rate = sum(float(share) * float(operation(scores).mean())
                       for share, operation in ((rule.p0, rule.operation0), (rule.p1, rule.operation1)))
            per_group[str(value)] = _threshold_for_rate(scores, rate)
        result[level] = dict(sorted(per_group.items()))
    return result


def _threshold_for_rate(sorted_scores: np.ndarray, rate: float) -> float:
    """The threshold t whose share of scores >= t is closest to `rate` (ties are whole steps)."""
    candidates = np.unique(sorted_scores)
    shares = 1 - np.searchsorted(sorted_scores, candidates, side="left") / len(sorted_scores)
    best = int(np.argmin(np.abs(shares - rate)))
    above = candidates[best]
    # Put the threshold halfway to the next lower score so that rounding cannot move it.
    below = candidates[best - 1] if best > 0 else above - 1e-3
    return float(round((above + below) / 2, 6)) if shares[best] > 0 else float(candidates[-1] + 1e-3)


def reweighing_weights(y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Sample weights that make the outcome independent of the group in the training data
    (Kamiran & Calders 2012): w(g, y) = P(g) P(y) / P(g, y). Mitigation at training time only:
    the group is not a feature and not known to the model when it scores (ADR 0054)."""
    groups = np.asarray(groups).astype(str)
    weights = np.ones(len(y))
    for value in set(groups):
        for label in (0, 1):
            cell = (groups == value) & (y == label)
            if cell.any():
                weights[cell] = (groups == value).mean() * (y == label).mean() / cell.mean()
    return weights


def mitigation_summary(report: dict, unmitigated: dict) -> dict:
    """What one mitigation achieved on the holdout: accuracy and its cost, and the largest ratio
    with its interval and status per attribute, at each production threshold."""
    return {
        level: {
            "accuracy": values["accuracy"],
            "accuracy_cost": round(unmitigated[level]["accuracy"] - values["accuracy"], 4),
            "fairness": {name: {key: result[key] for key in ("largest_ratio", "ratio_ci", "status")}
                         for name, result in values["fairness"].items()},
        }
        for level, values in report.items()
    }


def make_logistic(*, categorical: list[bool] | None = None, random_state: int = 0):
    """A regularised logistic model: median imputation with missing indicators, standardised
    numbers, one-hot categories, L2 strength chosen by inner cross-validation on ROC-AUC."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegressionCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numbers = make_pipeline(SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
                            StandardScaler())
    model = LogisticRegressionCV(Cs=6, cv=3, scoring="roc_auc", max_iter=1000, l1_ratios=(0.0,),
                                 use_legacy_attributes=False, random_state=random_state)
    if not categorical or not any(categorical):
        return make_pipeline(numbers, model)
    transformers = [
        ("numbers", numbers, [i for i, flag in enumerate(categorical) if not flag]),
        ("categories", make_pipeline(SimpleImputer(strategy="most_frequent", keep_empty_features=True),
                                     OneHotEncoder(handle_unknown="ignore")),
         [i for i, flag in enumerate(categorical) if flag]),
    ]
    return make_pipeline(ColumnTransformer(transformers), model)
