"""Agreements, rates and statements through the services: permissions, bad input that writes
nothing, each payment model from stored events, reproducibility, and the approval steps."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from jobunivers.agreements import contracts, services
from jobunivers.agreements.models import Agreement, Rate, Statement, StatementLine
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.marketplace.tests import factories as market
from jobunivers.segmentation.tests.factories import register_data
from jobunivers.tenancy.roles import Role

from . import factories

pytestmark = pytest.mark.django_db
D = datetime.date
MARCH = D(2026, 3, 1)
NOW = factories.at(D(2026, 4, 10))


# Agreements


def test_the_administrator_makes_an_agreement_for_a_vendors_offer(admin, vendor, in_home):
    # given
    offer = factories.vendor_offer(vendor)
    # when
    agreement = services.agreement_create(actor=admin, municipality_id=in_home.pk, offer_id=offer.pk,
                                          payment_model="outcome", outcome_weeks=12, reference="KK-2026-17")
    # then
    assert (agreement.vendor_id, agreement.payment_model, agreement.outcome_weeks, agreement.reference) == (
        vendor.pk, "outcome", 12, "KK-2026-17")


@pytest.mark.parametrize(("values", "field"), [
    ({"payment_model": "barter"}, "payment_model"),
    ({"payment_model": "outcome", "outcome_weeks": 0}, "outcome_weeks"),
    ({"payment_model": "outcome", "outcome_weeks": 105}, "outcome_weeks"),
    ({"payment_model": "per_use", "billed_use": "clicks"}, "billed_use"),
    ({"payment_model": "flat", "reference": "x" * 101}, "reference"),
])
def test_bad_agreement_input_is_refused_in_danish_and_nothing_is_written(admin, vendor, in_home, values, field):
    # given
    offer = factories.vendor_offer(vendor)
    # when
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_create(actor=admin, municipality_id=in_home.pk, offer_id=offer.pk, **values)
    # then
    assert list(refused.value.messages) == [field]
    assert Agreement.all_tenants.count() == 0


def test_an_agreement_is_only_for_a_vendors_offer_and_only_once(admin, vendor, in_home):
    # given a national library offer, and a vendor offer with an agreement already
    national = market.offer()
    offer = factories.vendor_offer(vendor)
    services.agreement_create(actor=admin, municipality_id=in_home.pk, offer_id=offer.pk, payment_model="flat")
    # when / then
    with pytest.raises(ValidationFailed) as library:
        services.agreement_create(actor=admin, municipality_id=in_home.pk, offer_id=national.pk, payment_model="flat")
    assert library.value.messages == {"offer": ["Vælg et af leverandørernes tilbud."]}
    with pytest.raises(ValidationFailed) as twice:
        services.agreement_create(actor=admin, municipality_id=in_home.pk, offer_id=offer.pk, payment_model="free")
    assert twice.value.messages == {"offer": ["Der er allerede en aftale om dette tilbud."]}
    assert Agreement.all_tenants.count() == 1


@pytest.mark.parametrize("role", [Role.JOB_ADVISER, Role.JOB_JOURNEY_ASSISTANT, Role.PERSONAL_CONSULTANT,
                                  Role.CITIZEN])
def test_only_the_administrator_makes_agreements(member, municipality, vendor, in_home, role):
    # given
    offer = factories.vendor_offer(vendor)
    # when / then
    with pytest.raises(NotFound):
        services.agreement_create(actor=member(role, municipality), municipality_id=municipality.pk,
                                  offer_id=offer.pk, payment_model="flat")
    assert Agreement.all_tenants.count() == 0


def test_another_municipalitys_administrator_cannot_act_here(member, other_municipality, vendor, in_home):
    # given
    offer = factories.vendor_offer(vendor)
    # when / then
    with pytest.raises(NotFound):
        services.agreement_create(actor=member(Role.MUNICIPALITY_ADMIN, other_municipality),
                                  municipality_id=in_home.pk, offer_id=offer.pk, payment_model="flat")


# Rates


def test_rates_follow_each_other_and_an_overlap_is_refused(admin, vendor, in_home):
    # given an open rate from 1 January
    agreement = factories.agreement(in_home, factories.vendor_offer(vendor), rates=())
    first = services.rate_add(actor=admin, municipality_id=in_home.pk, agreement_id=agreement.pk,
                              valid_from=D(2026, 1, 1), valid_to=None, amount_ore=2_500)
    # when a rate from 1 March is added while the first is open
    with pytest.raises(ValidationFailed) as refused:
        services.rate_add(actor=admin, municipality_id=in_home.pk, agreement_id=agreement.pk,
                          valid_from=D(2026, 3, 1), valid_to=None, amount_ore=3_000)
    # then refused, nothing written
    assert refused.value.messages == {"valid_from": [
        "Perioden overlapper en anden sats i aftalen. Afslut den sats først, eller vælg andre dage."]}
    assert Rate.all_tenants.count() == 1
    # when the first is ended on 28 February, the new one fits
    services.rate_end(actor=admin, municipality_id=in_home.pk, rate_id=first.pk, valid_to=D(2026, 2, 28))
    services.rate_add(actor=admin, municipality_id=in_home.pk, agreement_id=agreement.pk,
                      valid_from=D(2026, 3, 1), valid_to=None, amount_ore=3_000)
    # then
    assert list(Rate.all_tenants.order_by("valid_from").values_list("valid_from", "valid_to", "amount_ore")) == [
        (D(2026, 1, 1), D(2026, 2, 28), 2_500), (D(2026, 3, 1), None, 3_000)]


@pytest.mark.parametrize(("values", "field"), [
    ({"valid_from": None}, "valid_from"),
    ({"valid_to": D(2025, 12, 31)}, "valid_to"),
    ({"amount_ore": None}, "amount"),
    ({"amount_ore": -1}, "amount"),
    ({"amount_ore": 10**13}, "amount"),
])
def test_bad_rates_are_refused_and_nothing_is_written(admin, vendor, in_home, values, field):
    # given
    agreement = factories.agreement(in_home, factories.vendor_offer(vendor), rates=())
    rate = {"valid_from": D(2026, 1, 1), "valid_to": None, "amount_ore": 2_500} | values
    # when
    with pytest.raises(ValidationFailed) as refused:
        services.rate_add(actor=admin, municipality_id=in_home.pk, agreement_id=agreement.pk, **rate)
    # then
    assert list(refused.value.messages) == [field]
    assert Rate.all_tenants.count() == 0


def test_an_outcome_rate_needs_its_result_fee(admin, vendor, in_home):
    # given
    agreement = factories.agreement(in_home, factories.vendor_offer(vendor), "outcome", rates=(), outcome_weeks=12)
    # when / then
    with pytest.raises(ValidationFailed) as refused:
        services.rate_add(actor=admin, municipality_id=in_home.pk, agreement_id=agreement.pk,
                          valid_from=D(2026, 1, 1), valid_to=None, amount_ore=50_000)
    assert list(refused.value.messages) == ["result_fee"]
    assert Rate.all_tenants.count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint exists on PostgreSQL only")
def test_the_database_refuses_overlapping_rates_whatever_writes_them(vendor, in_home):
    # given
    agreement = factories.agreement(in_home, factories.vendor_offer(vendor),
                                    rates=((D(2026, 1, 1), D(2026, 3, 10), 2_500, 0),))
    # when a write that bypasses the services overlaps by one day
    with pytest.raises(IntegrityError), transaction.atomic():
        Rate.all_tenants.create(municipality=in_home, agreement=agreement, valid_from=D(2026, 3, 10), amount_ore=1)
    # then an adjacent one is fine, and so is the same period on another agreement
    Rate.all_tenants.create(municipality=in_home, agreement=agreement, valid_from=D(2026, 3, 11), amount_ore=1)
    other = factories.agreement(in_home, factories.vendor_offer(vendor), rates=((D(2026, 1, 1), None, 1, 0),))
    assert Rate.all_tenants.filter(agreement=other).count() == 1


def test_the_database_refuses_a_rate_ending_before_it_starts(vendor, in_home):
    agreement = factories.agreement(in_home, factories.vendor_offer(vendor), rates=())
    with pytest.raises(IntegrityError), transaction.atomic():
        Rate.all_tenants.create(municipality=in_home, agreement=agreement, valid_from=D(2026, 3, 10),
                                valid_to=D(2026, 3, 9), amount_ore=1)


def test_has_agreement_answers_for_the_day_a_rate_is_valid(vendor, municipality, other_municipality):
    # given an agreement with a rate through March 2026
    offer = factories.vendor_offer(vendor)
    factories.agreement(municipality, offer, rates=((D(2026, 1, 1), D(2026, 3, 31), 2_500, 0),))
    # when / then
    assert contracts.has_agreement(municipality_id=municipality.pk, offer_id=offer.pk, on=D(2026, 3, 31)) is True
    assert contracts.has_agreement(municipality_id=municipality.pk, offer_id=offer.pk, on=D(2026, 4, 1)) is False
    assert contracts.has_agreement(municipality_id=other_municipality.pk, offer_id=offer.pk, on=D(2026, 3, 1)) is False


# Statements from stored events


def _generate(admin, municipality, vendor, month=MARCH):
    return services.statement_generate(actor=admin, municipality_id=municipality.pk, vendor_id=vendor.pk, month=month,
                                       now=NOW)


def _lines(statement):
    return list(StatementLine.all_tenants.filter(statement=statement).order_by("agreement_id", "period_start", "pk")
                .values_list("kind", "period_start", "period_end", "quantity", "amount_ore", "subject"))


def test_a_statement_sums_every_agreement_of_the_vendor_from_the_use_events(admin, vendor, in_home, other_municipality):
    # given per-launch and per-hour agreements, with events in March, April, and in another municipality
    launches = factories.vendor_offer(vendor, "Jobsøgningsapp")
    coaching = factories.vendor_offer(vendor, "Coaching")
    factories.agreement(in_home, launches, "per_use", billed_use="launched")
    factories.agreement(in_home, coaching, "per_hour", rates=((D(2026, 1, 1), None, 65_000, 0),))
    for day in (2, 3, 31):
        factories.event(in_home, launches, "launched", D(2026, 3, day))
    factories.event(in_home, launches, "session", D(2026, 3, 4))
    factories.event(in_home, launches, "launched", D(2026, 4, 1))
    factories.event(other_municipality, launches, "launched", D(2026, 3, 5))
    factories.event(in_home, coaching, "hour", D(2026, 3, 9), quantity="1.5", subject="s2")
    # when
    statement = _generate(admin, in_home, vendor)
    # then
    assert _lines(statement) == [
        ("use", D(2026, 3, 1), D(2026, 3, 31), 3, 7_500, ""),
        ("hour", D(2026, 3, 1), D(2026, 3, 31), 1.5, 97_500, ""),
    ]
    assert (statement.total_ore, statement.status, statement.use_events) == (105_000, "generated", 4)


def test_a_subscription_statement_stops_at_withdrawal_and_splits_at_a_rate_change(admin, vendor, in_home):
    # given 310 kr. a month until 10 March, then 620 kr.; s1 all month, s2 withdrawn on 21 March
    offer = factories.vendor_offer(vendor)
    factories.agreement(in_home, offer, "subscription", rates=(
        (D(2026, 1, 1), D(2026, 3, 10), 31_000, 0), (D(2026, 3, 11), None, 62_000, 0)))
    factories.event(in_home, offer, "enrolled", D(2026, 2, 1), subject="s1")
    factories.event(in_home, offer, "enrolled", D(2026, 3, 1), subject="s2")
    factories.event(in_home, offer, "withdrawn", D(2026, 3, 21), subject="s2")
    # when
    statement = _generate(admin, in_home, vendor)
    # then
    assert _lines(statement) == [
        ("subscription", D(2026, 3, 1), D(2026, 3, 10), 10, 10_000, "s1"),
        ("subscription", D(2026, 3, 1), D(2026, 3, 10), 10, 10_000, "s2"),
        ("subscription", D(2026, 3, 11), D(2026, 3, 31), 21, 42_000, "s1"),
        ("subscription", D(2026, 3, 11), D(2026, 3, 20), 10, 20_000, "s2"),
    ]


def test_outcome_pay_uses_the_register_outcome_and_keeps_it_as_evidence(admin, vendor, in_home):
    # given two citizens enrolled in February; one got a job on 20 March, the other none
    offer = factories.vendor_offer(vendor)
    factories.agreement(in_home, offer, "outcome", outcome_weeks=12,
                        rates=((D(2026, 1, 1), None, 50_000, 1_500_000),))
    hired, still = CitizenFactory(municipality=in_home), CitizenFactory(municipality=in_home)
    register_data(hired, outcome="job", outcome_on=D(2026, 3, 20))
    register_data(still)
    factories.event(in_home, offer, "enrolled", D(2026, 2, 5), subject="hired", citizen=hired)
    factories.event(in_home, offer, "enrolled", D(2026, 2, 6), subject="still", citizen=still)
    # when
    statement = _generate(admin, in_home, vendor)
    # then one result fee, and the evidence kept
    assert _lines(statement) == [("result_fee", D(2026, 3, 20), D(2026, 3, 20), 1, 1_500_000, "hired")]
    assert statement.outcome_evidence == [["hired", "2026-03-20"]]


def test_outcome_after_n_weeks_earns_no_result_fee(admin, vendor, in_home):
    # given enrolled 1 January, N = 8 weeks, job on 20 March
    offer = factories.vendor_offer(vendor)
    factories.agreement(in_home, offer, "outcome", outcome_weeks=8, rates=((D(2026, 1, 1), None, 50_000, 1_500_000),))
    citizen = CitizenFactory(municipality=in_home)
    register_data(citizen, outcome="job", outcome_on=D(2026, 3, 20))
    factories.event(in_home, offer, "enrolled", D(2026, 1, 1), subject="late", citizen=citizen)
    # when / then
    assert _generate(admin, in_home, vendor).total_ore == 0


def test_a_free_agreement_gives_a_statement_of_nothing(admin, vendor, in_home):
    # given
    offer = factories.vendor_offer(vendor)
    factories.agreement(in_home, offer, "free", rates=((D(2026, 1, 1), None, 0, 0),))
    factories.event(in_home, offer, "launched", D(2026, 3, 2))
    # when
    statement = _generate(admin, in_home, vendor)
    # then
    assert (statement.total_ore, _lines(statement)) == (0, [])


def test_a_statement_is_reproducible_and_notices_a_changed_input(admin, vendor, in_home):
    # given a statement with a result fee from the register data
    offer = factories.vendor_offer(vendor)
    factories.agreement(in_home, offer, "outcome", outcome_weeks=12, rates=((D(2026, 1, 1), None, 50_000, 900_000),))
    citizen = CitizenFactory(municipality=in_home)
    data = register_data(citizen, outcome="job", outcome_on=D(2026, 3, 20))
    factories.event(in_home, offer, "enrolled", D(2026, 3, 2), subject="s1", citizen=citizen)
    statement = _generate(admin, in_home, vendor)
    # when the register later changes its mind, the stored statement still recomputes the same
    data.outcome, data.outcome_on = "", None
    data.save()
    assert services.statement_recompute(statement=statement) == (statement.inputs_hash, 950_000)
    # when an event is added afterwards for that month
    factories.event(in_home, offer, "enrolled", D(2026, 3, 30), subject="s2")
    # then the recomputation differs
    again_hash, again_total = services.statement_recompute(statement=statement)
    assert (again_hash != statement.inputs_hash, again_total) == (True, 1_000_000)


def test_a_statement_survives_the_erasure_of_a_citizen(admin, vendor, in_home):
    # given a subscription statement, then the citizen's use events lose their link (erasure)
    offer = factories.vendor_offer(vendor)
    factories.agreement(in_home, offer, "subscription", rates=((D(2026, 1, 1), None, 31_000, 0),))
    citizen = CitizenFactory(municipality=in_home)
    factories.event(in_home, offer, "enrolled", D(2026, 3, 11), subject="s1", citizen=citizen)
    statement = _generate(admin, in_home, vendor)
    # when
    from jobunivers.marketplace.models import UseEvent
    UseEvent.all_tenants.update(citizen=None)
    # then
    assert services.statement_recompute(statement=statement) == (statement.inputs_hash, 21_000)


def test_a_statement_cannot_be_made_for_a_future_month_or_a_vendor_without_agreement(admin, vendor, in_home):
    # given
    factories.agreement(in_home, factories.vendor_offer(vendor))
    stranger = market.vendor("Fremmed ApS")
    # when / then
    with pytest.raises(ValidationFailed) as future:
        _generate(admin, in_home, vendor, month=D(2026, 5, 1))
    assert list(future.value.messages) == ["month"]
    with pytest.raises(ValidationFailed) as unknown:
        _generate(admin, in_home, stranger)
    assert unknown.value.messages == {"vendor": ["Kommunen har ingen aftale med denne leverandør."]}
    assert Statement.all_tenants.count() == 0


# The statement's steps


@pytest.fixture
def statement(admin, vendor, in_home):
    offer = factories.vendor_offer(vendor)
    factories.agreement(in_home, offer, "flat", rates=((D(2026, 1, 1), None, 1_000_000, 0),))
    return _generate(admin, in_home, vendor)


def test_generated_accepted_approved_by_two_different_people_then_paid(statement, admin, second_admin, vendor_user,
                                                                         in_home):
    # when the vendor accepts, and two administrators approve
    services.statement_accept(actor=vendor_user, statement_id=statement.pk)
    services.statement_approve(actor=admin, municipality_id=in_home.pk, statement_id=statement.pk)
    with pytest.raises(ValidationFailed) as same:
        services.statement_approve(actor=admin, municipality_id=in_home.pk, statement_id=statement.pk)
    assert same.value.messages == {"__all__": ["En anden person skal give den anden godkendelse."]}
    services.statement_approve(actor=second_admin, municipality_id=in_home.pk, statement_id=statement.pk)
    paid = services.statement_mark_paid(actor=admin, municipality_id=in_home.pk, statement_id=statement.pk)
    # then
    assert (paid.status, paid.accepted_by, paid.first_approved_by, paid.second_approved_by, paid.paid_by) == (
        "paid", vendor_user, admin, second_admin, admin)


def test_the_municipality_cannot_approve_before_the_vendor_accepts_nor_pay_before_two_approvals(statement, admin,
                                                                                                 vendor_user, in_home):
    with pytest.raises(ValidationFailed):
        services.statement_approve(actor=admin, municipality_id=in_home.pk, statement_id=statement.pk)
    services.statement_accept(actor=vendor_user, statement_id=statement.pk)
    services.statement_approve(actor=admin, municipality_id=in_home.pk, statement_id=statement.pk)
    with pytest.raises(ValidationFailed):
        services.statement_mark_paid(actor=admin, municipality_id=in_home.pk, statement_id=statement.pk)
    statement.refresh_from_db()
    assert statement.status == "first_approval"


def test_the_database_refuses_one_person_approving_twice(statement, admin):
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.all_tenants.filter(pk=statement.pk).update(first_approved_by=admin, second_approved_by=admin)


def test_another_vendor_cannot_accept_or_dispute(statement, member):
    # given a user of another vendor
    stranger = market.vendor_user(member, market.vendor("Fremmed ApS"))
    # when / then
    with pytest.raises(NotFound):
        services.statement_accept(actor=stranger, statement_id=statement.pk)
    with pytest.raises(NotFound):
        services.statement_dispute(actor=stranger, statement_id=statement.pk, reason="Forkert")
    statement.refresh_from_db()
    assert statement.status == "generated"


def test_a_disputed_statement_is_generated_again_and_an_accepted_one_is_not(statement, admin, vendor, vendor_user,
                                                                            in_home):
    # given the vendor disputes; an empty reason is refused
    with pytest.raises(ValidationFailed) as empty:
        services.statement_dispute(actor=vendor_user, statement_id=statement.pk, reason="  ")
    assert empty.value.messages == {"reason": ["Skriv, hvad der er forkert i opgørelsen."]}
    services.statement_dispute(actor=vendor_user, statement_id=statement.pk, reason="Satsen er forkert")
    # when the municipality generates it again
    again = _generate(admin, in_home, vendor)
    # then the same statement, back with the vendor, its lines replaced
    assert (again.pk, again.status, again.dispute_reason, StatementLine.all_tenants.count()) == (
        statement.pk, "generated", "", 1)
    services.statement_accept(actor=vendor_user, statement_id=statement.pk)
    with pytest.raises(ValidationFailed):
        _generate(admin, in_home, vendor)


def test_paid_statements_go_after_five_full_financial_years(statement, admin, municipality, other_municipality):
    # given the statement for March 2026 paid
    Statement.all_tenants.filter(pk=statement.pk).update(status="paid")
    # when / then kept through 2031, gone in 2032
    assert services.statements_purge(municipality_id=municipality.pk, today=D(2031, 12, 31)) == 0
    assert services.statements_purge(municipality_id=other_municipality.pk, today=D(2032, 1, 1)) == 0
    assert services.statements_purge(municipality_id=municipality.pk, today=D(2032, 1, 1)) == 1
    assert (Statement.all_tenants.count(), StatementLine.all_tenants.count()) == (0, 0)


def test_the_statement_steps_ignore_the_tenant_context_of_another_municipality(statement, vendor_user,
                                                                               other_municipality):
    # a vendor acts nationally: the statement is found by its vendor, not by a municipality in context
    with tenant_context(other_municipality):
        accepted = services.statement_accept(actor=vendor_user, statement_id=statement.pk)
    assert accepted.status == "accepted"
