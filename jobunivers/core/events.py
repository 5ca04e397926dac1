"""A typed, in-process event bus. Handlers are wired in config/events.py only.

Services publish events with `publish_on_commit`, so handlers never see a
change that was rolled back. Handlers that do slow work enqueue a task.

Each handler runs isolated: in its own transaction (a savepoint when the
publisher is inside one), so its writes land whole or not at all and a
failure cannot poison the publisher's transaction; a failure is logged
without personal data (handler, event type and exception class only — an
exception's message may quote a citizen's data) and handed to a Celery task
that retries the same handler with the same event; the other handlers still
run; `publish` never raises, so a write that has committed never becomes an
error response because of what reacts to it.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import importlib
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

_handlers: dict[type, list[Callable[[Any], None]]] = defaultdict(list)


def subscribe(event_type: type, handler: Callable[[Any], None]) -> None:
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def unsubscribe(event_type: type, handler: Callable[[Any], None]) -> None:
    if handler in _handlers[event_type]:
        _handlers[event_type].remove(handler)


def handler_name(handler: Callable) -> str:
    return f"{getattr(handler, '__module__', '?')}:{getattr(handler, '__qualname__', repr(handler))}"


def run_handler(handler: Callable[[Any], None], event: Any) -> None:
    """Run one handler in its own transaction (savepoint inside the publisher's)."""
    with transaction.atomic():
        handler(event)


def publish(event: Any) -> None:
    """Call every handler of the event's type; a failing handler is logged and retried later."""
    for handler in list(_handlers[type(event)]):
        try:
            run_handler(handler, event)
        except Exception as error:  # noqa: BLE001 - isolation is the point: nothing may escape
            _handler_failed(handler, event, error)


def publish_on_commit(event: Any) -> None:
    # robust: even if something around publish raised, the other on-commit callbacks still run.
    transaction.on_commit(lambda: publish(event), robust=True)


def _handler_failed(handler: Callable, event: Any, error: Exception) -> None:
    name = handler_name(handler)
    # No message, no traceback locals: only which handler, which event type, which kind of failure.
    logger.error("event handler failed: handler=%s event=%s error=%s; retrying in the background",
                 name, type(event).__name__, type(error).__name__)
    try:
        payload = encode(event)
    except TypeError:
        logger.error("event handler failed and its event cannot be queued for a retry: handler=%s event=%s",
                     name, type(event).__name__)
        return
    from .tasks import retry_event_handler

    def enqueue() -> None:
        try:
            retry_event_handler.delay(name, payload)
        except Exception as enqueue_error:  # noqa: BLE001 - a broken broker must not break the write either
            logger.error("event handler retry could not be queued: handler=%s event=%s error=%s",
                         name, type(event).__name__, type(enqueue_error).__name__)

    transaction.on_commit(enqueue, robust=True)


def retry(handler_path: str, payload: dict) -> None:
    """Run the named handler again with the decoded event (the retry task calls this).

    Only a handler that is still subscribed to that event type may run: the task's arguments name
    code, so nothing else is importable through them."""
    event = decode(payload)
    for handler in _handlers[type(event)]:
        if handler_name(handler) == handler_path:
            run_handler(handler, event)
            return
    logger.warning("event handler retry skipped, no longer subscribed: handler=%s event=%s",
                   handler_path, type(event).__name__)


# --- events as JSON (the broker carries JSON only) -----------------------------------------------------


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        return {"__event__": f"{cls.__module__}:{cls.__qualname__}",
                "fields": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("only string keys")
        return {"__dict__": {k: encode(v) for k, v in value.items()}}
    if isinstance(value, datetime.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, decimal.Decimal):  # quantities and money (marketplace.contracts.UseRecorded)
        return {"__decimal__": str(value)}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot encode {type(value).__name__}")


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__event__" in value:
        module_name, _, qualname = value["__event__"].partition(":")
        if not module_name.startswith("jobunivers.") or "." in qualname:
            raise ValueError("not an event of this project")
        cls = getattr(importlib.import_module(module_name), qualname)
        if not dataclasses.is_dataclass(cls):
            raise ValueError("not an event")
        return cls(**{k: decode(v) for k, v in value["fields"].items()})  # type: ignore[operator]  # a dataclass type, checked above
    if "__tuple__" in value:
        return tuple(decode(v) for v in value["__tuple__"])
    if "__dict__" in value:
        return {k: decode(v) for k, v in value["__dict__"].items()}
    if "__datetime__" in value:
        return datetime.datetime.fromisoformat(value["__datetime__"])
    if "__date__" in value:
        return datetime.date.fromisoformat(value["__date__"])
    if "__decimal__" in value:
        return decimal.Decimal(value["__decimal__"])
    raise ValueError("unknown encoded value")
