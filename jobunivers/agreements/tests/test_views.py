"""The pages: the administrator's agreements, rates and statements with bad input answered in Danish
and nothing half-written; the vendor portal with its own statements, downloads and suppressed usage,
and nothing of another vendor's."""

from __future__ import annotations

import datetime

import pytest

from jobunivers.agreements import services
from jobunivers.agreements.models import Agreement, Rate, Statement
from jobunivers.core.testing import client_for, murl, nurl
from jobunivers.marketplace.tests import factories as market
from jobunivers.tenancy.roles import Role

from . import factories

pytestmark = pytest.mark.django_db
D = datetime.date


def _statement(admin, municipality, vendor, model="per_use", events=(), rates=((D(2026, 1, 1), None, 2_500, 0),)):
    offer = factories.vendor_offer(vendor, "Jobsøgningsapp")
    factories.agreement(municipality, offer, model, rates=rates)
    for kind, day, subject in events:
        factories.event(municipality, offer, kind, day, subject=subject)
    from jobunivers.core.context import tenant_context
    with tenant_context(municipality):
        return services.statement_generate(actor=admin, municipality_id=municipality.pk, vendor_id=vendor.pk,
                                           month=D(2026, 3, 1))


# The administrator


def test_the_administrator_makes_an_agreement_and_gives_it_a_rate_in_kroner(admin, vendor, municipality):
    # given
    offer = factories.vendor_offer(vendor, "CV-værksted")
    client = client_for(admin)
    # when
    made = client.post(murl(municipality, "agreements:admin_agreements"), {
        "offer": offer.pk, "payment_model": "per_hour", "billed_use": "launched", "reference": "J.nr. 17"})
    agreement = Agreement.all_tenants.get()
    rated = client.post(murl(municipality, "agreements:admin_agreement", agreement_id=agreement.pk), {
        "valid_from": "2026-01-01", "amount": "1.234,50"})
    # then
    assert made.status_code == rated.status_code == 302
    assert list(Rate.all_tenants.values_list("amount_ore", "valid_to")) == [(123_450, None)]
    page = client.get(murl(municipality, "agreements:admin_agreement", agreement_id=agreement.pk)).content.decode()
    assert "1.234,50 kr." in page
    assert "CV-værksted" in page


def test_a_bad_amount_is_answered_in_danish_and_nothing_is_written(admin, vendor, municipality):
    # given
    agreement = factories.agreement(municipality, factories.vendor_offer(vendor), rates=())
    # when
    answer = client_for(admin).post(murl(municipality, "agreements:admin_agreement", agreement_id=agreement.pk),
                                    {"valid_from": "2026-01-01", "amount": "tolv kroner"})
    # then
    assert answer.status_code == 400
    assert "Skriv et beløb i kroner, fx 1.250,00." in answer.content.decode()
    assert Rate.all_tenants.count() == 0


def test_the_rate_form_names_the_amount_for_the_payment_model_and_asks_a_result_fee_only_of_outcome_pay(
        admin, vendor, municipality):
    # given an hourly agreement and an outcome-based one
    hourly = factories.agreement(municipality, factories.vendor_offer(vendor, "Opfølgning"), "per_hour", rates=())
    outcome = factories.agreement(municipality, factories.vendor_offer(vendor, "Jobmatch"), "outcome", rates=(),
                                  outcome_weeks=13)
    client = client_for(admin)
    # when the administrator opens both
    hourly_page = client.get(murl(municipality, "agreements:admin_agreement", agreement_id=hourly.pk)).content.decode()
    outcome_url = murl(municipality, "agreements:admin_agreement", agreement_id=outcome.pk)
    outcome_page = client.get(outcome_url).content.decode()
    # then the amount says what it pays, and only outcome pay asks for a result fee
    assert ("Beløb pr. time i kroner" in hourly_page, 'name="result_fee"' in hourly_page) == (True, False)
    assert ("Grundbeløb pr. tilmelding i kroner" in outcome_page, 'name="result_fee"' in outcome_page) == (True, True)
    # and an outcome rate without a result fee is refused in Danish, nothing written
    missing = client.post(outcome_url, {"valid_from": "2026-01-01", "amount": "500"})
    assert missing.status_code == 400
    assert "Angiv resultatbeløbet i kroner, 0 eller mere." in missing.content.decode()
    assert Rate.all_tenants.count() == 0
    # and an hourly rate with a stray result fee stores none
    client.post(murl(municipality, "agreements:admin_agreement", agreement_id=hourly.pk),
                {"valid_from": "2026-01-01", "amount": "650", "result_fee": "99"})
    assert list(Rate.all_tenants.values_list("amount_ore", "result_fee_ore")) == [(65_000, 0)]


