"""What journeys sends to other apps; no Django imports.

- `FeedbackWanted`: a journey step "ask for feedback" ran for a citizen. config/events.py hands it to the
  feedback app's pulse (a question by a signed link), which keeps its own limits (one a day, one per
  interaction_key).
- `CitizenJourney`: one journey of a citizen as the citizen page and the staff page show it.
- `ArmUnit`: one assigned citizen of an experiment with the journey's own measurements, for the results page
  (analytics adds outcomes and the statistics).
- `ResultsAnalyser`: what analytics registers to analyse an experiment and to store its result as JSON.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class FeedbackWanted:
    municipality_id: int
    citizen_id: int
    interaction_key: str
    service_key: str
    service_label: str
    occurred_at: datetime.datetime
    kind: str = "journey"


@dataclass(frozen=True)
class StepView:
    position: int
    title: str
    kind_label: str
    mandatory: bool
    status: str  # done | skipped | current | coming
    ran_at: datetime.datetime | None


@dataclass(frozen=True)
class CitizenJourney:
    journey_id: int
    name: str
    why: str
    track_name: str
    version: int
    state: str
    state_label: str
    exit_reason_label: str
    started_at: datetime.datetime
    next_due_at: datetime.datetime | None
    opted_out: bool
    has_optional_steps: bool
    in_experiment: bool
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class ArmUnit:
    citizen_id: int
    arm: str
    assigned_on: datetime.date
    exposed: bool
    notices: int
    opened: int
    clicked: int
    completed: int


class ResultsAnalyser:
    """The statistics behind an experiment's results page. Journeys sits below analytics, so analytics' adapter
    registers itself here (config/events.py): `analyse` gets the units and the expected share of each arm and
    returns the context of its template (`template`), or None when it cannot analyse yet.

    Journeys stores the result (ResultSnapshot, docs/adr/0160) instead of analysing on every page view:
    `dump(result)` gives it as a dict of JSON values, `load(data)` gives back a result equal to the one dumped,
    or None when it cannot read the data back exactly (another format version): journeys then analyses again
    rather than show figures that may be wrong. `format_version` is stored beside the data."""

    template: str = ""
    format_version: int = 0

    def analyse(self, *, municipality_id: int, experiment_key: str, units: list[ArmUnit],
                expected: dict[str, float], control: str,
                arm_labels: dict[str, str] | None = None):  # pragma: no cover - interface
        raise NotImplementedError

    def dump(self, result) -> dict:  # pragma: no cover - interface
        raise NotImplementedError

    def load(self, data: dict):  # pragma: no cover - interface
        raise NotImplementedError


_analyser: list[ResultsAnalyser] = []


def register_results_analyser(analyser: ResultsAnalyser) -> None:
    _analyser[:] = [analyser]


def results_analyser() -> ResultsAnalyser | None:
    return _analyser[0] if _analyser else None
