"""The effect of a service on time to job, estimated honestly (docs/adr/0098-effect-estimates-and-the-evidence-ladder.md).

Pure numerics on arrays, no Django: the selectors gather the data, this module estimates.

The design is a landmark comparison. Everyone in the comparison had an unemployment spell that was still
open `landmark_days` after it started; a *user* used the service within those first days, a *non-user*
did not. Time to job is counted from the landmark for both, so no one gets credit for the days before
they could have used the service (immortal-time bias). Users are then compared with non-users who
looked the same before the landmark:

1. the propensity score: a logistic regression (statsmodels) of use on the pre-use characteristics;
2. nearest-neighbour matching on the logit of the score, one non-user per user without replacement,
   within a caliper of 0.2 standard deviations of the logit (Austin 2011); users with no non-user
   within the caliper are left out and counted;
3. balance: the standardised mean difference of every characteristic after matching must be below
   0.1, else the result is shown as descriptive only;
4. Kaplan–Meier curves of time to job (lifelines) for the matched users and non-users, with 95 %
   confidence bands, and the difference in the share in job at 13 and 26 weeks with a 95 % interval
   (Greenwood variances of the two curves added; the two matched groups are treated as independent,
   which is conservative when matching induces positive correlation).

The evidence label follows jobeffekter.dk's ladder: a randomised experiment, then a matched comparison,
then descriptive figures, which are never called an effect.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np

WEEKS = (13, 26)
CALIPER_SD = 0.05
BALANCE_LIMIT = 0.1
MIN_GROUP = 20  # fewer matched users than this: descriptive only (and cells under 5 are never shown)
Z95 = 1.959963984540054


class Evidence:
    RANDOMISED = "randomised"
    MATCHED = "matched"
    DESCRIPTIVE = "descriptive"


@dataclass(frozen=True)
class Curve:
    """Share in job (1 - survival) at each week 0..horizon, with its 95 % band."""

    weeks: tuple[int, ...]
    share: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    at_risk: tuple[int, ...]


@dataclass(frozen=True)
class Difference:
    week: int
    users: float
    non_users: float
    difference: float
    lower: float
    upper: float
    standard_error: float


@dataclass(frozen=True)
class Estimate:
    evidence: str
    users: int                   # users in the comparison (after matching, if matched)
    non_users: int
    unmatched_users: int = 0
    balance: dict[str, tuple[float, float]] = field(default_factory=dict)  # name -> (SMD before, after)
    reason: str = ""             # why a weaker label was given (a key; the page words it)
    curves: dict[str, Curve] = field(default_factory=dict)  # "users" / "non_users"
    differences: tuple[Difference, ...] = ()
    # Row numbers of the users compared (for checks and simulations; never shown).
    compared_users: np.ndarray | None = field(default=None, compare=False, repr=False)


# --- Propensity scores and matching ------------------------------------------------------------------


def propensity_scores(covariates: np.ndarray, treated: np.ndarray) -> np.ndarray:
    """P(use | characteristics) by logistic regression (statsmodels), with an intercept. Columns that do
    not vary are dropped; a perfectly separating column raises `Separation`."""
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    varying = covariates[:, covariates.std(axis=0) > 0] if covariates.size else covariates
    design = sm.add_constant(varying, has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("error", ConvergenceWarning)
        try:
            fitted = sm.Logit(treated.astype(float), design).fit(disp=0, maxiter=100)
        except (PerfectSeparationWarning, ConvergenceWarning, np.linalg.LinAlgError) as error:
            raise Separation(str(error)) from error
        except Exception as error:  # statsmodels' PerfectSeparationError on older versions
            if type(error).__name__ == "PerfectSeparationError":
                raise Separation(str(error)) from error
            raise
    return np.clip(fitted.predict(design), 1e-6, 1 - 1e-6)


class Separation(Exception):
    """Use is predicted perfectly by the characteristics: users and non-users do not overlap."""


def match_nearest(score_users: np.ndarray, score_non_users: np.ndarray, caliper: float) -> np.ndarray:
    """For each user (in order of the hardest to match first: highest score), the index of the nearest
    unused non-user within the caliper, or -1. Greedy, without replacement."""
    order = np.argsort(-score_users, kind="stable")
    available = np.ones(len(score_non_users), dtype=bool)
    matches = np.full(len(score_users), -1)
    for user in order:
        distance = np.abs(score_non_users - score_users[user])
        distance[~available] = np.inf
        best = int(np.argmin(distance)) if len(distance) else -1
        if best >= 0 and distance[best] <= caliper:
            matches[user] = best
            available[best] = False
    return matches


def standardised_differences(covariates: np.ndarray, users: np.ndarray, non_users: np.ndarray) -> np.ndarray:
    """|mean difference| / pooled standard deviation, per column (0 where a column does not vary)."""
    a, b = covariates[users], covariates[non_users]
    pooled = np.sqrt((a.var(axis=0) + b.var(axis=0)) / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        smd = np.abs(a.mean(axis=0) - b.mean(axis=0)) / pooled
    return np.nan_to_num(smd, nan=0.0, posinf=0.0)


# --- Kaplan-Meier ------------------------------------------------------------------------------------


def _kaplan_meier(durations: np.ndarray, events: np.ndarray, horizon: int):
    """(lifelines fitter, weeks 0..horizon) of one group; durations in weeks."""
    from lifelines import KaplanMeierFitter

    fitter = KaplanMeierFitter(alpha=0.05)
    fitter.fit(durations, event_observed=events)
    return fitter


def _share_and_variance(fitter, week: float) -> tuple[float, float]:
    """Share in job by `week` and its Greenwood variance."""
    table = fitter.event_table
    times = table.index.to_numpy()
    died, at_risk = table["observed"].to_numpy(), table["at_risk"].to_numpy()
    upto = (times <= week) & (died > 0)
    survival = float(np.prod(1 - died[upto] / at_risk[upto]))
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = died[upto] / (at_risk[upto] * (at_risk[upto] - died[upto]))
    greenwood = float(np.nansum(np.where(np.isfinite(terms), terms, 0.0)))
    return 1 - survival, survival**2 * greenwood


def curve(durations: np.ndarray, events: np.ndarray, horizon: int = 26) -> Curve:
    fitter = _kaplan_meier(durations, events, horizon)
    weeks = np.arange(0, horizon + 1)
    survival = fitter.survival_function_at_times(weeks).to_numpy()
    band = fitter.confidence_interval_survival_function_
    band_times = band.index.to_numpy()
    position = np.searchsorted(band_times, weeks, side="right") - 1
    lower_survival = np.where(position >= 0, band.iloc[:, 0].to_numpy()[np.maximum(position, 0)], 1.0)
    upper_survival = np.where(position >= 0, band.iloc[:, 1].to_numpy()[np.maximum(position, 0)], 1.0)
    at_risk = [int((durations >= week).sum()) for week in weeks]
    return Curve(weeks=tuple(int(w) for w in weeks), share=tuple(float(1 - s) for s in survival),
                 lower=tuple(float(1 - u) for u in upper_survival), upper=tuple(float(1 - low) for low in lower_survival),
                 at_risk=tuple(at_risk))


def differences(durations: np.ndarray, events: np.ndarray, users: np.ndarray, non_users: np.ndarray,
                weeks: tuple[int, ...] = WEEKS) -> tuple[Difference, ...]:
    """Share in job among users minus non-users at each week, with a 95 % interval."""
    fitted_users = _kaplan_meier(durations[users], events[users], max(weeks))
    fitted_non_users = _kaplan_meier(durations[non_users], events[non_users], max(weeks))
    found = []
    for week in weeks:
        share_users, variance_users = _share_and_variance(fitted_users, week)
        share_non_users, variance_non_users = _share_and_variance(fitted_non_users, week)
        difference = share_users - share_non_users
        error = math.sqrt(variance_users + variance_non_users)
        found.append(Difference(week=week, users=share_users, non_users=share_non_users, difference=difference,
                                lower=difference - Z95 * error, upper=difference + Z95 * error,
                                standard_error=error))
    return tuple(found)


# --- The estimate ------------------------------------------------------------------------------------


def estimate(*, durations: np.ndarray, events: np.ndarray, used: np.ndarray, covariates: np.ndarray,
             names: list[str], randomised: bool = False, horizon: int = 26, with_curves: bool = True) -> Estimate:
    """The comparison of users with non-users. durations: weeks from the landmark to job or censoring;
    events: 1 if the spell ended in a job, 0 if censored (still unemployed, or left for another reason);
    used: 1 for users; covariates: pre-use characteristics, one column per name."""
    used = used.astype(bool)
    all_users, all_non_users = np.flatnonzero(used), np.flatnonzero(~used)
    before = standardised_differences(covariates, all_users, all_non_users) if covariates.size else np.zeros(0)
    if randomised:
        return _compared(Evidence.RANDOMISED, durations, events, all_users, all_non_users, horizon, with_curves,
                         balance={n: (float(b), float(b)) for n, b in zip(names, before, strict=True)})
    if len(all_users) < MIN_GROUP or len(all_non_users) < MIN_GROUP:
        return _compared(Evidence.DESCRIPTIVE, durations, events, all_users, all_non_users, horizon, with_curves,
                         reason="too_few")
    try:
        scores = propensity_scores(covariates, used)
    except Separation:
        return _compared(Evidence.DESCRIPTIVE, durations, events, all_users, all_non_users, horizon, with_curves,
                         reason="no_overlap")
    logit = np.log(scores / (1 - scores))
    matches = match_nearest(logit[all_users], logit[all_non_users], CALIPER_SD * float(logit.std()))
    matched = matches >= 0
    users, non_users = all_users[matched], all_non_users[matches[matched]]
    after = standardised_differences(covariates, users, non_users) if len(users) else before
    balance = {n: (float(b), float(a)) for n, b, a in zip(names, before, after, strict=True)}
    unmatched = int((~matched).sum())
    if len(users) < MIN_GROUP:
        return _compared(Evidence.DESCRIPTIVE, durations, events, all_users, all_non_users, horizon, with_curves,
                         reason="too_few_matched", balance=balance, unmatched=unmatched)
    if after.size and float(after.max()) >= BALANCE_LIMIT:
        return _compared(Evidence.DESCRIPTIVE, durations, events, all_users, all_non_users, horizon, with_curves,
                         reason="imbalance", balance=balance, unmatched=unmatched)
    return _compared(Evidence.MATCHED, durations, events, users, non_users, horizon, with_curves, balance=balance,
                     unmatched=unmatched)


def _compared(evidence: str, durations, events, users, non_users, horizon: int, with_curves: bool, *,
              reason: str = "", balance: dict | None = None, unmatched: int = 0) -> Estimate:
    curves = {}
    if with_curves and len(users) and len(non_users):
        curves = {"users": curve(durations[users], events[users], horizon),
                  "non_users": curve(durations[non_users], events[non_users], horizon)}
    found = differences(durations, events, users, non_users) if len(users) and len(non_users) else ()
    return Estimate(evidence=evidence, users=len(users), non_users=len(non_users), unmatched_users=unmatched,
                    balance=balance or {}, reason=reason, curves=curves, differences=found, compared_users=users)
