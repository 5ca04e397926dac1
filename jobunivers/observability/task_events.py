"""Celery signals that count task failures and retries (observability.services.task_event_record).

Counting must never break the task or the worker: a database that is down (perhaps why the task
failed) costs the count and a warning, nothing else.
"""

from __future__ import annotations

import logging

from .models import TaskEvent

logger = logging.getLogger(__name__)


def _record(task_name: str, event: str) -> None:
    from .services import task_event_record

    try:
        task_event_record(task_name=task_name, event=event)
    except Exception as error:
        logger.warning("could not count task %s for %s: %s", event, task_name, type(error).__name__)


def on_task_failure(sender=None, **_kwargs) -> None:
    _record(getattr(sender, "name", None) or str(sender), TaskEvent.FAILURE)


def on_task_retry(sender=None, request=None, **_kwargs) -> None:
    name = getattr(sender, "name", None) or getattr(request, "task", None) or str(sender)
    _record(name, TaskEvent.RETRY)


def connect_task_signals() -> None:
    from celery.signals import task_failure, task_retry

    task_failure.connect(on_task_failure, weak=False, dispatch_uid="jobunivers_count_task_failure")
    task_retry.connect(on_task_retry, weak=False, dispatch_uid="jobunivers_count_task_retry")
