"""The one place the agreements app reads the marketplace's tables: vendors, offers and use events. The
marketplace has no selectors for these reads (all vendors' offers for an administrator, a month of use
events, a vendor's events across municipalities); when it has, these functions call them and the
boundary exception ("agreements", "marketplace.models") goes (ADR 0085)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from jobunivers.marketplace import permissions as marketplace_permissions
from jobunivers.marketplace.models import Offer, ProviderKind, UseEvent, Vendor
from jobunivers.segmentation import selectors as segmentation_selectors

from .engine import EnrolmentFacts, Use, UseKind

LIFECYCLE = {UseKind.ENROLLED, UseKind.WITHDRAWN, UseKind.COMPLETED}


def vendor_ids_of(actor) -> list[int]:
    """The vendor the actor acts for (marketplace.permissions.vendor_id_of), as a list: empty for anyone else."""
    vendor_id = marketplace_permissions.vendor_id_of(actor)
    return [] if vendor_id is None else [vendor_id]


def vendor_offer(offer_id: int) -> Offer | None:
    """A vendor's offer (only vendors' offers are paid through agreements)."""
    return (Offer.objects.filter(pk=offer_id, provider_kind=ProviderKind.VENDOR).select_related("vendor",
                                                                                             "published_version")
            .first())


def vendor_offers() -> list[Offer]:
    return list(Offer.objects.filter(provider_kind=ProviderKind.VENDOR, vendor__is_active=True)
                .exclude(status="withdrawn").select_related("vendor", "published_version").order_by("vendor__name", "pk"))


def vendor_by_id(vendor_id: int) -> Vendor | None:
    return Vendor.objects.filter(pk=vendor_id).first()


def offer_title(offer: Offer) -> str:
    version = offer.published_version
    return version.title if version is not None else f"#{offer.pk}"


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
    events = UseEvent.all_tenants.filter(municipality_id=municipality_id, offer_id=offer_id, occurred_at__lt=end)
    lifecycle = events.filter(kind__in=[str(kind) for kind in LIFECYCLE]).order_by("occurred_at", "id").values_list(
        "subject", "kind", "occurred_at", "citizen_id")
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
        rows = events.filter(occurred_at__gte=start, kind__in=[str(kind) for kind in billable_kinds]).values_list(
            "subject", "kind", "quantity", "occurred_at")
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
    titles = {offer.pk: offer_title(offer) for offer in Offer.objects.filter(vendor_id__in=vendor_ids)
              .select_related("published_version")}
    rows = (UseEvent.all_tenants.filter(vendor_id__in=vendor_ids, occurred_at__gte=since)
            .values_list("municipality_id", "offer_id", "kind", "subject", "quantity", "occurred_at"))
    cells: dict[tuple[int, str, datetime.date], UsageCounts] = defaultdict(UsageCounts)
    for municipality_id, offer_id, kind, subject, quantity, occurred_at in rows.iterator(chunk_size=5000):
        cell = cells[(municipality_id, titles.get(offer_id, f"#{offer_id}"), _day(occurred_at).replace(day=1))]
        cell.active.add(subject)
        if kind == UseKind.ENROLLED:
            cell.enrolled.add(subject)
        elif kind == UseKind.LAUNCHED:
            cell.launched += 1
        elif kind == UseKind.SESSION:
            cell.sessions += 1
        elif kind == UseKind.HOUR:
            cell.hours += quantity
        elif kind == UseKind.COMPLETED:
            cell.completed += 1
    return cells
