"""The results page of an experiment: assignment counts per arm against the expected split, and the statistics
of the analyser analytics registers (journeys.contracts.ResultsAnalyser): the sample-ratio check that blocks the
result when it fails, and each metric's difference with its interval. Aggregates only: no citizen is shown.

The statistics are the newest stored result (snapshots.py, docs/adr/0160), shown with the time they were
computed; the page analyses only when none is stored yet or the stored one is of a format this code cannot read
(then it stores the new one, so the next view reads it). The live count of citizens assigned is read on every
view, to say how many were assigned since the result was computed."""

from __future__ import annotations

from .contracts import results_analyser
from .models import HOLDOUT, Experiment
from .selectors import assignment_counts, expected_shares, newest_result
from .snapshots import result_compute

SMALL = 5  # counts under 5 are shown as "< 5"


def wording(experiment: Experiment) -> list[dict]:
    """What each arm says and waits, so staff can read what they compare: on one step, the arm's title and text;
    on the whole journey, each step the arm words its own way (the other steps use their own text)."""
    return [{"name": v.name, "key": v.key, "weight": v.weight, "wait_days": v.wait_days,
             "texts": ([{"position": experiment.step.position, "step_title": experiment.step.title,
                         "title": v.title, "body": v.body}] if experiment.step and (v.title or v.body) else
                       [{"position": t.step.position, "step_title": t.step.title, "title": t.title, "body": t.body}
                        for t in sorted(v.texts.all(), key=lambda t: t.step.position)])}
            for v in experiment.variants.all()]


def page(*, experiment: Experiment) -> dict:
    counts = assignment_counts(experiment=experiment)
    expected = expected_shares(experiment=experiment)
    total = sum(counts.values())
    labels = {v.key: v.name for v in experiment.variants.all()}
    if experiment.holdout_percent:
        labels[HOLDOUT] = HOLDOUT
    arms = [{"key": key, "name": labels.get(key, key), "count": counts.get(key, 0),
             "small": 0 < counts.get(key, 0) < SMALL,
             "expected_percent": round(100 * share, 1),
             "actual_percent": round(100 * counts.get(key, 0) / total, 1) if total else None}
            for key, share in expected.items()]
    analyser = results_analyser()
    analysis = snapshot = None
    if analyser is not None and total:
        snapshot = newest_result(experiment=experiment)
        readable = snapshot is not None and snapshot.format_version == analyser.format_version
        if snapshot is not None and readable and snapshot.analysis is not None:
            analysis = analyser.load(snapshot.analysis)
            readable = analysis is not None
        if not readable:  # none yet (a new experiment is small), or stored by another version: never guess
            snapshot = result_compute(experiment=experiment)
            if snapshot is not None and snapshot.analysis is not None:
                analysis = analyser.load(snapshot.analysis)
    return {"experiment": experiment, "arms": arms, "total": total, "analysis": analysis, "wording": wording(experiment),
            "analysis_template": analyser.template if analyser is not None else "",
            "computed_at": snapshot.computed_at if snapshot is not None else None,
            "assigned_since": max(total - snapshot.units, 0) if snapshot is not None else 0}
