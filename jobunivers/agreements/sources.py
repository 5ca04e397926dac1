"""The one place the agreements app reads the marketplace: vendors, offers and use events, through the
marketplace's selectors (all vendors' offers for an administrator, a month of use events, a vendor's
events across municipalities), turned into the engine's facts here (ADR 0085)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from jobunivers.marketplace import permissions as marketplace_permissions
from jobunivers.marketplace import selectors as marketplace_selectors
from jobunivers.segmentation import selectors as segmentation_selectors

from .engine import EnrolmentFacts, Use, UseKind

LIFECYCLE = {UseKind.ENROLLED, UseKind.WITHDRAWN, UseKind.COMPLETED}


def vendor_ids_of(actor) -> list[int]:
    """The vendor the actor acts for (marketplace.permissions.vendor_id_of), as a list: empty for anyone else."""
    vendor_id = marketplace_permissions.vendor_id_of(actor)
    return [] if vendor_id is None else [vendor_id]


def vendor_offer(offer_id: int):
    """A vendor's offer (only vendors' offers are paid through agreements), or None."""
    return marketplace_selectors.payable_offer(offer_id)


def vendor_offers() -> list:
    return marketplace_selectors.payable_offers()


def vendor_exists(vendor_id: int) -> bool:
    return marketplace_selectors.vendor_exists(vendor_id)


def offer_title(offer) -> str:
    return marketplace_selectors.offer_title(offer)


def _local_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=zone)
    end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return start, end


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def offer_facts(*, municipality_id: int, offer_id: int, year: int, month: int, billable_kinds: set[UseKind]
                ) -> tuple[list[EnrolmentFacts], list[Use], dict[str, int], int]:
    """For one offer in one municipality: the enrolments (from the lifecycle events up to the month's
    end), the billable uses of the month, each subject's citizen id while it is still known, and how
    many use events were read."""
    start, end = _local_bounds(year, month)
    lifecycle = marketplace_selectors.offer_use_events(
        municipality_id=municipality_id, offer_id=offer_id, kinds=[str(kind) for kind in LIFECYCLE], before=end,
        fields=("subject", "kind", "occurred_at", "citizen_id"))
    enrolments: list[EnrolmentFacts] = []
    open_since: dict[str, datetime.date] = {}
    citizens: dict[str, int] = {}
    read = 0
    for subject, kind, occurred_at, citizen_id in lifecycle.iterator(chunk_size=5000):
        read += 1
        if citizen_id is not None:
            citizens[subject] = citizen_id
        day = _day(occurred_at)
        if kind == UseKind.ENROLLED:
            open_since.setdefault(subject, day)
        elif subject in open_since:
            enrolments.append(EnrolmentFacts(subject, open_since.pop(subject), day,
                                             withdrawn=kind == UseKind.WITHDRAWN))
    enrolments += [EnrolmentFacts(subject, since) for subject, since in open_since.items()]
    uses: list[Use] = []
    if billable_kinds:
        rows = marketplace_selectors.offer_use_events(
            municipality_id=municipality_id, offer_id=offer_id, kinds=[str(kind) for kind in billable_kinds],
            before=end, since=start, fields=("subject", "kind", "quantity", "occurred_at"))
        for subject, kind, quantity, occurred_at in rows.iterator(chunk_size=5000):
            read += 1
            uses.append(Use(subject, UseKind(kind), Decimal(quantity), _day(occurred_at)))
    return enrolments, uses, citizens, read


def jobs_found(citizens: dict[str, int]) -> dict[str, datetime.date]:
    """Subject -> the day the citizen left unemployment for a job (register data), for known citizens."""
    found = segmentation_selectors.jobs_found_on(citizen_ids=citizens.values())
    return {subject: found[citizen_id] for subject, citizen_id in citizens.items() if citizen_id in found}


@dataclass
class UsageCounts:
    enrolled: set[str] = field(default_factory=set)
    active: set[str] = field(default_factory=set)
    launched: int = 0
    sessions: int = 0
    hours: Decimal = Decimal(0)
    completed: int = 0


def usage_cells(*, vendor_ids: list[int], since: datetime.datetime
                ) -> dict[tuple[int, str, datetime.date], UsageCounts]:
    """Per (municipality, offer title, month) since `since`: the vendor's use events counted. A national
    read on purpose: the vendor's own figures across the municipalities it has customers in."""
    titles = marketplace_selectors.offer_titles(vendor_ids=vendor_ids)
    rows = marketplace_selectors.vendor_use_events(
        vendor_ids=vendor_ids, since=since,
        fields=("municipality_id", "offer_id", "kind", "subject", "quantity", "occurred_at"))
    cells: dict[tuple[int, str, datetime.date], UsageCounts] = defaultdict(UsageCounts)
    for municipality_id, offer_id, kind, subject, quantity, occurred_at in rows.iterator(chunk_size=5000):
        cell = cells[(municipality_id, titles.get(offer_id, f"#{offer_id}"), _day(occurred_at).replace(day=1))]
        cell.active.add(subject)
        if kind == UseKind.ENROLLED:
            cell.enrolled.add(subject)
        elif kind == UseKind.LAUNCHED:
            cell.launched += 1
        elif kind == UseKind.SESSION:
            cell.sessions += int(quantity)  # a reported event may carry several sessions
        elif kind == UseKind.HOUR:
            cell.hours += quantity
        elif kind == UseKind.COMPLETED:
            cell.completed += 1
    return cells
