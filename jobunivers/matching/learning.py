"""Offline ranking evaluation and learning to rank from the interaction log.

The interaction-log file (JSON lines, UTF-8; documented in docs/matching.md) has one line per
posting shown in a feed:

    {"query": "feed-123", "posting": 456, "position": 3, "event": "apply", "parts": {"occupation": 1.0, ...},
     "citizen_text": "tømrer ...", "posting_text": "Tømrer til renovering ...", "synthetic": false}

`query` groups the postings of one feed; `position` is where the posting was shown (0 = top; when
missing, the order of the lines within the feed); `event` is the strongest thing the citizen did
with the posting in that feed: impression < click < save < apply (graded relevance 0..3); dismiss
is 0. A first line {"meta": {...}} may describe the file (generator, seed, "synthetic": true).
Synthetic logs also carry `true_relevance` per line: the probability that the citizen acts on the
posting (clicks or better) if they look at it, which no real log can know.

Clicks are position-biased: a posting shown low is looked at less often, so in a log collected
under one ranking (the hand-set weights) the postings that ranking put on top collect the actions,
and scoring any other ranking of the same postings against the raw actions favours the logging
ranking. Three estimators are reported side by side:

- naive: nDCG@10 (graded), MAP and recall@50 (relevant = clicked or better) against the raw events;
- ips: inverse-propensity-weighted DCG@10 and recall@50 (Joachims et al., "Unbiased
  learning-to-rank with biased feedback", WSDM 2017): an action counts 1 / p(its position was
  examined), p clipped at MIN_PROPENSITY. IPS DCG@10 is an unbiased estimate of the DCG@10 that the
  probabilities of action-if-examined would give. The examination probabilities are estimated
  from the training feeds by regression EM (Wang et al., "Position bias estimation for unbiased
  learning to rank in personal search", WSDM 2018), which needs no randomised rankings;
- true: DCG@10 and nDCG@10 against `true_relevance`, on synthetic logs only, so the reader can
  see which estimator agrees with the truth (ips_dcg@10 estimates true_dcg@10).

The learned model is pairwise logistic regression on part differences (scikit-learn), weighted by
the same estimated propensities: a standard RankNet-style learning-to-rank method whose weights
stay readable per part. It replaces the hand-set weights only when its IPS DCG@10 on held-out feeds
beats theirs clearly (`decide`).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from . import scoring

GRADES = {"impression": 0, "dismiss": 0, "click": 1, "save": 2, "apply": 3}
MIN_IMPROVEMENT = 0.01  # relative IPS DCG@10 gain on held-out feeds a learned model needs to be used
MIN_HELD_OUT_FEEDS = 50  # held-out feeds with a click or better needed to decide at all
# Smallest examination probability an event is divided by: an event at a position examined less
# often counts at most 1 / MIN_PROPENSITY = 10 times. Bounds the variance of the IPS estimates at
# the price of a little bias towards the logging ranking at the deepest positions.
MIN_PROPENSITY = 0.1
Z_ONE_SIDED_95 = 1.645

Ranker = Callable[["Query"], np.ndarray]


@dataclass
class Query:
    key: str
    parts: np.ndarray  # (n, len(PARTS)), in the order shown
    grades: np.ndarray  # (n,)
    citizen_text: str = ""
    posting_texts: list[str] = field(default_factory=list)
    # (n,) 0-based position each posting was shown at; left empty: the order of the rows
    positions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    true_relevance: np.ndarray | None = None  # (n,) synthetic logs only: p(action | examined)

    def __post_init__(self) -> None:
        if not len(self.positions):
            self.positions = np.arange(len(self.grades), dtype=np.int64)


def read_log(path: Path | str) -> tuple[dict, list[Query]]:
    """Read an interaction log; raises ValueError with the line number for a malformed line."""
    meta: dict = {}
    grouped: dict[str, dict] = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if "meta" in row:
                    meta = dict(row["meta"])
                    continue
                key, event = str(row["query"]), row["event"]
                if event not in GRADES:
                    raise ValueError(f"unknown event {event!r}")
                parts = [float(row["parts"].get(part, scoring.NEUTRAL)) for part in scoring.PARTS]
                position = row.get("position")
                if position is not None and (not isinstance(position, int) or isinstance(position, bool)
                                             or position < 0):
                    raise ValueError(f"position must be a whole number from 0, not {position!r}")
                true_relevance = row.get("true_relevance")
                if true_relevance is not None:
                    true_relevance = float(true_relevance)
            except (KeyError, TypeError, AttributeError, json.JSONDecodeError, ValueError) as error:
                raise ValueError(f"{path}, line {number}: {error}") from error
            query = grouped.setdefault(key, {"postings": {}, "citizen_text": row.get("citizen_text", "")})
            postings = query["postings"]
            posting = postings.setdefault(row["posting"], {
                "parts": parts, "grade": 0, "text": row.get("posting_text", ""), "true_relevance": true_relevance,
                "position": len(postings) if position is None else position})
            posting["grade"] = max(posting["grade"], GRADES[event])
    queries = []
    for key, data in grouped.items():
        postings = sorted(data["postings"].values(), key=lambda p: p["position"])
        truth = [p["true_relevance"] for p in postings]
        queries.append(Query(
            key=key, parts=np.array([p["parts"] for p in postings], dtype=np.float32),
            grades=np.array([p["grade"] for p in postings], dtype=np.float32),
            citizen_text=data["citizen_text"], posting_texts=[p["text"] for p in postings],
            positions=np.array([p["position"] for p in postings], dtype=np.int64),
            true_relevance=None if any(t is None for t in truth) else np.array(truth, dtype=np.float64)))
    return meta, queries


# --- position bias ------------------------------------------------------------------------------------

def estimate_propensities(queries: list[Query], *, iterations: int = 300, tolerance: float = 1e-6) -> np.ndarray:
    """Examination probability per position (index 0 = top), relative to the top position.

    Regression EM (Wang et al., WSDM 2018) on the examination hypothesis: a posting is acted on
    (clicked or better) when it is examined, with probability theta[position], and relevant, with
    probability gamma(parts) = logistic(parts @ beta + b). E-step: the posterior of examined and of
    relevant for every posting without an action; M-step: theta per position, and beta by Newton
    steps on the soft relevance labels. Stops when the log-likelihood gains less than `tolerance`
    per posting. Positions are then made non-increasing (isotonic regression: nobody looks further
    down more often than further up) and divided by the top position's value. Without any action
    in the log every position gets 1 (no correction).
    """
    rows = [q for q in queries if len(q.grades)]
    if not rows:
        return np.ones(1)
    positions = np.concatenate([q.positions for q in rows])
    acted = np.concatenate([q.grades >= 1 for q in rows])
    x = np.hstack([np.vstack([q.parts for q in rows]).astype(np.float64), np.ones((len(positions), 1))])
    shown = np.bincount(positions).astype(np.float64)
    if not acted.any():
        return np.ones(len(shown))
    theta = np.full(len(shown), 0.5)  # 1 everywhere would be a fixed point: everything examined
    beta = np.zeros(x.shape[1])
    previous = -math.inf
    for _ in range(iterations):
        gamma = 1.0 / (1.0 + np.exp(-(x @ beta)))
        examined_probability = theta[positions]
        nothing = np.maximum(1.0 - examined_probability * gamma, 1e-12)
        log_likelihood = float(np.log(np.where(acted, np.maximum(examined_probability * gamma, 1e-12), nothing)).sum())
        if log_likelihood - previous < tolerance * len(acted):
            break
        previous = log_likelihood
        examined = np.where(acted, 1.0, examined_probability * (1 - gamma) / nothing)
        relevant = np.where(acted, 1.0, (1 - examined_probability) * gamma / nothing)
        theta = np.clip(np.bincount(positions, weights=examined, minlength=len(shown)) / np.maximum(shown, 1),
                        1e-6, 1.0)
        beta = _logistic_newton(x, relevant, beta, steps=2)
    from sklearn.isotonic import IsotonicRegression

    levels = np.flatnonzero(shown)
    smooth = IsotonicRegression(increasing=False).fit(levels, theta[levels], sample_weight=shown[levels])
    relative = smooth.predict(np.arange(len(shown)))
    return np.clip(relative / max(float(relative[0]), 1e-9), 0.0, 1.0)


def _logistic_newton(x: np.ndarray, targets: np.ndarray, beta: np.ndarray, *, steps: int,
                     l2: float = 1e-6) -> np.ndarray:
    """Newton steps of logistic regression on soft targets in [0, 1]; the last column of x is the
    intercept. The ridge is only there to keep constant parts (collinear with the intercept)
    solvable: a stronger one flattens gamma and makes deep positions look less examined."""
    penalty = np.full(len(beta), l2 * len(x))
    penalty[-1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ beta)))
        gradient = x.T @ (targets - p) - penalty * beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(len(beta))
        beta = beta + np.linalg.solve(hessian, gradient)
    return beta


def propensity_at(propensities: np.ndarray, positions: np.ndarray, *, clip: float = MIN_PROPENSITY) -> np.ndarray:
    """Clipped examination probability of each position; positions deeper than the estimate get
    the deepest estimate."""
    index = np.minimum(positions, len(propensities) - 1)
    return np.clip(propensities[index], clip, 1.0)


# --- metrics ------------------------------------------------------------------------------------------

def dcg_at(gains_in_order: np.ndarray, k: int = 10) -> float:
    top = np.asarray(gains_in_order, dtype=np.float64)[:k]
    return float((top / np.log2(np.arange(2, len(top) + 2))).sum())


def ndcg_from_gains(gains_in_order: np.ndarray, k: int = 10) -> float:
    ideal = dcg_at(np.sort(gains_in_order)[::-1], k)
    return dcg_at(gains_in_order, k) / ideal if ideal > 0 else 0.0


def ndcg_at(grades_in_order: np.ndarray, k: int = 10) -> float:
    return ndcg_from_gains(2.0 ** np.asarray(grades_in_order, dtype=np.float64) - 1, k)


def average_precision(grades_in_order: np.ndarray) -> float:
    relevant = grades_in_order >= 1
    if not relevant.any():
        return 0.0
    hits = np.cumsum(relevant)
    precision = hits / np.arange(1, len(relevant) + 1)
    return float((precision * relevant).sum() / relevant.sum())


def recall_at(grades_in_order: np.ndarray, k: int = 50) -> float:
    relevant = grades_in_order >= 1
    return float(relevant[:k].sum() / relevant.sum()) if relevant.any() else 0.0


def per_feed(queries: list[Query], rank: Ranker, *, propensities: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Every metric for every feed, in query order (NaN where a metric says nothing about a feed).

    naive_* and ips_recall@50 are defined for feeds with a click or better; ips_dcg@10 (0 for a feed
    without any) and true_* for every feed. IPS metrics need `propensities`, true_* a synthetic log.
    """
    values: dict[str, list[float]] = defaultdict(list)
    nan = math.nan
    for query in queries:
        scores = np.asarray(rank(query), dtype=np.float64)
        order = np.lexsort((np.arange(len(scores)), -scores))  # stable: ties keep the order shown
        grades = query.grades[order]
        acted = bool((grades >= 1).any())
        values["naive_ndcg@10"].append(ndcg_at(grades, 10) if acted else nan)
        values["naive_map"].append(average_precision(grades) if acted else nan)
        values["naive_recall@50"].append(recall_at(grades, 50) if acted else nan)
        if propensities is not None:
            # An action (click or better) counts 1 / p(its position was examined): in expectation
            # that is the probability of an action had the posting been examined, wherever it was.
            weighted = (grades >= 1) / propensity_at(propensities, query.positions[order])
            values["ips_dcg@10"].append(dcg_at(weighted, 10))
            values["ips_recall@50"].append(float(weighted[:50].sum() / weighted.sum()) if acted else nan)
        if query.true_relevance is not None:
            true = query.true_relevance[order]
            values["true_dcg@10"].append(dcg_at(true, 10))
            values["true_ndcg@10"].append(ndcg_from_gains(true, 10) if true.max() > 0 else nan)
    return {name: np.array(found, dtype=np.float64) for name, found in values.items()}


