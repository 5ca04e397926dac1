"""Reads of the agreements app. The municipality administrator reads the municipality's agreements and
statements (tenant-scoped); a vendor reads only its own, across municipalities. Missing, another
municipality's, another vendor's and forbidden all raise the same NotFound. No selector here returns a
citizen's identity: statement lines carry the vendor-facing pseudonym, and usage is aggregated with
small numbers suppressed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from jobunivers.core.errors import NotFound
from jobunivers.tenancy.selectors import get_municipality

from . import permissions, sources
from .models import Agreement, Rate, Statement, StatementLine, StatementStatus

SMALL_NUMBER = 5  # counts below this are shown as "< 5" to vendors (issue 17)


def agreement_in_force(*, municipality_id: int, offer_id: int, on: datetime.date | None = None) -> Agreement | None:
    on = on or timezone.localdate()
    return (Agreement.all_tenants.filter(municipality_id=municipality_id, offer_id=offer_id, rates__valid_from__lte=on)
            .filter(Q(rates__valid_to__isnull=True) | Q(rates__valid_to__gte=on)).distinct().first())


SETTLED = (StatementStatus.ACCEPTED, StatementStatus.FIRST_APPROVAL, StatementStatus.APPROVED, StatementStatus.PAID)


def statement_settled(*, municipality_id: int, vendor_id: int, month: datetime.date) -> bool:
    """Whether the vendor has accepted its statement to the municipality for the month (or it went further):
    the month's billing is fixed, so nothing may be added to it."""
    return Statement.all_tenants.filter(municipality_id=municipality_id, vendor_id=vendor_id,
                                        month=month.replace(day=1), status__in=SETTLED).exists()


def month_over(statement: Statement, today: datetime.date | None = None) -> bool:
    """Whether the statement's month has ended, so the vendor may accept it (before, it is a preview)."""
    return (today or timezone.localdate()).replace(day=1) > statement.month


# The municipality administrator


def _require_admin(actor, municipality_id: int) -> None:
    if not permissions.can_manage_agreements(actor, municipality_id):
        raise NotFound


def agreements_for_admin(*, actor, municipality_id: int) -> list[Agreement]:
    _require_admin(actor, municipality_id)
    return list(Agreement.objects.select_related("vendor", "offer__published_version").prefetch_related("rates")
                .order_by("vendor__name", "pk"))


def access_agreement(*, actor, municipality_id: int, agreement_id: int) -> Agreement:
    _require_admin(actor, municipality_id)
    agreement = (Agreement.objects.select_related("vendor", "offer__published_version").prefetch_related("rates")
                 .filter(pk=agreement_id).first())
    if agreement is None:
        raise NotFound
    return agreement


def access_rate(*, actor, municipality_id: int, rate_id: int) -> Rate:
    _require_admin(actor, municipality_id)
    rate = Rate.objects.filter(pk=rate_id).first()
    if rate is None:
        raise NotFound
    return rate


def offers_without_agreement(*, actor, municipality_id: int) -> list:
    _require_admin(actor, municipality_id)
    taken = set(Agreement.objects.values_list("offer_id", flat=True))
    return [offer for offer in sources.vendor_offers() if offer.pk not in taken]


def vendors_with_agreements(*, actor, municipality_id: int) -> list[tuple[int, str]]:
    _require_admin(actor, municipality_id)
    return list(Agreement.objects.order_by("vendor__name").values_list("vendor_id", "vendor__name").distinct())


def statements_for_admin(*, actor, municipality_id: int) -> QuerySet[Statement]:
    _require_admin(actor, municipality_id)
    return Statement.objects.select_related("vendor").order_by("-month", "vendor__name")


def access_statement_as_admin(*, actor, municipality_id: int, statement_id: int) -> Statement:
    _require_admin(actor, municipality_id)
    statement = Statement.objects.select_related("vendor").filter(pk=statement_id).first()
    if statement is None:
        raise NotFound
    return statement


# The vendor


def vendor_ids_of(actor) -> list[int]:
    return sources.vendor_ids_of(actor)


def agreements_for_vendor(*, actor) -> list[Agreement]:
    vendor_ids = sources.vendor_ids_of(actor)
    return list(Agreement.all_tenants.filter(vendor_id__in=vendor_ids)
                .select_related("municipality", "offer__published_version").prefetch_related("rates")
                .order_by("municipality__name", "pk"))


def statements_for_vendor(*, actor) -> list[Statement]:
    vendor_ids = sources.vendor_ids_of(actor)
    return list(Statement.all_tenants.filter(vendor_id__in=vendor_ids).select_related("municipality", "vendor")
                .order_by("-month", "municipality__name"))


def access_statement_as_vendor(*, actor, statement_id: int) -> Statement:
    statement = (Statement.all_tenants.select_related("municipality", "vendor").filter(pk=statement_id).first())
    if statement is None or not permissions.can_act_for_vendor(actor, statement.vendor_id,
                                                               sources.vendor_ids_of(actor)):
        raise NotFound
    return statement


def lines_of(statement: Statement) -> list[StatementLine]:
    """The statement's lines (the caller has passed an access_statement_* check)."""
    return list(StatementLine.all_tenants.filter(statement_id=statement.pk)
                .select_related("agreement__offer__published_version")
                .order_by("agreement_id", "period_start", "kind", "subject", "pk"))


@dataclass(frozen=True)
class UsageCell:
    municipality: str
    offer: str
    month: datetime.date
    enrolled: str  # a count, or "< 5"
    citizens: str
    launches: str
    sessions: str
    hours: str
    completed: str


def _shown(count: int) -> str:
    return "< 5" if 0 < count < SMALL_NUMBER else str(count)


def usage_for_vendor(*, actor, months: int = 12, now: datetime.datetime | None = None) -> list[UsageCell]:
    """Enrolments and uses of the vendor's offers, per municipality and month, small numbers suppressed."""
    vendor_ids = sources.vendor_ids_of(actor)
    if not vendor_ids:
        return []
    today = timezone.localtime(now or timezone.now()).date()
    first = today.replace(day=1)
    for _step in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    since = datetime.datetime.combine(first, datetime.time(), tzinfo=timezone.get_current_timezone())
    cells = sources.usage_cells(vendor_ids=vendor_ids, since=since)
    names = {}
    result = []
    for (municipality_id, offer_title, month), cell in cells.items():
        if municipality_id not in names:
            names[municipality_id] = get_municipality(municipality_id=municipality_id).name
        result.append(UsageCell(
            municipality=names[municipality_id], offer=offer_title, month=month,
            enrolled=_shown(len(cell.enrolled)), citizens=_shown(len(cell.active)), launches=_shown(cell.launched),
            sessions=_shown(cell.sessions), completed=_shown(cell.completed),
            # Hours of fewer than five citizens would describe them one by one: not shown.
            hours=("< 5" if len(cell.active) < SMALL_NUMBER else f"{cell.hours.normalize():f}".replace(".", ","))))
    result.sort(key=lambda c: (-c.month.toordinal(), c.municipality, c.offer))
    return result
