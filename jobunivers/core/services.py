"""Writes shared by every app. Retention: delete what is older than a period, in short transactions.

Each app's purge service chooses what may go (its tables, the municipality's period from
tenancy's settings); this only deletes in chunks, so a purge of millions of rows never holds a
long lock or one huge transaction.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

CHUNK = 2000


def cutoff(days: int, now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=days)


def delete_in_chunks(queryset: QuerySet, *, chunk: int = CHUNK) -> int:
    """Delete every row of the queryset, a chunk of primary keys per transaction; returns the number
    of rows of the queryset's model deleted (not counting cascades)."""
    model = queryset.model
    manager = getattr(model, "all_tenants", model._default_manager)
    deleted = 0
    while True:
        ids = list(queryset.order_by().values_list("pk", flat=True)[:chunk])
        if not ids:
            return deleted
        with transaction.atomic():
            _, per_model = manager.filter(pk__in=ids).delete()
        deleted += per_model.get(model._meta.label, 0)