def evaluate(queries: list[Query], rank: Ranker, *, propensities: np.ndarray | None = None) -> dict[str, float]:
    """rank(query) -> scores (higher first). Means over the feeds where each metric is defined;
    `feeds` counts the feeds with a click or better, `feeds_all` all of them."""
    found = per_feed(queries, rank, propensities=propensities)
    metrics: dict[str, float] = {}
    for name, per in found.items():
        defined = per[~np.isnan(per)]
        metrics[name] = round(float(defined.mean()), 4) if len(defined) else 0.0
    metrics["feeds"] = int((~np.isnan(found["naive_ndcg@10"])).sum()) if queries else 0
    metrics["feeds_all"] = len(queries)
    return metrics


def rank_by_weights(weights: scoring.Weights) -> Ranker:
    return lambda query: scoring.combine(query.parts, weights)


def tokens(text: str) -> list[str]:
    return [t for t in "".join(c.lower() if c.isalnum() else " " for c in text).split() if len(t) > 1]


def rank_bm25(query: Query) -> np.ndarray:
    from rank_bm25 import BM25Okapi

    corpus = [tokens(text) or ["_"] for text in query.posting_texts]
    return BM25Okapi(corpus).get_scores(tokens(query.citizen_text))


# --- learning -----------------------------------------------------------------------------------------

