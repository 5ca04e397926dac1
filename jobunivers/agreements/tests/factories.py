"""Test helpers: agreements with rates, and use events with their enrolment lifecycle, on the
marketplace's factories."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from jobunivers.agreements.models import Agreement, Rate
from jobunivers.marketplace.models import UseEvent
from jobunivers.marketplace.tests import factories as market


def vendor_offer(vendor_=None, title="Jobsøgning med coach"):
    return market.offer(provider_kind="vendor", vendor_=vendor_ or market.vendor(), title=title, kind="course")


def agreement(municipality, offer, payment_model="per_use", *, rates=((datetime.date(2026, 1, 1), None, 2_500, 0),),
              **values) -> Agreement:
    made = Agreement.all_tenants.create(municipality=municipality, vendor_id=offer.vendor_id, offer=offer,
                                        payment_model=payment_model, **values)
    for valid_from, valid_to, amount, result_fee in rates:
        Rate.all_tenants.create(municipality=municipality, agreement=made, valid_from=valid_from, valid_to=valid_to,
                                amount_ore=amount, result_fee_ore=result_fee)
    return made


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def event(municipality, offer, kind, day, *, subject="s1", quantity="1", citizen=None) -> UseEvent:
    return UseEvent.all_tenants.create(municipality=municipality, offer=offer, vendor_id=offer.vendor_id,
                                       citizen=citizen, subject=subject, kind=kind, quantity=Decimal(quantity),
                                       occurred_at=at(day))
