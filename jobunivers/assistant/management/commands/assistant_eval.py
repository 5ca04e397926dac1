"""Evaluate the assistant on the labelled questions: recall@1, recall@3, wrong-answer rate and hand-off
rate on the test half (one JSON line). --calibrate first sets the thresholds on the tuning half and
writes data/calibration.json. --import loads the national cards first (needed on a fresh database)."""

import json
import time

from django.core.management.base import BaseCommand

from jobunivers.assistant import engine, evaluation
from jobunivers.assistant.cards import load_cards
from jobunivers.assistant.services import cards_import


class Command(BaseCommand):
    help = "Evaluate the assistant's answers on the labelled questions (test half)."

    def add_arguments(self, parser):
        parser.add_argument("--calibrate", action="store_true", help="Calibrate thresholds on the tuning half.")
        parser.add_argument("--import", dest="do_import", action="store_true", help="Import the cards first.")
        parser.add_argument("--split", default="test", choices=["test", "tune"])
        parser.add_argument("--errors", action="store_true", help="List the questions answered wrongly.")

    def handle(self, *args, **options):
        if options["do_import"]:
            self.stderr.write(str(cards_import(cards=load_cards())))
        rows = evaluation.load_questions()
        started = time.perf_counter()
        by_split = {s: [r for r in rows if r.split == s] for s in ("tune", "test")}
        feats = {s: [evaluation.features(r) for r in by_split[s]] for s in by_split}
        seconds = time.perf_counter() - started
        calibration = engine.Calibration.load()
        if options["calibrate"]:
            calibration = evaluation.calibrate(by_split["tune"], feats["tune"])
            self.stderr.write(f"calibrated on the tuning half: {calibration} -> {evaluation.write_calibration(calibration)}")
        split = options["split"]
        result = {"eval": "assistant", "split": split, **evaluation.metrics(by_split[split], feats[split], calibration),
                  "tune": evaluation.metrics(by_split["tune"], feats["tune"], calibration),
                  "min_cosine": calibration.min_cosine, "min_margin": calibration.min_margin,
                  "clarify_cosine": calibration.clarify_cosine,
                  "ms_per_question": round(1000 * seconds / max(1, len(rows)), 1),
                  "goals": {"recall@1": 0.85, "recall@3": 0.95, "wrong_answer_rate": 0.03}}
        self.stdout.write(json.dumps(result, ensure_ascii=False))
        if options["errors"]:
            for row, f in zip(by_split[split], feats[split], strict=True):
                decision = evaluation.decide(f, calibration)
                if decision != row.expected and not (row.expected == "handoff" and decision in {"clarify", "handoff"}):
                    self.stdout.write(f"{row.expected:34} {decision:34} {f.cosine:.3f} {f.margin:.3f} "
                                      f"{','.join(f.ranked[:3]):60} {row.question}")
