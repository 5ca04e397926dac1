"""Test helpers other apps use in their tests/leak_cases.py to declare access-logged views.

    from jobunivers.audit.testing import AccessLogCase

    ACCESS_LOG_CASES = [
        AccessLogCase("caseworker:citizen", lambda world: {"citizen_id": citizen_in_home(world).pk},
                      role=Role.PERSONAL_CONSULTANT),
    ]
    NO_CITIZEN_DATA = {"caseworker:home": "counts only, no citizen's data"}

The coverage test (audit/tests/test_access_log_coverage.py) fails if a staff view
is in neither, or if a declared view answers without writing an access-log entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AccessLogCase:
    """A staff URL that shows or changes a citizen's data.

    `build(world)` creates the data in world.home (municipality A) and returns the URL kwargs;
    the coverage test calls the URL as world.users[role] and expects a new access-log entry.
    """

    url_name: str
    build: Callable[[Any], dict[str, Any]]
    role: str
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)
