"""Offline evaluation and learning to rank (matching/learning.py): position-bias-corrected metrics,
the estimated examination propensities and the decision to use a learned model."""

import json
import math

import numpy as np
import pytest

from jobunivers.matching import learning, scoring

# Hidden weights far from the hand-set ones: distance matters most, the occupation little.
FAR_FROM_HAND_SET = {"occupation": 0.10, "skills": 0.20, "semantic": 0.0, "distance": 0.55, "recency": 0.05,
                     "conditions": 0.10, "signals": 0.0}
HAND_SET = {part: getattr(scoring.HAND_SET, part) for part in scoring.PARTS}


def _log(tmp_path, **options):
    path = tmp_path / "log.jsonl"
    learning.synthetic_log(path, **{"feeds": 800, "per_feed": 30, **options})
    return learning.read_log(path)


def _query(key, grades, positions=None, parts=None, true_relevance=None):
    n = len(grades)
    return learning.Query(
        key=key, parts=np.full((n, len(scoring.PARTS)), 0.5, dtype=np.float32) if parts is None else parts,
        grades=np.array(grades, dtype=np.float32),
        positions=np.array(positions if positions is not None else range(n), dtype=np.int64),
        true_relevance=None if true_relevance is None else np.array(true_relevance, dtype=np.float64))


def test_strong_position_bias_misleads_naive_metrics_but_not_ips_and_the_better_model_is_used(tmp_path):
    # given a log shown in hand-set order with strong position bias, where citizens weigh the parts
    # very differently from the hand-set weights
    meta, queries = _log(tmp_path, seed=2, hidden_weights=FAR_FROM_HAND_SET, position_bias=2.0)
    # when hand-set and learned weights are compared on held-out feeds
    report = learning.compare(queries)
    hand, learned = report.hand_set, report.learned
    # then the learned weights are closer to the hidden ones than the hand-set weights
    hidden = np.array([FAR_FROM_HAND_SET[p] for p in scoring.PARTS])
    assert np.abs(np.array(list(report.learned_weights.values())) - hidden).sum() < 0.5 * np.abs(
        scoring.HAND_SET.vector() - hidden).sum()
    # and the truth prefers them, the naive metric (scored against position-biased clicks) does not,
    # the IPS estimate does, and is close to the true value for both
    assert learned["true_dcg@10"] > hand["true_dcg@10"] + 0.3
    assert learned["naive_ndcg@10"] < hand["naive_ndcg@10"]
    assert learned["ips_dcg@10"] > hand["ips_dcg@10"] + 0.2
    for metrics in (hand, learned):
        assert abs(metrics["ips_dcg@10"] - metrics["true_dcg@10"]) < 0.25 * metrics["true_dcg@10"]
    # and the decision, made on the unbiased metric, activates the learned model
    assert report.activated is True
    assert report.gain["metric"] == "ips_dcg@10"
    assert report.gain["lower_bound_95"] > 0
    assert report.reason.startswith("IPS DCG@10 gain +")


def test_a_learned_model_that_is_not_better_is_not_activated(tmp_path):
    # given a log where citizens weigh the parts exactly as the hand-set weights do
    _meta, queries = _log(tmp_path, seed=2, hidden_weights=HAND_SET, position_bias=2.0)
    # when a model is learned and compared
    report = learning.compare(queries)
    # then it is truly no better, and it is not used
    assert report.learned["true_dcg@10"] <= report.hand_set["true_dcg@10"] + 0.02
    assert report.activated is False
    assert report.gain["relative"] < learning.MIN_IMPROVEMENT
    assert "the gain is below 1%" in report.reason


def test_examination_propensities_are_estimated_from_the_log_without_randomisation(tmp_path):
    # given a log whose examination probability at position k is (1 / log2(k + 2)) ** 2
    _meta, queries = _log(tmp_path, seed=5, position_bias=2.0)
    # when the propensities are estimated by regression EM
    propensities = learning.estimate_propensities(queries)
    # then they follow the generator's curve, relative to the top, never rising further down
    truth = (1 / np.log2(np.arange(30) + 2)) ** 2
    assert propensities.shape == (30,)
    assert propensities[0] == 1.0
    assert np.all(np.diff(propensities) <= 0)
    assert np.abs(propensities[:10] - truth[:10]).max() < 0.06


def test_without_any_action_nothing_is_corrected():
    propensities = learning.estimate_propensities([_query("a", [0, 0, 0]), _query("b", [0, 0])])
    assert propensities.tolist() == [1.0, 1.0, 1.0]


def test_ips_weights_each_action_by_its_clipped_examination_propensity():
    # given a feed with actions at positions 0 (a click) and 3 (an apply), examined with 1 and 0.05
    query = _query("feed", [1, 0, 0, 3], true_relevance=[0.5, 0.1, 0.0, 0.9])
    propensities = np.array([1.0, 0.5, 0.25, 0.05])
    # when a ranking puts the posting shown last first, then the rest in the order shown
    metrics = learning.per_feed([query], lambda q: np.array([3.0, 2.0, 1.0, 4.0]), propensities=propensities)
    # then each action counts once (the grade does not matter), divided by its position's
    # propensity, clipped at MIN_PROPENSITY (0.05 -> 0.1)
    assert metrics["ips_dcg@10"][0] == pytest.approx(10.0 / math.log2(2) + 1.0 / math.log2(3))
    assert metrics["ips_recall@50"][0] == 1.0
    # and the naive and true metrics are there, on their own scales
    assert metrics["naive_ndcg@10"][0] == pytest.approx(learning.ndcg_at(np.array([3.0, 1.0, 0.0, 0.0])))
    assert metrics["true_dcg@10"][0] == pytest.approx(0.9 + 0.5 / math.log2(3) + 0.1 / math.log2(4))
    assert metrics["true_ndcg@10"][0] == pytest.approx(1.0)


