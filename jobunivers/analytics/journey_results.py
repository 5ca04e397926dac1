"""The statistics behind a journey experiment's results page (journeys.contracts.ResultsAnalyser).

Journeys sits below analytics and cannot call it; this adapter is registered from config/events.py. It turns
the journey's per-citizen data (journeys.selectors.experiment_units: arm, assignment day, notices opened,
links followed, modules completed) into experiment_stats units with the metrics of issue 19:

- engagement (opened a notice, followed a link, completed a module): measured in the arms only, since the
  holdout gets no notices by design; with a holdout as the control, the arms are compared on engagement
  against the first arm instead (experiment_stats' metric_controls);
- job search: job log applications per week since assignment (citizens.selectors), CUPED-adjusted by the
  same rate in the four weeks before;
- booked a conversation after assignment (booking.selectors);
- outcomes: left unemployment for a job within 13 and within 26 weeks of assignment (this app's spells, every
  source), measured only for citizens assigned at least that long ago.

Every citizen assigned counts in their arm (intention to treat), so the comparison stays randomised.

Journeys stores the result (docs/adr/0160): `dump` and `load` are experiment_json's, and `load` puts the metric
and holdout labels back in the reader's language (the nightly task computes in Danish).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import replace

from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.core.context import tenant_context
from jobunivers.journeys.contracts import ArmUnit, ResultsAnalyser

from . import experiment_json
from .experiment_stats import MEAN, PROPORTION, ExperimentResult, Metric, Unit, analyse
from .models import ExitReason, UnemploymentSpell

HOLDOUT = "holdout"
PRE_PERIOD_WEEKS = 4
OUTCOME_WEEKS = (13, 26)
ENGAGEMENT = ("opened", "clicked", "completed")  # measured on the journey's notices: never in the holdout


def _metrics() -> list[Metric]:
    return [
        Metric(key="opened", label=_("Opened a notice of the journey"), kind=PROPORTION),
        Metric(key="clicked", label=_("Followed a link in the journey"), kind=PROPORTION),
        Metric(key="completed", label=_("Completed a learning module of the journey"), kind=PROPORTION),
        Metric(key="job_log_per_week", label=_("Job applications in the job log per week"), kind=MEAN),
        Metric(key="booked", label=_("Booked a conversation"), kind=PROPORTION),
        Metric(key="job_13", label=_("Left unemployment for a job within 13 weeks"), kind=PROPORTION),
        Metric(key="job_26", label=_("Left unemployment for a job within 26 weeks"), kind=PROPORTION),
    ]


def _job_log_rates(units: list[ArmUnit], today: datetime.date) -> tuple[dict[int, float], dict[int, float]]:
    """Applications per week since assignment, and in the PRE_PERIOD_WEEKS before, per citizen."""
    from jobunivers.citizens.selectors import job_log_counts_by_citizen

    by_day: dict[datetime.date, list[int]] = defaultdict(list)
    for unit in units:
        by_day[unit.assigned_on].append(unit.citizen_id)
    after: dict[int, float] = {}
    before: dict[int, float] = {}
    for day, ids in by_day.items():
        weeks = max((today - day).days / 7, 1.0)
        since = job_log_counts_by_citizen(citizen_ids=ids, since=day)
        earlier = job_log_counts_by_citizen(citizen_ids=ids, since=day - datetime.timedelta(weeks=PRE_PERIOD_WEEKS))
        for cid in ids:
            after[cid] = since.get(cid, 0) / weeks
            before[cid] = (earlier.get(cid, 0) - since.get(cid, 0)) / PRE_PERIOD_WEEKS
    return after, before


ONE_PASS = 5000  # citizens above which the municipality's job exits are read in one pass, not 500 at a time


def _job_exits(municipality_id: int, citizen_ids: list[int]) -> dict[int, list[datetime.date]]:
    exits = UnemploymentSpell.all_tenants.filter(municipality_id=municipality_id, exit_reason=ExitReason.JOB,
                                                 ended_on__isnull=False)
    if len(citizen_ids) > ONE_PASS:
        wanted = set(citizen_ids)
        parts = [exits]
    else:
        wanted = None
        parts = [exits.filter(citizen_id__in=citizen_ids[start:start + 500])
                 for start in range(0, len(citizen_ids), 500)]
    found: dict[int, list[datetime.date]] = defaultdict(list)
    for part in parts:
        for cid, ended in part.values_list("citizen_id", "ended_on"):
            if ended is not None and (wanted is None or cid in wanted):
                found[cid].append(ended)
    return found


def _relabelled(result: ExperimentResult) -> ExperimentResult:
    """The labels this code gives, in the active language: the metrics' and the holdout's (the arms' names are
    the administrators' own and stay as stored)."""
    metrics = {m.key: m for m in _metrics()}
    holdout = _("Holdout (no journey)")

    def arm(key: str, label: str) -> str:
        return holdout if key == HOLDOUT else label

    return replace(
        result, control_label=arm(result.control, result.control_label),
        arms=tuple(replace(a, label=arm(a.arm, a.label)) for a in result.arms),
        comparisons=tuple(replace(c, metric=replace(c.metric, label=metrics[c.metric.key].label)
                                  if c.metric.key in metrics else c.metric,
                                  arm_label=arm(c.arm, c.arm_label), control_label=arm(c.control, c.control_label))
                          for c in result.comparisons))


class JourneyResultsAnalyser(ResultsAnalyser):
    template = "analytics/_experiment_result.html"
    format_version = experiment_json.FORMAT_VERSION

    def dump(self, result: ExperimentResult) -> dict:
        return experiment_json.dump(result)

    def load(self, data: dict) -> ExperimentResult | None:
        try:
            return _relabelled(experiment_json.load(data))
        except experiment_json.UnreadableResult:
            return None

    def analyse(self, *, municipality_id: int, experiment_key: str, units: list[ArmUnit],
                expected: dict[str, float], control: str, arm_labels: dict[str, str] | None = None):
        from jobunivers.booking.selectors import citizens_who_booked_since

        today = timezone.localdate()
        ids = [u.citizen_id for u in units]
        with tenant_context(municipality_id):
            rates, pre_rates = _job_log_rates(units, today)
        booked = citizens_who_booked_since(municipality_id=municipality_id, since={
            u.citizen_id: timezone.make_aware(datetime.datetime.combine(u.assigned_on, datetime.time.min))
            for u in units})
        exits = _job_exits(municipality_id, ids)
        prepared = []
        for u in units:
            values: dict[str, float] = {"job_log_per_week": rates.get(u.citizen_id, 0.0),
                                        "booked": float(u.citizen_id in booked)}
            if u.arm != HOLDOUT:
                values.update(opened=float(u.opened > 0), clicked=float(u.clicked > 0),
                              completed=float(u.completed > 0))
            for weeks in OUTCOME_WEEKS:
                horizon = u.assigned_on + datetime.timedelta(weeks=weeks)
                if horizon <= today:  # not observable yet otherwise: left out, never counted as "no job"
                    values[f"job_{weeks}"] = float(any(u.assigned_on <= day <= horizon
                                                       for day in exits.get(u.citizen_id, ())))
            prepared.append(Unit(arm=u.arm, assigned_on=u.assigned_on, values=values,
                                 covariates={"job_log_per_week": pre_rates.get(u.citizen_id, 0.0)}))
        labels = dict(arm_labels or {})
        labels.setdefault(HOLDOUT, _("Holdout (no journey)"))
        weights = {arm: share for arm, share in expected.items() if share > 0}
        metric_controls = {}
        if control == HOLDOUT:
            first = next((arm for arm in (arm_labels or weights) if arm != HOLDOUT and arm in weights), None)
            if first is not None:
                metric_controls = dict.fromkeys(ENGAGEMENT, first)
        return analyse(units=prepared, weights=weights, control=control, metrics=_metrics(), arm_labels=labels,
                       metric_controls=metric_controls)
