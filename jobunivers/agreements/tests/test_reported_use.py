"""Across apps: what a vendor's server reports through the signed callback (marketplace.reporting) is what
a per-session or per-hour agreement bills in the month's statement."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils import timezone

from jobunivers.agreements import services
from jobunivers.agreements.models import StatementLine
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.marketplace import launch, reporting
from jobunivers.marketplace import services as marketplace_services
from jobunivers.marketplace.tests import factories as market

from . import factories

pytestmark = pytest.mark.django_db


def _report(key, secret, body: dict) -> int:
    raw = json.dumps(body).encode()
    stamp = str(int(timezone.now().timestamp()))
    return Client().post("/api/v1/marketplace/use-events", raw, content_type="application/json",
                         HTTP_X_JOBUNIVERS_KEY=key.key_id, HTTP_X_JOBUNIVERS_TIMESTAMP=stamp,
                         HTTP_X_JOBUNIVERS_SIGNATURE=reporting.sign_report(secret=secret, timestamp=stamp,
                                                                            body=raw)).status_code


def test_reported_sessions_and_hours_are_billed_in_the_statement(admin, vendor, vendor_user, in_home):
    # given a per-session agreement (250 kr.) and a per-hour agreement (650 kr.) about two of the vendor's
    # courses, and a citizen enrolled in both
    sessions = factories.vendor_offer(vendor, "Jobsøgning med coach")
    coaching = factories.vendor_offer(vendor, "Opfølgning")
    today = timezone.localdate()
    factories.agreement(in_home, sessions, "per_use", billed_use="session",
                        rates=((today.replace(day=1), None, 25_000, 0),))
    factories.agreement(in_home, coaching, "per_hour", rates=((today.replace(day=1), None, 65_000, 0),))
    citizen = CitizenFactory(municipality=in_home)
    enrolments = [marketplace_services.enrol(actor=citizen.user, citizen=citizen,
                                             municipal_offer=market.enabled(in_home, offer))
                  for offer in (sessions, coaching)]
    subject = launch.pseudonym(provider=f"vendor:{vendor.pk}", citizen_id=citizen.pk)
    key, secret = reporting.callback_key_create(actor=vendor_user)
    # when the vendor's server reports 2 + 1 sessions, 1.25 + 0.5 hours, a replay, and the completion
    when = timezone.localtime().isoformat()
    reports = [
        {"event_id": "s-1", "offer": sessions.pk, "kind": "session", "quantity": 2},
        {"event_id": "s-2", "offer": sessions.pk, "kind": "session", "quantity": 1},
        {"event_id": "s-2", "offer": sessions.pk, "kind": "session", "quantity": 1},
        {"event_id": "h-1", "offer": coaching.pk, "kind": "hour", "quantity": 1.25},
        {"event_id": "h-2", "offer": coaching.pk, "kind": "hour", "quantity": 0.5},
        {"event_id": "c-1", "offer": sessions.pk, "kind": "completed"},
    ]
    statuses = [_report(key, secret, {"subject": subject, "occurred_at": when, **body}) for body in reports]
    # then each was recorded once (the replay answered 200)
    assert statuses == [201, 201, 200, 201, 201, 201]
    enrolments[0].refresh_from_db()
    assert enrolments[0].status == "completed"
    # and the month's statement bills 3 sessions and 1.75 hours
    statement = services.statement_generate(actor=admin, municipality_id=in_home.pk, vendor_id=vendor.pk,
                                            month=today)
    lines = sorted(StatementLine.all_tenants.filter(statement=statement).values_list("kind", "quantity", "amount_ore"))
    assert [(kind, float(quantity), amount) for kind, quantity, amount in lines] == [
        ("hour", 1.75, 113_750), ("use", 3.0, 75_000)]
    assert statement.total_ore == 188_750