def test_a_feed_without_actions_counts_zero_for_ips_dcg_and_is_left_out_of_the_others():
    metrics = learning.evaluate([_query("clicked", [1, 0]), _query("quiet", [0, 0])],
                                lambda q: np.array([1.0, 0.0]), propensities=np.array([1.0, 0.5]))
    assert (metrics["naive_ndcg@10"], metrics["ips_dcg@10"], metrics["feeds"], metrics["feeds_all"]) == (
        1.0, 0.5, 1, 2)
    assert "true_dcg@10" not in metrics  # a real log does not know the truth


def test_a_worse_candidate_is_not_activated(tmp_path):
    # given held-out feeds and a candidate that ranks by recency alone
    _meta, queries = _log(tmp_path, seed=2, hidden_weights=FAR_FROM_HAND_SET, position_bias=2.0)
    recency_only = scoring.Weights(occupation=0, skills=0, semantic=0, distance=0, recency=1, conditions=0,
                                   signals=0, version="recency-only")
    propensities = learning.estimate_propensities(queries)
    # when the decision is made
    decision = learning.decide(queries, recency_only, propensities=propensities)
    # then it is not used
    assert decision.activated is False
    assert decision.gain < 0
    assert decision.reason.endswith("the gain is below 1%")


def test_too_few_held_out_feeds_decide_nothing(tmp_path):
    _meta, queries = _log(tmp_path, feeds=100, hidden_weights=FAR_FROM_HAND_SET)
    report = learning.compare(queries)
    assert report.activated is False
    assert report.reason == f"only {report.gain['feeds']} held-out feeds with a click or better (need 50)"


def test_the_log_is_read_in_the_order_shown(tmp_path):
    # given a feed whose lines are not in the order shown, and one without positions
    path = tmp_path / "log.jsonl"
    rows = [{"meta": {"synthetic": False}},
            {"query": "a", "posting": 7, "position": 2, "event": "impression", "parts": {"distance": 0.2}},
            {"query": "a", "posting": 5, "position": 0, "event": "impression", "parts": {}},
            {"query": "a", "posting": 6, "position": 1, "event": "impression", "parts": {}},
            {"query": "a", "posting": 7, "position": 2, "event": "apply", "parts": {}},
            {"query": "b", "posting": 8, "event": "click", "parts": {}},
            {"query": "b", "posting": 9, "event": "impression", "parts": {}}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    # when it is read
    meta, queries = learning.read_log(path)
    # then postings are in position order, with the strongest event each, and line order where no position is given
    a, b = queries
    assert (meta, a.positions.tolist(), a.grades.tolist(), b.positions.tolist(), b.grades.tolist()) == (
        {"synthetic": False}, [0, 1, 2], [0.0, 0.0, 3.0], [0, 1], [1.0, 0.0])
    assert a.parts[2, scoring.PARTS.index("distance")] == pytest.approx(0.2)
    assert a.true_relevance is None


def test_a_bad_position_stops_the_run_with_its_line_number(tmp_path):
    path = tmp_path / "log.jsonl"
    path.write_text(json.dumps({"query": "a", "posting": 1, "position": 0, "event": "click", "parts": {}}) + "\n"
                    + json.dumps({"query": "a", "posting": 2, "position": -1, "event": "click", "parts": {}}) + "\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match=r"log.jsonl, line 2: position must be a whole number from 0, not -1"):
        learning.read_log(path)


@pytest.mark.django_db
def test_the_platform_log_is_exported_in_the_order_shown_with_positions(municipality, tmp_path):
    from jobunivers.matching.models import Feed, Interaction, InteractionKind

    from .helpers import citizen_seeking, occupation, posting

    # given a feed of three postings whose impressions were stored last position first, and a save
    carpenter = occupation("tømrer", "7115")
    citizen = citizen_seeking(municipality, [carpenter])
    jobs = [posting(f"Tømrer {n}", carpenter) for n in range(3)]
    feed = Feed.all_tenants.create(municipality=municipality, citizen=citizen, model_version="hand-1",
                                   posting_ids=[j.pk for j in jobs], scores=[0.9, 0.8, 0.7])
    for position in (2, 1, 0):
        Interaction.all_tenants.create(municipality=municipality, citizen=citizen, posting=jobs[position],
                                       kind=InteractionKind.IMPRESSION, feed=feed, position=position,
                                       parts={"occupation": 1.0, "distance": 1.0 - position / 10})
    Interaction.all_tenants.create(municipality=municipality, citizen=citizen, posting=jobs[2],
                                   kind=InteractionKind.SAVE, feed=feed, position=2)
    # when the log is exported and read back
    written = learning.export_log(tmp_path / "log.jsonl")
    _meta, (query,) = learning.read_log(tmp_path / "log.jsonl")
    # then the feed is in the order shown, with its positions, parts and the save on the last posting
    assert written == 3
    assert (query.positions.tolist(), query.grades.tolist()) == ([0, 1, 2], [0.0, 0.0, 2.0])
    assert query.parts[:, scoring.PARTS.index("distance")].tolist() == pytest.approx([1.0, 0.9, 0.8])
