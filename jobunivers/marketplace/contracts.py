"""What the marketplace offers other apps, and the one hook it asks of the agreements app.

Agreements between a municipality and a vendor belong to the `agreements` app, which sits above this one.
A vendor's offer may only be enabled by a municipality with an agreement for it, so that app registers its
check here (in its AppConfig.ready):

    from jobunivers.marketplace.contracts import register_agreement_check
    register_agreement_check(lambda *, municipality_id, offer_id: ...)

Until a check is registered there is no agreement, and no vendor offer can be enabled.

A vendor's own reports of sessions, hours and completions may arrive after the month they happened in. Once
the vendor has accepted that month's statement, the month is settled: a late report would be stored but never
billed, so the callback refuses it. The agreements app registers that check too:

    from jobunivers.marketplace.contracts import register_settled_check
    register_settled_check(lambda *, municipality_id, vendor_id, month: ...)
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

AgreementCheck = Callable[..., bool]
_agreement_checks: list[AgreementCheck] = []


def register_agreement_check(check: AgreementCheck) -> None:
    """`check(municipality_id=..., offer_id=...)` answers whether an agreement covers the offer now."""
    if check not in _agreement_checks:
        _agreement_checks.append(check)


def unregister_agreement_check(check: AgreementCheck) -> None:
    if check in _agreement_checks:
        _agreement_checks.remove(check)


def agreement_exists(*, municipality_id: int, offer_id: int) -> bool:
    return any(check(municipality_id=municipality_id, offer_id=offer_id) for check in _agreement_checks)


SettledCheck = Callable[..., bool]
_settled_checks: list[SettledCheck] = []


def register_settled_check(check: SettledCheck) -> None:
    """`check(municipality_id=..., vendor_id=..., month=...)` answers whether the vendor has accepted its
    statement to the municipality for that month (the first day of the month), so the month is settled."""
    if check not in _settled_checks:
        _settled_checks.append(check)


def unregister_settled_check(check: SettledCheck) -> None:
    if check in _settled_checks:
        _settled_checks.remove(check)


def month_settled(*, municipality_id: int, vendor_id: int, month: datetime.date) -> bool:
    return any(check(municipality_id=municipality_id, vendor_id=vendor_id, month=month) for check in _settled_checks)


@dataclass(frozen=True)
class UseRecorded:
    """A billable use event was written (published on commit; statements read the events themselves)."""

    municipality_id: int
    offer_id: int
    vendor_id: int | None
    kind: str
    quantity: Decimal
    occurred_at: datetime.datetime
    # Who used it and which event it was (feedback asks the citizen about a launch, a session or a completion).
    citizen_id: int | None = None
    use_event_id: int | None = None
    offer_title: str = ""


@dataclass(frozen=True)
class EnrolmentLine:
    """A citizen's enrolment as the staff citizen page shows it."""

    id: int
    offer_title: str
    status: str
    status_label: str
    enrolled_at: datetime.datetime


@dataclass(frozen=True)
class PushableOffer:
    """An offer a municipality shows its citizens, as a push to a segment sends it: the notice's title and
    text, the path of the offer's page in the municipality, and who may receive it (its audience)."""

    curated_id: int
    offer_id: int
    municipality_id: int
    title: str
    summary: str
    path: str
    audience: str  # "everyone", "tracks" or "occupations"
    audience_label: str
