"""What other apps send to or receive from analytics; no Django imports.

- `OutcomeRecorded`: published when a citizen's spell gets an end (job found, ...), so journeys can
  end a citizen's journey ("exit: job found") without reading analytics' tables.
- `SpellView`: one spell as the pages show it.
- `Exposure`: one citizen's first use of a service, the unit of an effect estimate (effect.py);
  apps plug their uses in through `exposures.register` (see exposures.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class OutcomeRecorded:
    municipality_id: int
    citizen_id: int
    source: str  # register | staff | citizen | employer
    ended_on: datetime.date
    exit_reason: str  # job | education | other


@dataclass(frozen=True)
class SpellView:
    id: int
    source: str
    source_label: str
    started_on: datetime.date
    ended_on: datetime.date | None
    exit_reason: str
    exit_reason_label: str
    reference: str
    job_occupation_label: str = ""  # the occupation of the job found, in the active language, if given


@dataclass(frozen=True)
class Exposure:
    """The citizen first used the service on `first_used_on` (one row per citizen and service)."""

    citizen_id: int
    first_used_on: datetime.date