def split(queries: list[Query], *, held_out: float = 0.2) -> tuple[list[Query], list[Query]]:
    """Deterministic split by feed (a hash of its key), so the same feed is always on the same side."""
    train: list[Query] = []
    test: list[Query] = []
    for query in queries:
        bucket = int(hashlib.sha256(query.key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
        (test if bucket < held_out else train).append(query)
    return train, test


def fit_pairwise(queries: list[Query], *, propensities: np.ndarray | None = None, max_pairs: int = 200_000,
                 seed: int = 7) -> scoring.Weights:
    """Pairwise logistic regression: within each feed, learn which of two postings the citizen
    preferred from the difference of their parts, corrected for position bias. Weights are clipped
    at 0 and normalised, so a learned model is as readable (and as bounded) as the hand-set one."""
    from sklearn.linear_model import LogisticRegression

    if propensities is None:
        propensities = estimate_propensities(queries)
    rng = np.random.default_rng(seed)
    differences, weights = [], []
    for query in queries:
        # Inverse propensity weighting (Joachims et al. 2017): a posting shown low was less likely
        # to be examined at all, so the pairs it wins count 1 / p(examined at its position).
        better, worse = np.nonzero(query.grades[:, None] > query.grades[None, :])
        if not len(better):
            continue
        differences.append(query.parts[better] - query.parts[worse])
        weights.append(1.0 / propensity_at(propensities, query.positions[better]))
    if not differences:
        return scoring.HAND_SET
    x, w = np.vstack(differences), np.concatenate(weights)
    if len(x) > max_pairs:
        chosen = rng.choice(len(x), max_pairs, replace=False)
        x, w = x[chosen], w[chosen]
    signs = rng.choice([-1.0, 1.0], size=len(x))
    model = LogisticRegression(fit_intercept=False, C=1.0, max_iter=1000)
    model.fit(x * signs[:, None], (signs > 0).astype(int), sample_weight=w / w.mean())
    coefficients = np.clip(model.coef_[0], 0.0, None)
    if coefficients.sum() <= 0:
        return scoring.HAND_SET
    coefficients = coefficients / coefficients.sum()
    digest = hashlib.sha256(coefficients.round(4).tobytes()).hexdigest()[:8]
    return scoring.Weights(**{part: round(float(w), 4) for part, w in zip(scoring.PARTS, coefficients, strict=True)},
                           version=f"ltr-pairwise-{digest}")


@dataclass
class Decision:
    activated: bool
    reason: str
    gain: float  # mean paired difference in IPS DCG@10 per held-out feed, candidate minus baseline
    low: float  # its one-sided 95% lower confidence bound
    relative: float  # gain / the baseline's IPS DCG@10
    feeds: int


def decide(test: list[Query], candidate: scoring.Weights, *, propensities: np.ndarray,
           baseline: scoring.Weights = scoring.HAND_SET) -> Decision:
    """Use the candidate only when, on held-out feeds, its IPS DCG@10 beats the baseline's by at
    least MIN_IMPROVEMENT (relative) and the one-sided 95% lower bound of the paired gain is above 0."""
    ours = per_feed(test, rank_by_weights(candidate), propensities=propensities)
    theirs = per_feed(test, rank_by_weights(baseline), propensities=propensities)
    paired = ours["ips_dcg@10"] - theirs["ips_dcg@10"] if test else np.zeros(0)
    feeds = int((~np.isnan(theirs["naive_ndcg@10"])).sum()) if test else 0
    gain = float(paired.mean()) if len(paired) else 0.0
    low = gain - Z_ONE_SIDED_95 * float(paired.std(ddof=1)) / math.sqrt(len(paired)) if len(paired) > 1 else -math.inf
    base = float(theirs["ips_dcg@10"].mean()) if test else 0.0
    relative = gain / base if base > 0 else 0.0
    figures = (f"IPS DCG@10 gain {gain:+.4f} ({relative:+.1%}) on held-out feeds, "
               f"95% lower bound {low:+.4f}")
    if candidate.version == baseline.version:
        activated, reason = False, "no preference pairs to learn from"
    elif feeds < MIN_HELD_OUT_FEEDS:
        activated, reason = False, f"only {feeds} held-out feeds with a click or better (need {MIN_HELD_OUT_FEEDS})"
    elif relative < MIN_IMPROVEMENT:
        activated, reason = False, f"{figures}: the gain is below {MIN_IMPROVEMENT:.0%}"
    elif low <= 0:
        activated, reason = False, f"{figures}: the gain is not clearly above 0"
    else:
        activated, reason = True, figures
    return Decision(activated=activated, reason=reason, gain=round(gain, 4), low=round(low, 4),
                    relative=round(relative, 4), feeds=feeds)


@dataclass
class TrainingReport:
    feeds_train: int
    feeds_held_out: int
    hand_set: dict
    learned: dict
    bm25: dict
    learned_weights: dict
    version: str
    activated: bool
    reason: str
    gain: dict  # the decision's figures: paired IPS DCG@10 gain, its lower bound, relative gain
    propensities: list[float]  # estimated examination probability per position, relative to the top

    def as_dict(self) -> dict:
        return asdict(self)


def compare(queries: list[Query]) -> TrainingReport:
    """Train on 80% of the feeds, evaluate hand-set, learned and BM25 on the other 20%."""
    train, test = split(queries)
    propensities = estimate_propensities(train)
    learned = fit_pairwise(train, propensities=propensities)
    hand = evaluate(test, rank_by_weights(scoring.HAND_SET), propensities=propensities)
    learned_metrics = evaluate(test, rank_by_weights(learned), propensities=propensities)
    bm25 = evaluate(test, rank_bm25, propensities=propensities) if any(q.citizen_text for q in test) else {}
    decision = decide(test, learned, propensities=propensities)
    return TrainingReport(
        feeds_train=len(train), feeds_held_out=len(test), hand_set=hand, learned=learned_metrics, bm25=bm25,
        learned_weights={p: getattr(learned, p) for p in scoring.PARTS}, version=learned.version,
        activated=decision.activated, reason=decision.reason,
        gain={"metric": "ips_dcg@10", "mean": decision.gain, "lower_bound_95": decision.low,
              "relative": decision.relative, "feeds": decision.feeds},
        propensities=[round(float(p), 4) for p in propensities])


def export_log(path: Path | str) -> int:
    """Write the platform's interaction log (impressions with their parts and positions, and what
    followed) as a log file for evaluation, each feed in the order shown. Only feeds of citizens who
    consented have impressions at all."""
    from .models import Interaction, InteractionKind

    strongest: dict[tuple[int, int], str] = {}
    shown: dict[tuple[int, int], tuple[int | None, dict]] = {}
    for feed_id, posting_id, kind, position, part_values in Interaction.all_tenants.filter(
            feed__isnull=False).order_by("feed_id", "position", "id").values_list(
            "feed_id", "posting_id", "kind", "position", "parts").iterator(chunk_size=5000):
        key = (feed_id, posting_id)
        if kind == InteractionKind.IMPRESSION:
            shown[key] = (position, part_values)
        if GRADES[kind] >= GRADES.get(strongest.get(key, "impression"), 0):
            strongest[key] = kind
    written = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"meta": {"source": "jobunivers interaction log", "synthetic": False}}) + "\n")
        for key, (position, part_values) in shown.items():
            row = {"query": f"feed-{key[0]}", "posting": key[1], "event": strongest.get(key, "impression"),
                   "parts": part_values, "synthetic": False}
            if position is not None:
                row["position"] = position
            handle.write(json.dumps(row) + "\n")
            written += 1
    return written


