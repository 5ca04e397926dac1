"""The labelled questions (data/questions.tsv) and the evaluation of the assistant on them.

Each row: split (tune | test), expected (a card key; `own_case` or `crisis`: must be routed to a
person; `handoff`: off-topic, must not be answered with a card), question. The thresholds are
calibrated on the tuning half only (`assistant_eval --calibrate` writes data/calibration.json);
the figures that count are those of the test half.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from . import engine, routing, selectors
from .cards import DATA_DIR
from .text import clean

QUESTIONS = DATA_DIR / "questions.tsv"
ROUTED = {"own_case", "crisis"}


@dataclass(frozen=True)
class Row:
    split: str
    expected: str
    question: str


@dataclass(frozen=True)
class Features:
    route: str | None
    ranked: tuple[str, ...]
    cosine: float
    margin: float


def load_questions(path: Path = QUESTIONS) -> list[Row]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        split, expected, question = line.split("\t", 2)
        rows.append(Row(split, expected, question))
    return rows


def features(row: Row, *, municipality_id: int | None = None) -> Features:
    text = clean(row.question)
    route = routing.route(text)
    if route:
        return Features(route, (), 0.0, 0.0)
    index = selectors.index_for(municipality_id=municipality_id)
    hits = index.rank(text, selectors._query_vector(text))
    if not hits:
        return Features(None, (), 0.0, 0.0)
    margin = hits[0].fused - (hits[1].fused if len(hits) > 1 else 0.0)
    return Features(None, tuple(index.cards[h.index].key for h in hits), hits[0].cosine, margin)


def decide(f: Features, calibration: engine.Calibration) -> str:
    """The key answered with, or 'own_case' / 'crisis' / 'clarify' / 'handoff' (first attempt)."""
    if f.route:
        return f.route
    if f.ranked and f.cosine >= calibration.min_cosine and f.margin >= calibration.min_margin:
        return f.ranked[0]
    if f.ranked and f.cosine >= calibration.clarify_cosine:
        return "clarify"
    return "handoff"


def metrics(rows: list[Row], feats: list[Features], calibration: engine.Calibration) -> dict:
    in_scope = [(r, f) for r, f in zip(rows, feats, strict=True) if r.expected not in ROUTED | {"handoff"}]
    routed = [(r, f) for r, f in zip(rows, feats, strict=True) if r.expected in ROUTED]
    decisions = [decide(f, calibration) for f in feats]
    wrong = sum(1 for r, d in zip(rows, decisions, strict=True)
                if d not in ROUTED | {"clarify", "handoff"} and d != r.expected)
    answered_right = sum(1 for r, d in zip(rows, decisions, strict=True) if d == r.expected and r.expected not in ROUTED)
    handed = sum(1 for d in decisions if d in ROUTED | {"handoff"})
    clarified = sum(1 for d in decisions if d == "clarify")
    clarify_hits = sum(1 for (r, f) in in_scope if decide(f, calibration) == "clarify" and r.expected in f.ranked[:3])
    n = len(rows)
    return {
        "questions": n, "in_scope": len(in_scope),
        "recall@1": round(sum(1 for r, f in in_scope if f.ranked[:1] == (r.expected,)) / max(1, len(in_scope)), 4),
        "recall@3": round(sum(1 for r, f in in_scope if r.expected in f.ranked[:3]) / max(1, len(in_scope)), 4),
        "answered_right_rate": round(answered_right / max(1, len(in_scope)), 4),
        "wrong_answer_rate": round(wrong / max(1, n), 4),
        "handoff_rate": round(handed / max(1, n), 4),
        "clarify_rate": round(clarified / max(1, n), 4),
        "clarify_offers_right_card": round(clarify_hits / max(1, clarified), 4) if clarified else None,
        "routed_expected": len(routed),
        "routed_correctly": sum(1 for r, f in routed if f.route == r.expected),
        "routed_to_a_person": sum(1 for r, f in routed if f.route in ROUTED),
        "off_topic_answered": sum(1 for r, d in zip(rows, decisions, strict=True)
                                  if r.expected == "handoff" and d not in ROUTED | {"clarify", "handoff"}),
    }


def calibrate(rows: list[Row], feats: list[Features], *, max_wrong: float = 0.015) -> engine.Calibration:
    """The thresholds that answer the most tuning questions right with at most `max_wrong` wrong answers."""
    best, best_score = engine.Calibration(), (-1.0, 0.0)
    cosines = [round(0.80 + i * 0.0025, 4) for i in range(65)]
    margins = [round(i * 0.01, 3) for i in range(40)]
    for cos in cosines:
        for margin in margins:
            calib = engine.Calibration(min_cosine=cos, min_margin=margin, clarify_cosine=0.0)
            m = metrics(rows, feats, calib)
            if m["wrong_answer_rate"] > max_wrong:
                continue
            score = (m["answered_right_rate"], -cos - margin)
            if score > best_score:
                best, best_score = calib, score
    in_scope_cos = sorted(f.cosine for r, f in zip(rows, feats, strict=True) if r.expected not in ROUTED | {"handoff"})
    # Offer topics when the best card is at least as close as nearly all real questions (5th percentile).
    best.clarify_cosine = round(in_scope_cos[len(in_scope_cos) // 20], 4) if in_scope_cos else 0.8
    return best


def write_calibration(calibration: engine.Calibration) -> Path:
    path = DATA_DIR / "calibration.json"
    path.write_text(json.dumps(asdict(calibration), indent=2) + "\n")
    return path
