"""Offline ranking evaluation and learning to rank from the interaction log.

The interaction-log file (JSON lines, UTF-8; documented in docs/matching.md) has one line per
posting shown in a feed:

    {"query": "feed-123", "posting": 456, "event": "apply", "parts": {"occupation": 1.0, ...},
     "citizen_text": "tømrer ...", "posting_text": "Tømrer til renovering ...", "synthetic": false}

`query` groups the postings of one feed; `event` is the strongest thing the citizen did with the
posting in that feed: impression < click < save < apply (graded relevance 0..3); dismiss is 0.
A first line {"meta": {...}} may describe the file (generator, seed, "synthetic": true).

Ranking quality is nDCG@10, MAP (relevant = clicked or better) and recall@50, per feed, averaged.
Baselines in the same run: plain BM25 over the texts (rank_bm25), and the hand-set weights.
The learned model is pairwise logistic regression on part differences (scikit-learn): a standard
RankNet-style learning-to-rank method whose weights stay readable per part. It replaces the
hand-set weights only when it beats them on held-out feeds (see train_from_interactions).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from . import scoring

GRADES = {"impression": 0, "dismiss": 0, "click": 1, "save": 2, "apply": 3}
MIN_IMPROVEMENT = 0.005  # nDCG@10 on held-out feeds that a learned model must gain to be used
MIN_HELD_OUT_FEEDS = 50


@dataclass
class Query:
    key: str
    parts: np.ndarray  # (n, len(PARTS))
    grades: np.ndarray  # (n,)
    citizen_text: str = ""
    posting_texts: list[str] = field(default_factory=list)


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
            except (KeyError, TypeError, AttributeError, json.JSONDecodeError, ValueError) as error:
                raise ValueError(f"{path}, line {number}: {error}") from error
            query = grouped.setdefault(key, {"postings": {}, "citizen_text": row.get("citizen_text", "")})
            posting = query["postings"].setdefault(row["posting"], {"parts": parts, "grade": 0,
                                                                    "text": row.get("posting_text", "")})
            posting["grade"] = max(posting["grade"], GRADES[event])
    queries = []
    for key, data in grouped.items():
        postings = list(data["postings"].values())
        queries.append(Query(key=key, parts=np.array([p["parts"] for p in postings], dtype=np.float32),
                             grades=np.array([p["grade"] for p in postings], dtype=np.float32),
                             citizen_text=data["citizen_text"], posting_texts=[p["text"] for p in postings]))
    return meta, queries


# --- metrics ------------------------------------------------------------------------------------------

def ndcg_at(grades_in_order: np.ndarray, k: int = 10) -> float:
    gains = (2.0 ** grades_in_order[:k] - 1) / np.log2(np.arange(2, min(k, len(grades_in_order)) + 2))
    ideal_order = np.sort(grades_in_order)[::-1]
    ideal = (2.0 ** ideal_order[:k] - 1) / np.log2(np.arange(2, min(k, len(ideal_order)) + 2))
    return float(gains.sum() / ideal.sum()) if ideal.sum() > 0 else 0.0


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


def evaluate(queries: list[Query], rank) -> dict[str, float]:
    """rank(query) -> scores (higher first). Feeds without any relevant posting are skipped."""
    ndcg, ap, recall = [], [], []
    for query in queries:
        if not (query.grades >= 1).any():
            continue
        scores = np.asarray(rank(query), dtype=np.float64)
        order = np.lexsort((np.arange(len(scores)), -scores))  # stable: ties keep log order
        grades = query.grades[order]
        ndcg.append(ndcg_at(grades, 10))
        ap.append(average_precision(grades))
        recall.append(recall_at(grades, 50))
    if not ndcg:
        return {"ndcg@10": 0.0, "map": 0.0, "recall@50": 0.0, "feeds": 0}
    return {"ndcg@10": round(float(np.mean(ndcg)), 4), "map": round(float(np.mean(ap)), 4),
            "recall@50": round(float(np.mean(recall)), 4), "feeds": len(ndcg)}


def rank_by_weights(weights: scoring.Weights):
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


def fit_pairwise(queries: list[Query], *, max_pairs: int = 200_000, seed: int = 7) -> scoring.Weights:
    """Pairwise logistic regression: within each feed, learn which of two postings the citizen
    preferred from the difference of their parts, corrected for position bias. Weights are clipped at 0 and normalised, so a
    learned model is as readable (and as bounded) as the hand-set one."""
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    differences, weights = [], []
    for query in queries:
        # Inverse propensity weighting (Joachims et al., "Unbiased learning-to-rank with biased
        # feedback", 2017): a posting shown low was less likely to be examined at all, so the pairs
        # it wins count 1/p(examined). Postings are in the order shown (log order); the examination
        # model is the usual 1/log2(position + 2).
        better, worse = np.nonzero(query.grades[:, None] > query.grades[None, :])
        if not len(better):
            continue
        differences.append(query.parts[better] - query.parts[worse])
        weights.append(np.log2(better + 2.0))
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

    def as_dict(self) -> dict:
        return asdict(self)


def compare(queries: list[Query]) -> TrainingReport:
    train, test = split(queries)
    learned = fit_pairwise(train)
    hand = evaluate(test, rank_by_weights(scoring.HAND_SET))
    learned_metrics = evaluate(test, rank_by_weights(learned))
    bm25 = evaluate(test, rank_bm25) if any(q.citizen_text for q in test) else {}
    gain = learned_metrics["ndcg@10"] - hand["ndcg@10"]
    if learned.version == scoring.HAND_SET.version:
        activated, reason = False, "no preference pairs to learn from"
    elif hand["feeds"] < MIN_HELD_OUT_FEEDS:
        activated, reason = False, f"only {hand['feeds']} held-out feeds with a click or better (need {MIN_HELD_OUT_FEEDS})"
    elif gain < MIN_IMPROVEMENT:
        activated, reason = False, f"nDCG@10 gain {gain:+.4f} on held-out feeds is below {MIN_IMPROVEMENT}"
    else:
        activated, reason = True, f"nDCG@10 gain {gain:+.4f} on held-out feeds"
    return TrainingReport(
        feeds_train=len(train), feeds_held_out=len(test), hand_set=hand, learned=learned_metrics, bm25=bm25,
        learned_weights={p: getattr(learned, p) for p in scoring.PARTS}, version=learned.version,
        activated=activated, reason=reason)


def export_log(path: Path | str) -> int:
    """Write the platform's interaction log (impressions with their parts, and what followed) as a
    log file for evaluation. Only feeds of citizens who consented have impressions at all."""
    from .models import Interaction, InteractionKind

    strongest: dict[tuple[int, int], str] = {}
    parts: dict[tuple[int, int], dict] = {}
    for feed_id, posting_id, kind, part_values in Interaction.all_tenants.filter(feed__isnull=False).values_list(
            "feed_id", "posting_id", "kind", "parts").iterator(chunk_size=5000):
        key = (feed_id, posting_id)
        if kind == InteractionKind.IMPRESSION:
            parts[key] = part_values
        if GRADES[kind] >= GRADES.get(strongest.get(key, "impression"), 0):
            strongest[key] = kind
    written = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"meta": {"source": "jobunivers interaction log", "synthetic": False}}) + "\n")
        for key, part_values in parts.items():
            handle.write(json.dumps({"query": f"feed-{key[0]}", "posting": key[1], "event": strongest.get(key, "impression"),
                                     "parts": part_values, "synthetic": False}) + "\n")
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
                "method": "pairwise logistic regression (scikit-learn) on score parts",
                "weights": report.learned_weights,
                "metrics": {"hand_set": report.hand_set, "learned": report.learned, "bm25": report.bm25,
                            "reason": report.reason},
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


def synthetic_log(path: Path | str, *, feeds: int = 2000, per_feed: int = 80, seed: int = 42) -> int:
    """Write a SYNTHETIC interaction log. Citizens act on a hidden utility that weighs the parts
    differently from the hand-set weights (distance and skills matter more), with position bias
    and noise, so a learner has something real to find and BM25 only sees the texts."""
    rng = random.Random(seed)
    true_weights = np.array([0.25, 0.25, 0.05, 0.30, 0.05, 0.05, 0.05], dtype=np.float32)
    written = 0
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"meta": {"generator": "jobunivers.matching.learning.synthetic_log", "seed": seed,
                                          "feeds": feeds, "synthetic": True,
                                          "hidden_weights": dict(zip(scoring.PARTS, true_weights.tolist(),
                                                                     strict=True))}}) + "\n")
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
            # Shown in hand-set order (as the platform would), so position bias favours hand-set picks.
            order = np.argsort(-scoring.combine(np.array([r[0] for r in rows])))
            for position, index in enumerate(order):
                parts, posting_text = rows[index]
                utility = float(parts @ true_weights) + rng.gauss(0, 0.08)
                examine = 1.0 / math.log2(position + 2)
                chance = examine / (1 + math.exp(-14 * (utility - 0.62)))
                event = "impression"
                if rng.random() < chance:
                    event = rng.choices(["click", "save", "apply"], weights=[5, 3, 2])[0]
                elif utility < 0.35 and rng.random() < 0.1:
                    event = "dismiss"
                handle.write(json.dumps({
                    "query": f"synthetic-{feed}", "posting": feed * per_feed + int(index), "event": event,
                    "parts": {p: round(float(v), 4) for p, v in zip(scoring.PARTS, parts, strict=True)},
                    "citizen_text": citizen_text, "posting_text": posting_text, "synthetic": True},
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
