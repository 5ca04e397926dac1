"""Cross-municipality cases of agreements: B's agreements, rates and statements are absent from A's
lists and 404 as objects under A's prefix; the vendor pages are national and 404 under any prefix.
Cross-vendor cases are in test_views.py."""

import datetime

from jobunivers.core.testing import LeakCase, ListLeakCase


def _statement(world, vendor_name="Leverandør B ApS", reference=""):
    from jobunivers.agreements.models import Statement, StatementLine
    from jobunivers.agreements.tests import factories
    from jobunivers.marketplace.tests import factories as market

    offer = factories.vendor_offer(market.vendor(vendor_name), title="MARKEROTHEROFFER")
    agreement = factories.agreement(world.other, offer, "flat", reference=reference,
                                    rates=((datetime.date(2026, 1, 1), None, 100_000, 0),))
    statement = Statement.all_tenants.create(
        municipality=world.other, vendor_id=offer.vendor_id, month=datetime.date(2026, 3, 1), total_ore=100_000,
        inputs_hash="0" * 64, generated_at=factories.at(datetime.date(2026, 4, 1)))
    StatementLine.all_tenants.create(
        municipality=world.other, statement=statement, agreement=agreement, kind="flat",
        period_start=datetime.date(2026, 3, 1), period_end=datetime.date(2026, 3, 31), quantity=1,
        unit_amount_ore=100_000, amount_ore=100_000, subject="MARKEROTHERSUBJECT")
    return agreement, statement


def _agreement(world):
    return {"agreement_id": _statement(world)[0].pk}


def _rate(world):
    from jobunivers.agreements.models import Rate

    return {"rate_id": Rate.all_tenants.get(agreement=_statement(world)[0]).pk}


def _statement_id(world):
    return {"statement_id": _statement(world)[1].pk}


def _download(world):
    return {"statement_id": _statement(world)[1].pk, "kind": "csv"}


def _agreement_marker(world):
    _statement(world, reference="MARKEROTHERREFERENCE")
    return "MARKEROTHERREFERENCE", {}


def _vendor_marker(world):
    _statement(world, vendor_name="MARKEROTHERVENDOR")
    return "MARKEROTHERVENDOR", {}


def _subject_marker(world):
    _statement(world)
    return "MARKEROTHERSUBJECT", {}


OBJECT_URLS = [
    LeakCase("agreements:admin_agreement", _agreement),
    LeakCase("agreements:admin_agreement", _agreement, method="post",
             data={"valid_from": "2027-01-01", "amount": "10"}),
    LeakCase("agreements:rate_end", _rate, method="post", data={"valid_to": "2026-06-30"}),
    LeakCase("agreements:admin_statement", _statement_id),
    LeakCase("agreements:admin_statement", _statement_id, method="post", data={"action": "approve"}),
    LeakCase("agreements:admin_statement_download", _download),
    LeakCase("agreements:vendor_statement", _statement_id),
    LeakCase("agreements:vendor_statement", _statement_id, method="post", data={"action": "accept"}),
    LeakCase("agreements:vendor_statement_download", _download),
]

LIST_URLS = [
    ListLeakCase("agreements:admin_agreements", _agreement_marker),
    ListLeakCase("agreements:admin_statements", _vendor_marker),
    ListLeakCase("agreements:vendor_agreements", _agreement_marker),
    ListLeakCase("agreements:vendor_statements", _vendor_marker),
    ListLeakCase("agreements:vendor_usage", _subject_marker),
]

# Staff-facing pages (the administrator's) that show no citizen's personal data: agreements, rates and
# statements whose lines name an enrolment only by the vendor-facing pseudonym (ADR 0085).
_PSEUDONYMS = "agreements and statements: amounts per agreement, enrolments only by the vendor-facing pseudonym"
NO_CITIZEN_DATA = {
    "agreements:admin_agreements": "the municipality's agreements with vendors; no citizen",
    "agreements:admin_agreement": "one agreement and its rates; no citizen",
    "agreements:rate_end": "ends a rate; no citizen",
    "agreements:admin_statements": "the list of statements (month, vendor, total); no citizen",
    "agreements:admin_statement": _PSEUDONYMS,
    "agreements:admin_statement_download": _PSEUDONYMS,
}
