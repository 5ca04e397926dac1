"""Reads of the observability app: task event counts for the metrics endpoint."""

from __future__ import annotations

from .models import TaskEventCount


def task_event_counts() -> list[tuple[str, str, int]]:
    """(task name, event, count), every task and event seen so far."""
    return list(TaskEventCount.objects.order_by("task_name", "event").values_list("task_name", "event", "count"))
