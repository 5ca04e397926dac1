"""The few things availability needs from other apps, in one place (ADR 0060).

Each function names the other app's entry point it uses. Where that app had not yet published
a selector when this was written, the function reads the other app's model read-only and says
so; swap it for the selector when it exists.
"""

from __future__ import annotations

import datetime
import logging

from django.db.models import Max

logger = logging.getLogger(__name__)


def last_job_log_entry_at(*, citizen_ids: list[int]) -> dict[int, datetime.datetime]:
    """When each citizen last registered a job log entry (an explicit action)."""
    from jobunivers.citizens import selectors as citizen_selectors

    bulk = getattr(citizen_selectors, "last_job_log_entries_at", None)
    if bulk is not None:
        return dict(bulk(citizen_ids=citizen_ids))
    from jobunivers.citizens.models import JobLogEntry  # read-only until citizens publishes a bulk selector

    rows = JobLogEntry.objects.filter(citizen_id__in=citizen_ids).values("citizen_id").annotate(last=Max("created_at"))
    return {row["citizen_id"]: row["last"] for row in rows}


def citizens_without_status(*, limit: int | None = None) -> list[tuple[int, datetime.date | None, datetime.datetime]]:
    """(citizen id, registered on, created at) of the municipality in context that have no status yet."""
    from jobunivers.citizens.models import Citizen

    rows = Citizen.objects.filter(availability_status__isnull=True).order_by("id").values_list(
        "id", "registered_on", "created_at"
    )
    return list(rows[:limit] if limit else rows)


def citizen_user_id(*, citizen_id: int) -> int | None:
    from jobunivers.citizens.models import Citizen

    return Citizen.objects.filter(pk=citizen_id).values_list("user_id", flat=True).first()


def notify_citizen(*, municipality_id: int, citizen_id: int, subject_key: str, title: str, body: str,
                   link: str) -> bool:
    """Tell the citizen in the inbox and by their chosen channels; False if notifications are absent."""
    try:
        from jobunivers.notifications.contracts import Kind
        from jobunivers.notifications.services import notify
    except ImportError:  # pragma: no cover - only before notifications is installed
        logger.warning("notifications.services.notify is missing; availability notice %s not sent", subject_key)
        return False
    notify(municipality_id=municipality_id, citizen_id=citizen_id, kind=Kind.AVAILABILITY, subject_key=subject_key,
           title=title, body=body, link=link)
    return True