def train_from_interactions(*, path: Path | None = None) -> TrainingReport:
    """Learn weights from the platform's log; store the model, active only if it won on held-out feeds."""
    import tempfile

    from django.db import transaction

    from .models import RankingModel

    with tempfile.TemporaryDirectory() as folder:
        log = path or Path(folder) / "interactions.jsonl"
        if path is None:
            export_log(log)
        _meta, queries = read_log(log)
    report = compare(queries)
    if report.version != scoring.HAND_SET.version:
        with transaction.atomic():
            if report.activated:
                RankingModel.objects.filter(is_active=True).update(is_active=False)
            RankingModel.objects.update_or_create(version=report.version, defaults={
                "method": "pairwise logistic regression (scikit-learn) on score parts, "
                          "inverse-propensity weighted",
                "weights": report.learned_weights,
                "metrics": {"hand_set": report.hand_set, "learned": report.learned, "bm25": report.bm25,
                            "gain": report.gain, "propensities": report.propensities, "reason": report.reason},
                "is_active": report.activated})
    return report


# --- a synthetic log for development (labelled synthetic) ---------------------------------------------

TRADES = [
    ("tømrer", "tømrer bygning træ renovering montage"), ("sygeplejerske", "sygeplejerske patient pleje hospital"),
    ("lagermedarbejder", "lager truck pakning plukning"), ("kok", "kok køkken madlavning restaurant"),
    ("chauffør", "chauffør lastbil kørsel distribution"), ("pædagog", "pædagog børn institution leg"),
    ("elektriker", "elektriker installation el service"), ("softwareudvikler", "udvikler python web software"),
    ("rengøringsassistent", "rengøring kontor hygiejne"), ("butiksmedarbejder", "butik salg kunder kasse"),
]
HIDDEN_WEIGHTS = {"occupation": 0.25, "skills": 0.25, "semantic": 0.05, "distance": 0.30, "recency": 0.05,
                  "conditions": 0.05, "signals": 0.05}
