"""Events the accounts app publishes (wired to handlers in config/events.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CitizenSignedIn:
    """A citizen signed in with a national eID (MitID through NemLog-in, or an OIDC broker).

    `created` is True the first time: the citizens app creates its Citizen record
    for (user_id, municipality_id) when it does not exist yet. No CPR number here.
    """

    user_id: int
    municipality_id: int
    created: bool
