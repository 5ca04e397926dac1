"""Writes of the observability app: counting a task's failures and retries."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import TaskEventCount


def task_event_record(*, task_name: str, event: str) -> None:
    """Add one to the task's count for this event (one row per task and event, created on first use)."""
    now = timezone.now()
    with transaction.atomic():
        updated = TaskEventCount.objects.filter(task_name=task_name, event=event).update(
            count=F("count") + 1, last_at=now)
        if updated:
            return
        try:
            with transaction.atomic():
                TaskEventCount.objects.create(task_name=task_name, event=event, count=1, last_at=now)
        except IntegrityError:  # another worker created it first
            TaskEventCount.objects.filter(task_name=task_name, event=event).update(
                count=F("count") + 1, last_at=now)
