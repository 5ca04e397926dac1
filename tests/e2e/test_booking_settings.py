"""Booking set-up at phone width (390 px): the municipality's administrator sets 20-minute slots and
adds a meeting place; an adviser publishes hours at it and registers a day away. axe-core runs on
every page; a value out of bounds gets a Danish message."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.booking.models import AvailabilityException, BookingSettings, WeeklyAvailability
from jobunivers.tenancy.roles import Role
from tests.e2e.screens import PHONE, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_administrator_sets_up_booking_and_an_adviser_publishes_hours(page, visit, axe, sign_in_as, municipality,
                                                                      member):
    page.set_viewport_size(PHONE)
    prefix = f"/{municipality.slug}"
    admin = member(Role.MUNICIPALITY_ADMIN, municipality, first_name="Ole", last_name="Admin")
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Aisha", last_name="Johansen")

    # given the administrator on the booking settings page
    sign_in_as(page, admin, municipality)
    assert visit(page, f"{prefix}/medarbejder/samtaler/indstillinger/").status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # when a slot of 5 minutes is tried, then 20
    page.get_by_label("Samtalens længde (minutter)", exact=False).fill("5")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state("domcontentloaded")
    # then the first is refused in Danish and the second saved
    assert "Denne værdi skal være større end eller lig 10." in page.locator("main").inner_text()
    axe(page)
    page.get_by_label("Samtalens længde (minutter)", exact=False).fill("20")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state("domcontentloaded")
    assert BookingSettings.all_tenants.get(municipality=municipality).slot_minutes == 20
    # and a meeting place is added
    page.get_by_label("Navn").fill("Jobcenter Aarhus")
    page.get_by_label("Adresse").fill("Fredensgade 40, 8000 Aarhus C")
    page.get_by_role("button", name="Tilføj").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Jobcenter Aarhus, Fredensgade 40, 8000 Aarhus C" in page.locator("main").inner_text()
    axe(page)
    screenshot(page, "booking-settings")

    # when the adviser publishes Monday hours at the meeting place and registers a day away
    sign_in_as(page, adviser, municipality)
    assert visit(page, f"{prefix}/medarbejder/samtaler/tider/").status == 200
    page.get_by_label("Fra").first.fill("09:00")
    page.get_by_label("Til").first.fill("12:00")
    page.get_by_label("Mødested").select_option(label="Jobcenter Aarhus, Fredensgade 40, 8000 Aarhus C")
    page.get_by_role("button", name="Læg ud").click()
    page.wait_for_load_state("domcontentloaded")
    day = timezone.localdate() + datetime.timedelta(days=10)
    page.get_by_label("Dag", exact=True).fill(day.isoformat())
    page.get_by_role("button", name="Registrér fravær").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    screenshot(page, "adviser-hours")
    # then both are stored for the adviser
    rule = WeeklyAvailability.all_tenants.get(adviser=adviser)
    assert "Mandag" in page.locator("main table").inner_text()
    assert (rule.weekday, rule.starts, rule.ends, rule.location.name) == (0, datetime.time(9), datetime.time(12),
                                                                         "Jobcenter Aarhus")
    assert list(AvailabilityException.all_tenants.filter(adviser=adviser).values_list("day", "starts")) == [(day, None)]