def test_an_overlapping_rate_from_the_page_is_refused_in_danish(admin, vendor, municipality):
    # given
    agreement = factories.agreement(municipality, factories.vendor_offer(vendor))
    # when
    answer = client_for(admin).post(murl(municipality, "agreements:admin_agreement", agreement_id=agreement.pk),
                                    {"valid_from": "2026-03-01", "amount": "30"})
    # then
    assert answer.status_code == 400
    assert "Perioden overlapper en anden sats i aftalen." in answer.content.decode()
    assert Rate.all_tenants.count() == 1


def test_a_bad_agreement_is_answered_in_danish_and_nothing_is_written(admin, vendor, municipality):
    # given
    offer = factories.vendor_offer(vendor)
    # when an outcome agreement without weeks
    answer = client_for(admin).post(murl(municipality, "agreements:admin_agreements"), {
        "offer": offer.pk, "payment_model": "outcome", "billed_use": "launched"})
    # then
    assert answer.status_code == 400
    assert "Angiv antallet af uger til et resultat, fra 1 til 104." in answer.content.decode()
    assert Agreement.all_tenants.count() == 0


def test_a_bad_month_is_answered_in_danish_and_no_statement_is_made(admin, vendor, municipality):
    # given
    factories.agreement(municipality, factories.vendor_offer(vendor))
    # when
    answer = client_for(admin).post(murl(municipality, "agreements:admin_statements"),
                                    {"vendor": vendor.pk, "month": "marts"})
    # then
    assert answer.status_code == 400
    assert "Skriv måneden som år og måned, fx 2026-03." in answer.content.decode()
    assert Statement.all_tenants.count() == 0


def test_the_administrator_makes_a_statement_checks_it_and_it_needs_two_approvers(admin, second_admin, vendor,
                                                                                   vendor_user, municipality):
    # given launches in March
    offer = factories.vendor_offer(vendor, "Jobsøgningsapp")
    factories.agreement(municipality, offer)
    for day in (2, 3):
        factories.event(municipality, offer, "launched", D(2026, 3, day))
    client = client_for(admin)
    # when the statement is made from the page and checked
    made = client.post(murl(municipality, "agreements:admin_statements"), {"vendor": vendor.pk, "month": "2026-03"})
    statement = Statement.all_tenants.get()
    url = murl(municipality, "agreements:admin_statement", statement_id=statement.pk)
    checked = client.post(url, {"action": "check"}).content.decode()
    # then
    assert made.status_code == 302
    assert statement.total_ore == 5_000
    assert "Beregnet igen ud fra de gemte hændelser: samme resultat." in checked
    # when the vendor accepts, the same administrator cannot give both approvals
    services.statement_accept(actor=vendor_user, statement_id=statement.pk)
    client.post(url, {"action": "approve"})
    second_try = client.post(url, {"action": "approve"}, follow=True).content.decode()
    assert "En anden person skal give den anden godkendelse." in second_try
    client_for(second_admin).post(url, {"action": "approve"})
    statement.refresh_from_db()
    assert (statement.status, statement.second_approved_by) == ("approved", second_admin)


@pytest.mark.parametrize("role", [Role.JOB_ADVISER, Role.PERSONAL_CONSULTANT, Role.JOB_JOURNEY_ASSISTANT,
                                  Role.CITIZEN])
def test_staff_and_citizens_do_not_see_the_agreement_pages(member, municipality, role):
    client = client_for(member(role, municipality))
    for name in ("agreements:admin_agreements", "agreements:admin_statements"):
        assert client.get(murl(municipality, name)).status_code == 404


# The vendor


def test_the_vendor_sees_and_downloads_its_own_statement(admin, vendor, vendor_user, municipality):
    # given
    statement = _statement(admin, municipality, vendor, events=[("launched", D(2026, 3, 2), "s1")])
    client = client_for(vendor_user)
    # when
    listing = client.get(nurl("agreements:vendor_statements")).content.decode()
    page = client.get(nurl("agreements:vendor_statement", statement_id=statement.pk)).content.decode()
    csv = client.get(nurl("agreements:vendor_statement_download", statement_id=statement.pk, kind="csv"))
    pdf = client.get(nurl("agreements:vendor_statement_download", statement_id=statement.pk, kind="pdf"))
    # then
    assert "Aarhus" in listing and "25,00 kr." in listing
    assert "Jobsøgningsapp" in page
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv.content.decode("utf-8-sig").splitlines()
    assert rows[2].split(";")[:7] == ["Jobsøgningsapp", "Brug", "01.03.2026", "31.03.2026", "1", "25,00 kr.",
                                      "25,00 kr."]
    assert rows[3].split(";")[:7] == ["I alt", "", "", "", "", "", "25,00 kr."]
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_vendor_accepts_or_disputes_from_the_page(admin, vendor, vendor_user, municipality):
    # given
    statement = _statement(admin, municipality, vendor)
    client = client_for(vendor_user)
    url = nurl("agreements:vendor_statement", statement_id=statement.pk)
    # when an empty objection is sent
    empty = client.post(url, {"action": "dispute", "reason": ""})
    # then
    assert empty.status_code == 400
    assert "Skriv, hvad der er forkert i opgørelsen." in empty.content.decode()
    statement.refresh_from_db()
    assert statement.status == "generated"
    # when accepted
    assert client.post(url, {"action": "accept", "version": statement.version}).status_code == 302
    statement.refresh_from_db()
    assert (statement.status, statement.accepted_by) == ("accepted", vendor_user)


