"""What other apps may receive from advice: the personal diagnosis as shown (texts already in the
reader's language, links already resolved), and the module statistics. No Django imports.

The staff workspace shows the diagnosis through `selectors.access_diagnosis` (access-logged);
the diagnosis is help only and never changes a track or triggers a sanction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class StepView:
    module: str
    key: str
    text: str
    url: str
    answer: str = ""  # "", "done" or "not_for_me"


@dataclass(frozen=True)
class TopicView:
    topic: str
    name: str
    level: str  # "action" | "attention" | "ok"
    level_name: str
    module: str  # the module that fired, "" when the topic is ok
    reason: str
    criteria: tuple[str, ...]
    steps: tuple[StepView, ...]  # open steps (not yet answered), at most three
    answered: tuple[StepView, ...] = ()


@dataclass(frozen=True)
class DiagnosisView:
    citizen_id: int
    main_sentence: str
    level: str
    level_name: str
    topics: tuple[TopicView, ...]
    computed_at: datetime.datetime | None  # None: computed for this page, not yet stored

    @property
    def open_steps(self) -> int:
        return sum(len(topic.steps) for topic in self.topics)


@dataclass(frozen=True)
class ModuleFigures:
    """Counts for one module in one municipality. A count from 1 to 4 is None (suppressed: shown as
    "< 5"), so that no citizen can be recognised from the page; 0 and 5 or more are given as they are."""

    module: str
    topic: str
    fired: int | None  # citizens whose current diagnosis has the module
    done: int | None  # steps of the module marked done
    not_for_me: int | None  # steps of the module marked "not for me"
