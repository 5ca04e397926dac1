"""Training and evaluating the risk model: gradient boosting (scikit-learn), calibrated, with a
time-ordered split, and the metrics of the model card. No Django here; the registry is in services.

Definitions (docs/segmentation.md):
- discrimination: ROC-AUC on the later (test) part of the time-ordered split;
- calibration: Brier score, and the slope (and intercept) of a logistic regression of the outcome
  on the logit of the predicted risk — 1.0 is perfect, below 1 means over-confident predictions;
- false-high-risk rate of a group: among those in the group who did NOT remain unemployed, the
  share the model put at or above the high-risk threshold; the fairness ratio is the largest rate
  divided by the smallest among groups with at least MIN_GROUP_SIZE such people.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from threadpoolctl import threadpool_limits

from . import evaluation

# scikit-learn is imported inside the functions that train: Django imports this module at start-up
# (segmentation services), and no request needs sklearn's seconds-long import.

HIGH_RISK_THRESHOLD = evaluation.PRODUCTION_THRESHOLDS["high"]
CV_FOLDS = 5
MODEL_KINDS = ("logistic", "boosting")
MIN_GROUP_SIZE = 30
TEST_FRACTION = 0.2
# "Not worse" (promotion rule): tolerances against the active model (ADR 0051, 0054).
TOLERANCE_AUC = 0.01
TOLERANCE_BRIER = 0.005
TOLERANCE_SLOPE = 0.1
CALIBRATION_SLOPE_RANGE = (0.8, 1.25)


# OpenMP threads per fit/predict. One by default: web and worker processes already run in
# parallel, and oversubscribed OpenMP spin-waiting made training 40x slower on a busy machine.
THREADS = int(os.environ.get("SEGMENTATION_THREADS", "1"))


@contextmanager
def _threads():
    with threadpool_limits(limits=THREADS):
        yield


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return roc_auc_score(y, p)


class TrainingError(ValueError):
    """The data cannot train a model (too few rows, one class only, ...)."""


def make_estimator(*, n_rows: int, categorical: list[bool] | None = None, random_state: int = 0):
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier

    booster = HistGradientBoostingClassifier(
        max_iter=150, learning_rate=0.08, max_leaf_nodes=31, min_samples_leaf=40, l2_regularization=1.0,
        categorical_features=categorical if categorical and any(categorical) else None,
        early_stopping=False, random_state=random_state,
    )
    # Isotonic calibration needs many rows; with few, the sigmoid (Platt) method is steadier.
    # ensemble=False: the calibrator learns from out-of-fold predictions and one booster fitted on
    # all rows does the scoring, so scoring a million citizens runs one model, not three.
    return CalibratedClassifierCV(booster, method="isotonic" if n_rows >= 5000 else "sigmoid", cv=3,
                                  ensemble=False)


def calibration_slope(y: np.ndarray, p: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    logit = np.log(clipped / (1 - clipped)).reshape(-1, 1)
    regression = LogisticRegression(C=1e6, max_iter=1000).fit(logit, y)
    return float(regression.coef_[0][0]), float(regression.intercept_[0])


def fairness(y: np.ndarray, p: np.ndarray, groups: np.ndarray, *, threshold: float = HIGH_RISK_THRESHOLD) -> dict:
    """False-high-risk rate per group value, and the largest ratio between groups."""
    rates: dict[str, dict] = {}
    negatives = y == 0
    for value in sorted({str(g) for g in groups if str(g) not in ("", "nan", "None")}):
        in_group = (groups.astype(str) == value) & negatives
        count = int(in_group.sum())
        rate = float((p[in_group] >= threshold).mean()) if count else None
        rates[value] = {"n_not_unemployed": count, "false_high_risk_rate": None if rate is None else round(rate, 4)}
    usable = [r["false_high_risk_rate"] for r in rates.values()
              if r["n_not_unemployed"] >= MIN_GROUP_SIZE and r["false_high_risk_rate"] is not None]
    if len(usable) < 2:
        ratio = None
    elif min(usable) == 0:
        ratio = math.inf if max(usable) > 0 else 1.0
    else:
        ratio = max(usable) / min(usable)
    return {"groups": rates, "largest_ratio": None if ratio is None else (
        "inf" if ratio == math.inf else round(ratio, 3))}


@dataclass
class TrainResult:
    estimator: object
    card: dict
    test_probabilities: np.ndarray = field(repr=False)
    test_index: np.ndarray | None = field(default=None, repr=False)


def time_ordered_split(entry_times: np.ndarray, event_times: np.ndarray | None, *,
                       test_fraction: float = TEST_FRACTION) -> tuple[np.ndarray, np.ndarray, float]:
    """Train on the earlier entries, test on the later ones. With event times, training rows whose
    outcome was not yet known at the cut-off are left out (as they would be in real use)."""
    order = np.argsort(entry_times, kind="stable")
    cut_index = int(len(order) * (1 - test_fraction))
    train_index, test_index = order[:cut_index], order[cut_index:]
    cutoff = float(entry_times[order[cut_index]]) if len(test_index) else float("inf")
    if event_times is not None:
        known = ~(event_times[train_index] > cutoff)  # NaN (no event) counts as known
        train_index = train_index[known]
    return train_index, test_index, cutoff


def _make(kind: str, *, n_rows: int, categorical: list[bool] | None, random_state: int):
    if kind == "logistic":
        return evaluation.make_logistic(categorical=categorical, random_state=random_state)
    return make_estimator(n_rows=n_rows, categorical=categorical, random_state=random_state)


def _out_of_fold(kind: str, X: np.ndarray, y: np.ndarray, *, folds: int, categorical, random_state: int):
    """Out-of-fold probabilities of the training part (stratified folds, fixed seed)."""
    from sklearn.model_selection import StratifiedKFold

    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    p = np.empty(len(y))
    for fit_index, score_index in splitter.split(X, y):
        model = _make(kind, n_rows=len(fit_index), categorical=categorical, random_state=random_state)
        model.fit(X[fit_index], y[fit_index])
        p[score_index] = model.predict_proba(X[score_index])[:, 1]
    return p


def _metrics(y: np.ndarray, p: np.ndarray, *, rounds: int) -> dict:
    from sklearn.metrics import brier_score_loss

    slope, intercept = calibration_slope(y, p)
    auc, interval = evaluation.roc_auc_with_interval(y, p, rounds=rounds)
    return {"roc_auc": auc, "roc_auc_ci": interval, "brier": round(float(brier_score_loss(y, p)), 4),
            "calibration_slope": round(slope, 3), "calibration_intercept": round(intercept, 3)}


def train_and_evaluate(X: np.ndarray, y: np.ndarray, *, feature_names: list[str], entry_times: np.ndarray,
                       event_times: np.ndarray | None = None, groups: dict[str, np.ndarray] | None = None,
                       categorical: list[bool] | None = None, threshold: float = HIGH_RISK_THRESHOLD,
                       random_state: int = 0, refit_on_all: bool = False, select_model: bool = False,
                       mitigate: str | None = None, reference_estimator=None, reference_version: int | None = None,
                       cv_folds: int = CV_FOLDS, bootstrap_rounds: int = evaluation.BOOTSTRAP_ROUNDS,
                       model_kind: str = "boosting", compare: tuple[str, ...] | list[str] = ()) -> TrainResult:
    """Time-ordered split, fit on the earlier part, report the card's metrics on the later part.

    select_model: choose between the regularised logistic model and gradient boosting by
    cross-validated ROC-AUC on the training part (both reported). mitigate: an attribute whose
    per-group thresholds are fitted on out-of-fold predictions of the training part and judged
    on the same holdout (ADR 0054). reference_estimator: the active model, scored on the same
    holdout so that promotion compares like with like. model_kind: the kind without selection."""
    y = np.asarray(y).astype(int)
    groups = groups or {}
    if len(y) < 100:
        raise TrainingError(f"At least 100 labelled rows are needed, got {len(y)}.")
    if set(np.unique(y)) - {0, 1}:
        raise TrainingError("The label must be 0 or 1.")
    if mitigate and mitigate not in groups:
        raise TrainingError(f"Mitigation needs the group column {mitigate}.")
    for name in compare:
        if name not in groups:
            raise TrainingError(f"Mitigation needs the group column {name}.")
    train_index, test_index, cutoff = time_ordered_split(entry_times, event_times)
    if len(np.unique(y[train_index])) < 2 or len(np.unique(y[test_index])) < 2:
        raise TrainingError("Both outcomes must occur in the earlier and the later part of the data.")
    X_train, y_train, X_test, y_test = X[train_index], y[train_index], X[test_index], y[test_index]
    if model_kind not in MODEL_KINDS:
        raise TrainingError(f"Unknown model kind {model_kind}.")
    kind, selection, out_of_fold = model_kind, None, None
    with _threads():
        if select_model:
            out_of_fold = {name: _out_of_fold(name, X_train, y_train, folds=cv_folds, categorical=categorical,
                                              random_state=random_state) for name in MODEL_KINDS}
            cv_auc = {name: round(float(_auc(y_train, p)), 4) for name, p in out_of_fold.items()}
            kind = max(MODEL_KINDS, key=lambda name: (cv_auc[name], name == "logistic"))
            selection = {"cv_folds": cv_folds, "cv_roc_auc": cv_auc, "chosen": kind, "holdout": {}}
        elif mitigate or compare:
            out_of_fold = {kind: _out_of_fold(kind, X_train, y_train, folds=cv_folds, categorical=categorical,
                                              random_state=random_state)}
        models = {}
        for name in (MODEL_KINDS if select_model else (kind,)):
            models[name] = _make(name, n_rows=len(train_index), categorical=categorical, random_state=random_state)
            models[name].fit(X_train, y_train)
        holdout = {name: model.predict_proba(X_test)[:, 1] for name, model in models.items()}
        reference_p = reference_estimator.predict_proba(X_test)[:, 1] if reference_estimator is not None else None
    estimator, p = models[kind], holdout[kind]
    if selection is not None:
        selection["holdout"] = {name: evaluation.roc_auc_with_interval(y_test, value, rounds=bootstrap_rounds)[0]
                                for name, value in holdout.items()}
    test_groups = {name: np.asarray(values)[test_index] for name, values in groups.items()}
    production = evaluation.at_thresholds(y_test, p, test_groups, rounds=bootstrap_rounds)
    card = {
        "features": list(feature_names),
        "model": kind,
        "n_train": int(len(train_index)),
        "n_test": int(len(test_index)),
        "split": "time-ordered",
        "cutoff": cutoff,
        "base_rate_test": round(float(y_test.mean()), 4),
        **_metrics(y_test, p, rounds=bootstrap_rounds),
        "high_risk_threshold": threshold,
        "accuracy_at_threshold": round(float(((p >= threshold).astype(int) == y_test).mean()), 4),
        "fairness": {name: fairness(y_test, p, values, threshold=threshold) for name, values in test_groups.items()},
        "production_thresholds": dict(evaluation.PRODUCTION_THRESHOLDS),
        "at_thresholds": production,
        "fairness_bound": evaluation.FAIRNESS_BOUND,
        "bootstrap_rounds": bootstrap_rounds,
        "mitigation": None,
    }
    if selection is not None:
        card["model_selection"] = selection
    if mitigate:
        assert out_of_fold is not None
        fitted = evaluation.fit_group_thresholds(y_train, out_of_fold[kind], np.asarray(groups[mitigate])[train_index])
        mitigated = evaluation.at_thresholds(
            y_test, p, test_groups, rounds=bootstrap_rounds,
            group_thresholds={level: {mitigate: values} for level, values in fitted.items()})
        card["mitigation"] = {
            "method": "group_thresholds", "attribute": mitigate, "thresholds": fitted,
            "library": "fairlearn ThresholdOptimizer (false-positive-rate parity), one threshold per group",
            "fitted_on": "out-of-fold predictions of the training part",
            "accuracy_cost": {level: round(production[level]["accuracy"] - mitigated[level]["accuracy"], 4)
                              for level in production},
            "unmitigated": production,
        }
        card["at_thresholds"] = mitigated
    if compare:
        assert out_of_fold is not None
        card["mitigations_evaluated"] = _compare_mitigations(
            compare, kind=kind, p_test=p, X_train=X_train, y_train=y_train, X_test=X_test, y_test=y_test,
            out_of_fold=out_of_fold[kind], train_groups={n: np.asarray(v)[train_index] for n, v in groups.items()},
            test_groups=test_groups, production=production, categorical=categorical, random_state=random_state,
            rounds=bootstrap_rounds)
    card["fairness_within_bound"], card["fairness_problems"] = evaluation.fairness_check(card["at_thresholds"])
    if reference_p is not None:
        card["reference"] = {"version": reference_version, **_metrics(y_test, reference_p, rounds=bootstrap_rounds),
                             "at_thresholds": evaluation.at_thresholds(y_test, reference_p, test_groups,
                                                                       rounds=bootstrap_rounds)}
    if refit_on_all:
        estimator = _make(kind, n_rows=len(y), categorical=categorical, random_state=random_state)
        with _threads():
            estimator.fit(X, y)
    return TrainResult(estimator=estimator, card=card, test_probabilities=p, test_index=test_index)


def _fit_weighted(model, X, y, weights):
    """Fit with sample weights; in a pipeline they go to its last step."""
    if hasattr(model, "steps"):
        return model.fit(X, y, **{f"{model.steps[-1][0]}__sample_weight": weights})
    return model.fit(X, y, sample_weight=weights)


def _compare_mitigations(attributes, *, kind, p_test, X_train, y_train, X_test, y_test, out_of_fold, train_groups,
                         test_groups, production, categorical, random_state, rounds) -> list[dict]:
    """Each mitigation on the same holdout, with its accuracy cost against the unmitigated model."""
    results = []
    for attribute in attributes:
        fitted = evaluation.fit_group_thresholds(y_train, out_of_fold, train_groups[attribute])
        report = evaluation.at_thresholds(y_test, p_test, test_groups, rounds=rounds,
                                          group_thresholds={level: {attribute: v} for level, v in fitted.items()})
        results.append({"method": "thresholds", "library": "fairlearn ThresholdOptimizer", "attribute": attribute,
                        "allowed_in_decisions": attribute in evaluation.MITIGATION_ATTRIBUTES,
                        "thresholds": fitted, "at_thresholds": evaluation.mitigation_summary(report, production)})
        weights = evaluation.reweighing_weights(y_train, train_groups[attribute])
        model = _make(kind, n_rows=len(y_train), categorical=categorical, random_state=random_state)
        with _threads():
            _fit_weighted(model, X_train, y_train, weights)
            p = model.predict_proba(X_test)[:, 1]
        report = evaluation.at_thresholds(y_test, p, test_groups, rounds=rounds)
        results.append({"method": "reweighting", "library": "sample weights (Kamiran & Calders)",
                        "attribute": attribute, "allowed_in_decisions": False,
                        "roc_auc": round(float(_auc(y_test, p)), 4),
                        "calibration_slope": round(calibration_slope(y_test, p)[0], 3),
                        "at_thresholds": evaluation.mitigation_summary(report, production)})
    return results


def largest_fairness_ratio(card: dict) -> float:
    ratios = []
    for value in (card.get("fairness") or {}).values():
        ratio = value.get("largest_ratio")
        if ratio is not None:
            ratios.append(math.inf if ratio == "inf" else float(ratio))
    return max(ratios) if ratios else 1.0


def not_worse(candidate: dict, active: dict | None, *, active_version: int | None = None) -> tuple[bool, list[str]]:
    """Whether a candidate may replace the active model; the list says what stands in the way.

    Absolute conditions: the largest false-high-risk ratio at every production threshold is
    within the bound (or its interval includes it), and the calibration slope lies in
    CALIBRATION_SLOPE_RANGE. Relative: not worse than the active model, compared on the
    candidate's own holdout where the card scored the active model there (card["reference"])."""
    problems = []
    if "at_thresholds" not in candidate:
        problems.append("fairness_not_measured_at_production_thresholds")
    else:
        _ok, unfair = evaluation.fairness_check(candidate["at_thresholds"])
        problems += [f"fairness_ratio {text}" for text in unfair]
    low, high = CALIBRATION_SLOPE_RANGE
    if not low <= candidate["calibration_slope"] <= high:
        problems.append("calibration_slope")
    if active is None:
        return not problems, problems
    reference = candidate.get("reference")
    if reference and active_version is not None and reference.get("version") == active_version:
        active = {**active, **{key: reference[key] for key in ("roc_auc", "brier", "calibration_slope")}}
    if candidate["roc_auc"] < active["roc_auc"] - TOLERANCE_AUC:
        problems.append("roc_auc")
    if candidate["brier"] > active["brier"] + TOLERANCE_BRIER:
        problems.append("brier")
    if abs(candidate["calibration_slope"] - 1) > abs(active["calibration_slope"] - 1) + TOLERANCE_SLOPE:
        problems.append("calibration_slope_worse")
    return not problems, problems


def serialise(estimator) -> tuple[bytes, str]:
    blob = pickle.dumps(estimator, protocol=pickle.HIGHEST_PROTOCOL)
    return blob, hashlib.sha256(blob).hexdigest()


def deserialise(blob: bytes | memoryview, sha256: str):
    # The file is only ever written by our own training command into our own database; the
    # checksum guards against a truncated or altered file before unpickling it.
    if hashlib.sha256(bytes(blob)).hexdigest() != sha256:
        raise ValueError("The stored model file does not match its checksum.")
    return pickle.loads(bytes(blob))  # noqa: S301


def predict(estimator, X: np.ndarray) -> np.ndarray:
    """Vectorised scoring: one predict_proba call for the whole batch."""
    if len(X) == 0:
        return np.empty(0)
    with _threads():
        return estimator.predict_proba(X)[:, 1]
