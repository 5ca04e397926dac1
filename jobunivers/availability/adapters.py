"""The few things availability needs from other apps, in one place (ADR 0060).

Each function names the other app's entry point it uses. Where that app has no selector yet, the
function reads the other app's model read-only and says so (listed in the boundary test's
ALLOWED_EXCEPTIONS until a selector exists).
"""

from __future__ import annotations

import datetime
import logging

logger = logging.getLogger(__name__)


def last_job_log_entry_at(*, citizen_ids: list[int]) -> dict[int, datetime.datetime]:
    """When each citizen last registered a job log entry (an explicit action)."""
    from jobunivers.citizens import selectors as citizen_selectors

    return dict(citizen_selectors.last_job_log_entries_at(citizen_ids=citizen_ids))


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
    """Tell the citizen in the inbox and by their chosen channels."""
    from jobunivers.notifications.contracts import Kind
    from jobunivers.notifications.services import notify

    notify(municipality_id=municipality_id, citizen_id=citizen_id, kind=Kind.AVAILABILITY, subject_key=subject_key,
           title=title, body=body, link=link)
    return True
