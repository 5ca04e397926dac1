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
    return _response(key, secret, body).status_code


def _response(key, secret, body: dict):
    raw = json.dumps(body).encode()
    stamp = str(int(timezone.now().timestamp()))
    return Client().post("/api/v1/marketplace/use-events", raw, content_type="application/json",
                         HTTP_X_JOBUNIVERS_KEY=key.key_id, HTTP_X_JOBUNIVERS_TIMESTAMP=stamp,
                         HTTP_X_JOBUNIVERS_SIGNATURE=reporting.sign_report(secret=secret, timestamp=stamp,
                                                                            body=raw))


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


def test_a_late_report_for_a_month_the_vendor_accepted_is_refused_and_one_before_is_billed(
        admin, vendor, vendor_user, in_home):
    # given a per-session agreement from two months back and a citizen enrolled since then
    from jobunivers.marketplace.models import Enrolment, UseEvent

    offer = factories.vendor_offer(vendor, "Jobsøgning med coach")
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - timezone.timedelta(days=1)).replace(day=1)
    month_before = (last_month - timezone.timedelta(days=1)).replace(day=1)
    factories.agreement(in_home, offer, "per_use", billed_use="session", rates=((month_before, None, 25_000, 0),))
    citizen = CitizenFactory(municipality=in_home)
    enrolment = marketplace_services.enrol(actor=citizen.user, citizen=citizen,
                                           municipal_offer=market.enabled(in_home, offer))
    enrolled = timezone.make_aware(timezone.datetime.combine(month_before, timezone.datetime.min.time()))
    Enrolment.all_tenants.filter(pk=enrolment.pk).update(enrolled_at=enrolled)
    subject = launch.pseudonym(provider=f"vendor:{vendor.pk}", citizen_id=citizen.pk)
    key, secret = reporting.callback_key_create(actor=vendor_user)

    def at(month):
        return timezone.make_aware(timezone.datetime.combine(month.replace(day=10), timezone.datetime.min.time()
                                                             ).replace(hour=10)).isoformat()

    def report(event_id, month):
        return _response(key, secret, {"event_id": event_id, "subject": subject, "offer": offer.pk,
                                       "kind": "session", "quantity": 1, "occurred_at": at(month)})

    # when the vendor accepts the statement for the month before last, then reports a session in that month
    older = services.statement_generate(actor=admin, municipality_id=in_home.pk, vendor_id=vendor.pk,
                                        month=month_before)
    services.statement_accept(actor=vendor_user, statement_id=older.pk)
    late = report("late-1", month_before)
    # then it is refused in Danish and English, and nothing is written
    assert late.status_code == 409
    assert (late.json()["code"], late.json()["detail"], late.json()["detail_en"]) == (
        "month_settled",
        "I har allerede accepteret opgørelsen for den måned, hændelsen skete i, så den kan ikke længere afregnes. "
        "Bed kommunen om at rette opgørelsen.",
        "You have already accepted the statement for the month of this event, so it can no longer be billed. "
        "Ask the municipality to correct it.")
    assert not UseEvent.all_tenants.filter(dedupe_key="late-1").exists()
    # and a late report for last month, generated but not yet accepted, is recorded and billed when the
    # statement is made again
    generated = services.statement_generate(actor=admin, municipality_id=in_home.pk, vendor_id=vendor.pk,
                                            month=last_month)
    assert generated.total_ore == 0
    assert report("late-2", last_month).status_code == 201
    again = services.statement_generate(actor=admin, municipality_id=in_home.pk, vendor_id=vendor.pk,
                                        month=last_month)
    assert (again.pk, again.total_ore) == (generated.pk, 25_000)


def test_this_months_statement_is_a_preview_the_vendor_cannot_accept_yet(admin, vendor, vendor_user, in_home):
    from jobunivers.core.errors import ValidationFailed

    offer = factories.vendor_offer(vendor)
    today = timezone.localdate()
    factories.agreement(in_home, offer, "flat", rates=((today.replace(day=1), None, 1_000_000, 0),))
    statement = services.statement_generate(actor=admin, municipality_id=in_home.pk, vendor_id=vendor.pk, month=today)
    with pytest.raises(ValidationFailed) as early:
        services.statement_accept(actor=vendor_user, statement_id=statement.pk)
    assert early.value.messages == {"__all__": ["En opgørelse kan først accepteres, når måneden er slut."]}
    statement.refresh_from_db()
    assert statement.status == "generated"
    # on the first of next month it can be accepted
    next_month = (today.replace(day=28) + timezone.timedelta(days=4)).replace(day=1)
    moment = timezone.make_aware(timezone.datetime.combine(next_month, timezone.datetime.min.time()).replace(hour=8))
    assert services.statement_accept(actor=vendor_user, statement_id=statement.pk, now=moment).status == "accepted"