ACTIONS = {"click": 5, "save": 3, "apply": 2}  # relative frequency of an action, once a citizen acts


def synthetic_log(path: Path | str, *, feeds: int = 2000, per_feed: int = 80, seed: int = 42,
                  hidden_weights: dict[str, float] | None = None, position_bias: float = 1.0,
                  logging_weights: scoring.Weights = scoring.HAND_SET) -> int:
    """Write a SYNTHETIC interaction log. Citizens act on a hidden utility that weighs the parts
    differently from the hand-set weights (by default distance and skills matter more), with
    position bias and noise, so a learner has something real to find and BM25 only sees the texts.

    Feeds are shown ranked by `logging_weights` (the hand-set ones, as the platform would); a
    posting at position k (0 = top) is examined with probability (1 / log2(k + 2)) ** position_bias,
    and an examined posting is acted on with probability logistic(14 (utility - 0.62)). Each line
    records that posting's `true_relevance`: the probability of an action if it is examined.
    """
    rng = random.Random(seed)
    hidden = dict(HIDDEN_WEIGHTS if hidden_weights is None else hidden_weights)
    true_weights = np.array([hidden[part] for part in scoring.PARTS], dtype=np.float32)
    written = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"meta": {
            "generator": "jobunivers.matching.learning.synthetic_log", "seed": seed, "feeds": feeds,
            "synthetic": True, "hidden_weights": dict(zip(scoring.PARTS, true_weights.tolist(), strict=True)),
            "logging_weights": logging_weights.version,
            "examination": f"(1 / log2(position + 2)) ** {position_bias}"}}) + "\n")
        for feed in range(feeds):
            trade, words = TRADES[rng.randrange(len(TRADES))]
            citizen_text = f"{trade} {' '.join(rng.sample(words.split(), 2))}"
            rows = []
            for _ in range(per_feed):
                relation = rng.choices([3, 2, 1, 0], weights=[3, 2, 2, 3])[0]
                other = TRADES[rng.randrange(len(TRADES))]
                own = relation >= 2
                text_words = (words if own else other[1]).split()
                posting_text = f"{trade if own else other[0]} {' '.join(rng.sample(text_words, 2))}"
                parts = np.array([
                    float(scoring.occupation_part(relation)),
                    rng.random() ** (0.5 if own else 2),
                    min(1.0, max(0.0, (0.8 if own else 0.3) + rng.gauss(0, 0.15))),
                    float(scoring.distance_part(rng.uniform(0, 45), 30)),
                    float(scoring.recency_part(rng.uniform(0, 40), math.nan)),
                    rng.choice([0.2, 0.6, 1.0]),
                    0.5,
                ], dtype=np.float32)
                rows.append((parts, posting_text))
            # Shown in the logging ranking's order, so position bias favours what it put on top.
            order = np.argsort(-scoring.combine(np.array([r[0] for r in rows]), logging_weights))
            for position, index in enumerate(order):
                parts, posting_text = rows[index]
                utility = float(parts @ true_weights) + rng.gauss(0, 0.08)
                examine = (1.0 / math.log2(position + 2)) ** position_bias
                acts_if_examined = 1 / (1 + math.exp(-14 * (utility - 0.62)))
                event = "impression"
                if rng.random() < examine * acts_if_examined:
                    event = rng.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]
                elif utility < 0.35 and rng.random() < 0.1:
                    event = "dismiss"
                handle.write(json.dumps({
                    "query": f"synthetic-{feed}", "posting": feed * per_feed + int(index), "position": position,
                    "event": event,
                    "parts": {p: round(float(v), 4) for p, v in zip(scoring.PARTS, parts, strict=True)},
                    "citizen_text": citizen_text, "posting_text": posting_text, "synthetic": True,
                    "true_relevance": round(acts_if_examined, 6)},
                    ensure_ascii=False) + "\n")
                written += 1
    return written


def per_part_weights(weights: scoring.Weights) -> dict[str, float]:
    return {part: getattr(weights, part) for part in scoring.PARTS}


def summarise(queries: Iterable[Query]) -> dict[str, int]:
    queries = list(queries)
    counts: defaultdict[int, int] = defaultdict(int)
    for query in queries:
        for grade in query.grades:
            counts[int(grade)] += 1
    return {"feeds": len(queries), "shown": int(sum(counts.values())), "clicked_or_better": int(
        sum(v for k, v in counts.items() if k >= 1))}
