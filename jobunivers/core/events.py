"""A typed, in-process event bus. Handlers are wired in config/events.py only.

Services publish events with `publish_on_commit`, so handlers never see a
change that was rolled back. Handlers that do slow work enqueue a task.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

_handlers: dict[type, list[Callable[[Any], None]]] = defaultdict(list)


def subscribe(event_type: type, handler: Callable[[Any], None]) -> None:
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def publish(event: Any) -> None:
    for handler in list(_handlers[type(event)]):
        handler(event)


def publish_on_commit(event: Any) -> None:
    transaction.on_commit(lambda: publish(event))
