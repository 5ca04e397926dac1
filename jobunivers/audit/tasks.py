"""Background entry points of the audit app."""

from __future__ import annotations

import logging

from celery import shared_task

from jobunivers.tenancy.models import Municipality
from jobunivers.tenancy.selectors import settings_for

from .models import AccessLogChainHead
from .services import access_log_purge

logger = logging.getLogger(__name__)


@shared_task(name="jobunivers.audit.tasks.purge_access_log")
def purge_access_log(municipality_id: int | None = None) -> dict[int, int]:
    """Delete access-log entries older than each municipality's retention period (default 183 days).

    Idempotent: a second run finds nothing older. Each purge is itself logged in the chain.
    """
    if municipality_id is None:
        ids = list(AccessLogChainHead.objects.values_list("municipality_id", flat=True))
    else:
        ids = [municipality_id]
    purged: dict[int, int] = {}
    for mid in Municipality.objects.filter(pk__in=ids).values_list("pk", flat=True):
        retention = settings_for(mid).access_log_retention_days
        purged[mid] = access_log_purge(municipality_id=mid, retention_days=retention).purged
    return purged
