"""Done when (issue 20, employers): at 390 px a citizen follows an employer, reads the diagnosis and the
employers likely to hire on the start page, opens the whole list from there, reads why an employer is there, logs an unsolicited application in one step, and sees the
followed employer's new posting first in the feed with the reason; axe clean on every page."""

import re

import pytest
from django.utils import timezone

from .screens import PHONE, horizontal_overflow, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_follow_likely_employers_unsolicited_application_and_the_feed(page, visit, axe, sign_in_as, municipality):
    from jobunivers.citizens.models import JobLogEntry
    from jobunivers.citizens.services import welcome_mark_seen
    from jobunivers.employers.tests import factories
    from jobunivers.jobs.services import postings_import
    from jobunivers.jobs.sources.base import FeedRecord
    from jobunivers.matching.tests.helpers import citizen_seeking, occupation
    from jobunivers.notifications.models import Notification

    # given a warehouse worker in Aarhus, an employer that posted six warehouse jobs this year and one that
    # posted one last year
    warehouse = occupation("lagermedarbejder", "9334", english="warehouse worker")
    citizen = citizen_seeking(municipality, [warehouse])
    citizen.user.first_name, citizen.user.last_name = "Lise", "Lager"
    citizen.user.save(update_fields=["first_name", "last_name"])
    welcome_mark_seen(actor=citizen.user, citizen=citizen)
    factories.postings("Netto", occupation=warehouse, days_ago=(20, 60, 100, 150, 200, 300), title="Lagermedarbejder")
    factories.postings("Lager Nord", occupation=warehouse, days_ago=(400,), title="Lagermedarbejder")
    page.set_viewport_size(PHONE)
    sign_in_as(page, citizen.user, municipality)

    # when they find Netto under "What I follow" and follow it
    visit(page, f"/{municipality.slug}/virksomheder/jeg-foelger/")
    page.get_by_label("Virksomhedens navn eller CVR-nummer").fill("netto")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    page.get_by_role("button", name=re.compile(r"^Følg\s*: Netto$")).click()
    page.wait_for_load_state("domcontentloaded")
    assert "Du følger nu Netto." in page.content()
    assert page.locator(".jobunivers-follow h2").all_inner_texts() == ["Netto"]
    axe(page)
    screenshot(page, "employers-follows")
    assert horizontal_overflow(page) == 0

    # and read their start page: the diagnosis first, and the employers likely to hire with the followed one
    visit(page, f"/{municipality.slug}/min-side/")
    axe(page)
    assert page.locator(".jobunivers-diagnosis-sentence").count() == 1
    assert page.locator(".jobunivers-diagnosis-sentence").inner_text() != ""
    home = page.locator(".jobunivers-likely-home-item")
    assert home.count() == 2
    assert home.nth(0).inner_text().startswith("Netto\n\nNetto har slået 6 stillinger som lagermedarbejder op det seneste år.")
    assert "Få opslag at gå ud fra" in home.nth(1).inner_text()
    screenshot(page, "employers-start-page")
    assert horizontal_overflow(page) == 0

    # and open "employers likely to hire" from there
    page.get_by_role("link", name="Se alle virksomheder der kan ansætte").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert page.locator("h1").inner_text() == "Virksomheder der kan ansætte"
    items = page.locator(".jobunivers-likely-item")
    assert items.count() == 2
    assert "Netto har slået 6 stillinger som lagermedarbejder op det seneste år." in items.nth(0).inner_text()
    assert "Få opslag at gå ud fra" in items.nth(1).inner_text()
    screenshot(page, "employers-likely")
    assert horizontal_overflow(page) == 0

    # then "why am I seeing this?" explains the score criterion by criterion
    items.nth(0).get_by_role("link", name=re.compile("Hvorfor ser jeg dette?")).click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert page.locator("h1").inner_text() == "Derfor viser vi Netto"
    assert page.locator("tbody th").all_inner_texts() == ["Job i dit fag", "Hvor nylig", "Udvikling", "Størrelse"]
    assert "aldrig dit køn eller din oprindelse" in page.content()
    screenshot(page, "employers-why")
    assert horizontal_overflow(page) == 0
    page.get_by_role("link", name="Tilbage til virksomheder der kan ansætte").click()
    page.wait_for_load_state("domcontentloaded")

    # when they log an unsolicited application to Lager Nord in one step
    page.get_by_role("button", name=re.compile(r"uopfordret ansøgning\s*: Lager Nord$")).click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert "Den uopfordrede ansøgning står nu i din joblog." in page.content()
    entry = JobLogEntry.all_tenants.get(citizen=citizen)
    assert (entry.employer, entry.job_title, entry.kind) == ("Lager Nord", "Uopfordret ansøgning som lagermedarbejder",
                                                             "application")
    visit(page, f"/{municipality.slug}/min-side/joblog/")
    assert "Uopfordret ansøgning som lagermedarbejder" in page.content()

    # when Netto posts a new job (a feed import)
    report = postings_import(source="e2e", embed=False, items=[FeedRecord(
        position="ad 1", external_id="e2e-netto-1", title="Truckfører til nyt lager", employer_name="NETTO A/S",
        occupation_uri=warehouse.uri, isco_code="9334", postcode="8000", city="Aarhus C", latitude=56.16,
        longitude=10.2, hours="full_time", employment_type="permanent", published_at=timezone.now())])
    assert report.posting_ids

    # then it is first in their feed, saying why, and a job notice says so too
    visit(page, f"/{municipality.slug}/job-til-dig/")
    first = page.locator(".jobunivers-feed-item").first
    assert "Truckfører til nyt lager" in first.inner_text()
    assert "Fra det, du følger" in first.inner_text()
    assert "Du følger NETTO A/S" in first.inner_text()  # the name of its latest posting
    screenshot(page, "employers-feed")
    assert horizontal_overflow(page) == 0
    notice = Notification.all_tenants.get(recipient=citizen.user, subject_key=f"posting:{report.posting_ids[0]}")
    assert notice.body.startswith("Du følger NETTO A/S · ")
