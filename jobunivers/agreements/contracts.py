"""What other apps may ask of agreements. No Django imports at module level.

`has_agreement` answers the marketplace's question before a municipality enables a vendor's offer:
is there an agreement about this offer with a rate valid on that day? The marketplace sits below
agreements (it may not import it), so this app registers the function with
`marketplace.contracts.register_agreement_check` when it starts (apps.py, ADR 0085).

`statement_settled` answers the marketplace's other question, before it records a vendor's late report of
use: has the vendor accepted its statement for that month already (`register_settled_check`)?
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class AgreementTerms:
    agreement_id: int
    municipality_id: int
    vendor_id: int
    offer_id: int
    payment_model: str


def has_agreement(*, municipality_id: int, offer_id: int, on: datetime.date | None = None) -> bool:
    """True when the municipality has an agreement about the offer with a rate valid on `on` (today)."""
    from .selectors import agreement_in_force

    return agreement_in_force(municipality_id=municipality_id, offer_id=offer_id, on=on) is not None


def statement_settled(*, municipality_id: int, vendor_id: int, month: datetime.date) -> bool:
    """True when the vendor's statement to the municipality for the month is accepted or further along."""
    from .selectors import statement_settled as settled

    return settled(municipality_id=municipality_id, vendor_id=vendor_id, month=month)
