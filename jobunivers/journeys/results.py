"""The results page of an experiment: assignment counts per arm against the expected split, and the statistics
of the analyser analytics registers (journeys.contracts.ResultsAnalyser): the sample-ratio check that blocks the
result when it fails, and each metric's difference with its interval. Aggregates only: no citizen is shown."""

from __future__ import annotations

from .contracts import results_analyser
from .models import HOLDOUT, Experiment
from .selectors import assignment_counts, expected_shares, experiment_units

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
    variants = list(experiment.variants.all())
    labels = {v.key: v.name for v in variants}
    if experiment.holdout_percent:
        labels[HOLDOUT] = HOLDOUT
    arms = [{"key": key, "name": labels.get(key, key), "count": counts.get(key, 0),
             "small": 0 < counts.get(key, 0) < SMALL,
             "expected_percent": round(100 * share, 1),
             "actual_percent": round(100 * counts.get(key, 0) / total, 1) if total else None}
            for key, share in expected.items()]
    analyser = results_analyser()
    analysis = None
    if analyser is not None and total:
        analysis = analyser.analyse(municipality_id=experiment.municipality_id, experiment_key=experiment.key,
                                    units=experiment_units(experiment=experiment), expected=expected,
                                    control=HOLDOUT if experiment.holdout_percent else variants[0].key,
                                    arm_labels={v.key: v.name for v in variants})
    return {"experiment": experiment, "arms": arms, "total": total, "analysis": analysis, "wording": wording(experiment),
            "analysis_template": analyser.template if analyser is not None else ""}
