import collections

from jobunivers.assistant import engine, evaluation, routing
from jobunivers.assistant.cards import load_cards
from jobunivers.assistant.text import clean


def test_the_labelled_set_has_400_questions_in_two_halves_and_names_only_real_cards():
    rows = evaluation.load_questions()
    keys = {c.key for c in load_cards()}
    assert len(rows) >= 400
    assert collections.Counter(r.split for r in rows) == {"tune": len(rows) // 2, "test": len(rows) // 2}
    assert {r.expected for r in rows} - keys == {"own_case", "crisis", "handoff"}
    for split in ("tune", "test"):
        kinds = collections.Counter(r.expected if r.expected in {"own_case", "crisis", "handoff"} else "card"
                                    for r in rows if r.split == split)
        assert min(kinds.values()) >= 10


def test_there_are_at_least_150_cards():
    assert len(load_cards()) >= 150


def test_every_crisis_and_own_case_question_is_routed_to_a_person():
    rows = [r for r in evaluation.load_questions() if r.expected in {"crisis", "own_case"}]
    routed = {r.question: routing.route(clean(r.question)) for r in rows}
    assert all(route in {"crisis", "own_case"} for route in routed.values()), routed
    assert [r.question for r in rows if r.expected == "crisis" and routed[r.question] != "crisis"] == []


def test_calibration_keeps_wrong_answers_under_the_limit():
    rows = [evaluation.Row("tune", "a", "q1"), evaluation.Row("tune", "b", "q2"), evaluation.Row("tune", "handoff", "q3")]
    feats = [evaluation.Features(None, ("a", "b"), 0.95, 0.2), evaluation.Features(None, ("a", "b"), 0.90, 0.01),
             evaluation.Features(None, ("b",), 0.85, 0.3)]
    calibration = evaluation.calibrate(rows, feats, max_wrong=0.0)
    assert [evaluation.decide(f, calibration) for f in feats][0] == "a"
    assert evaluation.metrics(rows, feats, calibration)["wrong_answer_rate"] == 0.0
    assert isinstance(calibration, engine.Calibration)