def test_this_months_statement_shows_the_vendor_a_preview_without_the_accept_button(admin, vendor, vendor_user,
                                                                                      municipality):
    # given a statement for the running month
    from django.utils import timezone

    offer = factories.vendor_offer(vendor, "Jobsøgningsapp")
    factories.agreement(municipality, offer, "flat", rates=((D(2026, 1, 1), None, 2_500, 0),))
    from jobunivers.core.context import tenant_context
    with tenant_context(municipality):
        statement = services.statement_generate(actor=admin, municipality_id=municipality.pk, vendor_id=vendor.pk,
                                                month=timezone.localdate())
    client = client_for(vendor_user)
    url = nurl("agreements:vendor_statement", statement_id=statement.pk)
    # when the vendor opens it, and posts "accept" anyway
    page = client.get(url).content.decode()
    refused = client.post(url, {"action": "accept", "version": statement.version})
    # then no accept button, the reason in Danish, and the post refused
    assert 'value="accept"' not in page
    assert "Måneden er ikke slut endnu: opgørelsen viser, hvad der er brugt indtil nu." in page
    assert refused.status_code == 400
    assert "En opgørelse kan først accepteres, når måneden er slut." in refused.content.decode()
    statement.refresh_from_db()
    assert statement.status == "generated"


def test_another_vendor_sees_nothing_of_the_statement(admin, vendor, municipality, member):
    # given a statement of one vendor, and a user of another
    statement = _statement(admin, municipality, vendor, events=[("launched", D(2026, 3, 2), "MARKERSUBJECT")])
    stranger = client_for(market.vendor_user(member, market.vendor("Fremmed ApS")))
    # when / then
    for name in ("agreements:vendor_statements", "agreements:vendor_agreements", "agreements:vendor_usage"):
        page = stranger.get(nurl(name))
        assert page.status_code == 200
        assert "Jobsøgningsapp" not in page.content.decode() and "Aarhus" not in page.content.decode()
    for name, kwargs in (("agreements:vendor_statement", {}), ("agreements:vendor_statement_download", {"kind": "csv"}),
                         ("agreements:vendor_statement_download", {"kind": "pdf"})):
        assert stranger.get(nurl(name, statement_id=statement.pk, **kwargs)).status_code == 404
    assert stranger.post(nurl("agreements:vendor_statement", statement_id=statement.pk),
                         {"action": "accept"}).status_code == 404
    statement.refresh_from_db()
    assert statement.status == "generated"


def test_a_vendor_user_cannot_open_the_administrators_pages(vendor_user, municipality, admin, vendor):
    statement = _statement(admin, municipality, vendor)
    client = client_for(vendor_user)
    assert client.get(murl(municipality, "agreements:admin_statement", statement_id=statement.pk)).status_code == 404
    assert client.get(murl(municipality, "agreements:admin_agreements")).status_code == 404


def test_usage_is_aggregated_per_municipality_and_month_with_small_numbers_suppressed(vendor, vendor_user,
                                                                                      municipality, other_municipality):
    # given in Aarhus 5 citizens enrolled and 7 launches this month; in København 2 enrolled
    offer = factories.vendor_offer(vendor, "Jobsøgningsapp")
    today = datetime.date.today()
    for number in range(5):
        factories.event(municipality, offer, "enrolled", today, subject=f"a{number}")
    for number in range(7):
        factories.event(municipality, offer, "launched", today, subject=f"a{number % 5}")
    factories.event(municipality, offer, "hour", today, subject="a1", quantity="2.5")
    for number in range(2):
        factories.event(other_municipality, offer, "enrolled", today, subject=f"k{number}")
        factories.event(other_municipality, offer, "hour", today, subject=f"k{number}", quantity="3")
    # when
    page = client_for(vendor_user).get(nurl("agreements:vendor_usage")).content.decode()
    # then
    rows = [row for row in page.split("<tr>")[2:]]
    aarhus = next(row for row in rows if "Aarhus" in row)
    copenhagen = next(row for row in rows if "København" in row)
    cells = lambda row: [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]  # noqa: E731
    assert cells(aarhus)[3:] == ["5", "5", "7", "0", "2,5", "0"]
    assert cells(copenhagen)[3:] == ["&lt; 5", "&lt; 5", "0", "0", "&lt; 5", "0"]
