"""Agreements from end to end (issue 17, ADR 0085): a municipality's administrator makes an agreement about a
vendor's offer and gives it a rate in kroner through the pages; launches of the offer in last month (made in
code through the marketplace's factories) become a statement the administrator makes from the page; the
vendor accepts it; two different administrators approve it (the first one trying again is refused in
Danish); it is marked paid. The CSV and PDF answer with their content types. axe-core runs on every page."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.agreements.models import Agreement, Rate, Statement
from jobunivers.marketplace.tests import factories
from jobunivers.tenancy.roles import Role

from .screens import DESKTOP, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Jobsøgning med coach"


def _click(page, role: str, name: str) -> None:
    page.get_by_role(role, name=name, exact=True).first.click()
    page.wait_for_load_state("domcontentloaded")


def _last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def test_an_agreement_with_a_rate_becomes_a_statement_accepted_approved_by_two_and_paid(
        page, visit, axe, sign_in_as, municipality, member):
    vendor = factories.vendor("Coachfirmaet ApS")
    vendor_user = factories.vendor_user(member, vendor)
    offer = factories.offer(provider_kind="vendor", vendor_=vendor, kind="course", title=TITLE)
    first_admin = member(Role.MUNICIPALITY_ADMIN, municipality, first_name="Anne", last_name="Berg")
    second_admin = member(Role.MUNICIPALITY_ADMIN, municipality, first_name="Bo", last_name="Dahl")
    month = _last_month()
    prefix = f"/{municipality.slug}"
    page.set_viewport_size(DESKTOP)

    # the administrator makes the agreement and gives it a rate of 25 kr. per launch from last month
    sign_in_as(page, first_admin, municipality)
    assert visit(page, f"{prefix}/administration/aftaler/").status == 200
    page.get_by_label("Tilbud", exact=True).select_option(label=f"Coachfirmaet ApS: {TITLE}")
    page.get_by_label("Betalingsmodel").select_option("per_use")
    _click(page, "button", "Opret aftalen")
    axe(page)
    agreement = Agreement.all_tenants.get()
    assert (agreement.offer_id, agreement.vendor_id, agreement.payment_model, agreement.billed_use) == (
        offer.pk, vendor.pk, "per_use", "launched")
    page.get_by_label("Gælder fra", exact=True).fill(month.isoformat())
    page.get_by_label("Beløb pr. brug i kroner", exact=True).fill("25,00")
    _click(page, "button", "Gem satsen")
    axe(page)
    rate = Rate.all_tenants.get()
    assert (rate.valid_from, rate.valid_to, rate.amount_ore) == (month, None, 2_500)
    screenshot(page, "agreements-flow-agreement")

    # three launches last month by two citizens, through the marketplace's factories
    curated = factories.enabled(municipality, offer)
    for number, launches in ((1, 2), (2, 1)):
        citizen = member(Role.CITIZEN, municipality).citizen
        enrolment = factories.enrolment(citizen, curated)
        for day in range(launches):
            factories.use_event(enrolment, "launched", subject=f"borger-{number}",
                                occurred_at=timezone.make_aware(datetime.datetime.combine(
                                    month + datetime.timedelta(days=day + 1), datetime.time(10))))

    # the administrator makes last month's statement from the page
    assert visit(page, f"{prefix}/administration/opgoerelser/").status == 200
    page.get_by_label("Leverandør").select_option(label="Coachfirmaet ApS")
    page.get_by_label("Måned", exact=True).fill(f"{month:%Y-%m}")
    _click(page, "button", "Dan opgørelsen")
    axe(page)
    statement = Statement.all_tenants.get()
    assert (statement.status, statement.total_ore, statement.month) == ("generated", 7_500, month)
    assert "75,00 kr." in page.locator("main dl").inner_text()
    statement_url = f"{prefix}/administration/opgoerelser/{statement.pk}/"

    # the vendor accepts it
    sign_in_as(page, vendor_user)
    assert visit(page, f"/leverandoer/opgoerelser/{statement.pk}/").status == 200
    _click(page, "button", "Acceptér opgørelsen")
    axe(page)
    statement.refresh_from_db()
    assert statement.status == "accepted"

    # the first administrator approves, and a second approval by the same person is refused in Danish
    sign_in_as(page, first_admin, municipality)
    assert visit(page, statement_url).status == 200
    _click(page, "button", "Godkend")
    axe(page)
    assert "Another administrator" not in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Giv den anden godkendelse").count() == 0
    page.evaluate("""() => {
        const button = document.createElement('button');
        button.type = 'submit'; button.name = 'action'; button.value = 'approve'; button.textContent = 'Igen';
        document.querySelector('main button[value=check]').form.appendChild(button);
    }""")
    _click(page, "button", "Igen")
    assert "En anden person skal give den anden godkendelse." in page.locator("body").inner_text()
    statement.refresh_from_db()
    assert (statement.status, statement.first_approved_by_id, statement.second_approved_by_id) == (
        "first_approval", first_admin.pk, None)

    # the second administrator gives the second approval and marks it paid
    sign_in_as(page, second_admin, municipality)
    assert visit(page, statement_url).status == 200
    _click(page, "button", "Giv den anden godkendelse")
    axe(page)
    _click(page, "button", "Marker som betalt")
    axe(page)
    screenshot(page, "agreements-flow-paid-statement")
    statement.refresh_from_db()
    assert (statement.status, statement.second_approved_by_id, statement.paid_by_id) == (
        "paid", second_admin.pk, second_admin.pk)

    # the CSV and the PDF
    csv = page.request.get(f"{statement_url}opgoerelse.csv")
    pdf = page.request.get(f"{statement_url}opgoerelse.pdf")
    assert (csv.status, csv.headers["content-type"]) == (200, "text/csv; charset=utf-8")
    assert (pdf.status, pdf.headers["content-type"]) == (200, "application/pdf")
    assert pdf.body().startswith(b"%PDF-")
    assert TITLE in csv.text()
