"""Writing and reading learning records (xAPI statements) for vendors (ADR 0095).

All or nothing: every statement of a request is checked, its offer must be the calling vendor's and its
pseudonym a citizen enrolled in it, before one is written; a completion (verb "completed" or result
completion true on the offer) is recorded by the marketplace as a reported completion, which ends the
enrolment and marks its plan item done through citizens' services. The same statement id sent again with
the same content is stored once; with other content it is refused.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from jobunivers.audit.services import ApiCaller, access_log_record_many

from .contracts import GatewayRefused, vendor_gateway
from .models import Statement
from .xapi import ParsedStatement, StatementRefused

GET_LIMIT_MAX = 100


def _same(stored: Statement, statement: ParsedStatement) -> bool:
    """The same statement sent again: equal content; a statement sent without a timestamp got the time it was
    first stored, so its timestamp is not compared."""
    def content(data: dict) -> dict:
        return data if statement.timestamp_given else {k: v for k, v in data.items() if k != "timestamp"}

    return (content(stored.data) == content(statement.data) and stored.offer_id == statement.offer_id
            and stored.subject == statement.subject)


def statements_record(*, vendor_id: int, key_id: str, statements: list[ParsedStatement],
                      now: datetime.datetime | None = None) -> list[str]:
    """Store the statements (ids returned in order); StatementRefused with nothing written otherwise."""
    now = now or timezone.now()
    gateway = vendor_gateway()
    via = f"xapi {key_id}"
    # Unordered: with the model's ordering (by stored) SQLite walks every statement of the vendor through the
    # (vendor, stored) index instead of the unique (vendor, statement_id) one: 127 ms against 0.4 ms at a
    # million statements, most of an ingest request.
    existing = {s.statement_id: s for s in Statement.all_tenants.filter(
        vendor_id=vendor_id, statement_id__in=[s.statement_id for s in statements]).order_by()}
    found = gateway.enrolled_citizens(vendor_id=vendor_id,
                                      keys=list(dict.fromkeys((s.offer_id, s.subject) for s in statements)))
    citizens = {}
    for index, statement in enumerate(statements):
        known = existing.get(statement.statement_id)
        if known is not None and not _same(known, statement):
            raise StatementRefused("id_reused", {f"{index}.id": [str(statement.statement_id)]})
        citizen = found[(statement.offer_id, statement.subject)]
        if isinstance(citizen, GatewayRefused):
            unknown_offer = citizen.code == "offer_unknown"
            raise StatementRefused(citizen.code, {f"{index}.object.id" if unknown_offer else f"{index}.actor": [
                str(statement.offer_id) if unknown_offer else statement.subject]})
        citizens[(statement.offer_id, statement.subject)] = citizen
    fresh = list({s.statement_id: s for s in statements if s.statement_id not in existing}.values())
    try:
        with transaction.atomic():
            Statement.all_tenants.bulk_create([Statement(
                municipality_id=citizen.municipality_id, statement_id=statement.statement_id, vendor_id=vendor_id,
                offer_id=statement.offer_id, citizen_id=citizen.citizen_id, subject=statement.subject,
                verb=statement.verb, timestamp=statement.timestamp, stored=now, data=statement.data, via=key_id)
                for statement in fresh for citizen in [citizens[(statement.offer_id, statement.subject)]]])
            for statement in fresh:
                if statement.completes:
                    gateway.record_completion(vendor_id=vendor_id, offer_id=statement.offer_id,
                                              subject=statement.subject, event_id=f"xapi-{statement.statement_id}",
                                              occurred_at=statement.timestamp, via=via)
            touched = sorted({(c.municipality_id, c.citizen_id) for c in
                              (citizens[(s.offer_id, s.subject)] for s in fresh)})
            if touched:
                access_log_record_many(actor=ApiCaller(vendor_id=vendor_id, via=via), citizens=touched,
                                       action="change", purpose="help", what="learning records", role="vendor",
                                       criterion=f"vendor {vendor_id} via {via}")
    except GatewayRefused as error:
        raise StatementRefused(error.code) from None
    gateway.key_used(key_id=key_id, now=now)
    return [str(s.statement_id) for s in statements]


def statements_for_vendor(*, vendor_id: int, after: int = 0, limit: int = GET_LIMIT_MAX,
                          offer_id: int | None = None, since: datetime.datetime | None = None
                          ) -> tuple[list[Statement], int | None]:
    """The vendor's statements in the order they were stored, after the cursor `after` (a row id); returns
    the page and the cursor of the next page (None at the end). Only what the vendor itself sent."""
    rows = Statement.all_tenants.filter(vendor_id=vendor_id, pk__gt=after)
    if offer_id is not None:
        rows = rows.filter(offer_id=offer_id)
    if since is not None:
        rows = rows.filter(stored__gt=since)
    page = list(rows.order_by("pk").only("pk", "data", "stored")[:limit + 1])
    more = page[limit - 1].pk if len(page) > limit else None
    return page[:limit], more


