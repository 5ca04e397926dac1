"""Done when (issue 6): a citizen sets consent and preferences, sees the feed with reasons,
dismisses one, and receives an in-app and an e-mail notice when a matching posting is imported."""

import re

import pytest
from django.core import mail
from django.utils import timezone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_citizen_feed_preferences_and_a_notice_for_an_imported_posting(page, visit, axe, sign_in_as, municipality):
    from jobunivers.citizens.services import welcome_mark_seen
    from jobunivers.jobs.services import postings_import
    from jobunivers.jobs.sources.base import FeedRecord
    from jobunivers.matching.tests.helpers import citizen_seeking, occupation, posting

    # given a carpenter in Aarhus with an e-mail address, and two carpenter jobs and a related trade
    carpenter, bricklayer = occupation("tømrer", "7115", english="carpenter"), occupation("murer", "7112", english="bricklayer")
    citizen = citizen_seeking(municipality, [carpenter])
    citizen.user.email = "borger@example.dk"
    citizen.user.first_name, citizen.user.last_name = "Tove", "Tømrer"
    citizen.user.save(update_fields=["email", "first_name", "last_name"])
    welcome_mark_seen(actor=citizen.user, citizen=citizen)
    posting("Tømrer til renovering", carpenter, employer="Byg Aarhus A/S")
    posting("Tømrer til tagarbejde", carpenter, employer="Tag & Træ ApS")
    posting("Murer til facade", bricklayer, employer="Mur ApS")
    sign_in_as(page, citizen.user, municipality)

    # when they turn on personalisation under "Mine data"
    visit(page, f"/{municipality.slug}/mine-data/")
    page.locator("label[for='id_personalisation']").click()
    page.locator("form[action$='/mine-data/samtykker/'] button[type='submit']").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)

    # and choose job notices by e-mail right away
    visit(page, f"/{municipality.slug}/beskeder/indstillinger/")
    page.get_by_label("Job, der passer til mig: E-mail").select_option("immediate")
    page.get_by_role("button", name="Gem valg").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Dine valg for notifikationer er gemt." in page.content()
    axe(page)

    # then the feed shows the jobs with reasons, and the related trade says it widens the search
    visit(page, f"/{municipality.slug}/job-til-dig/")
    assert page.locator("h1").inner_text() == "Job til dig"
    first = page.locator(".jobunivers-feed-item").first
    assert "Matcher dit ønske om at arbejde som tømrer" in first.inner_text()
    assert "km fra din bopæl" in first.inner_text()
    assert "Et beslægtet fag til tømrer" in page.content()

    # when they mark one job as not relevant, with a reason (HTMX answers in place)
    item = page.locator(".jobunivers-feed-item", has_text="Tømrer til tagarbejde")
    item.locator("summary", has_text="Flere handlinger").click()  # one action in sight, the others behind this
    item.get_by_label("Hvorfor er det ikke relevant? (valgfrit)").select_option("distance")
    item.get_by_role("button", name=re.compile("Ikke relevant")).click()
    page.wait_for_selector("text=Vi viser ikke dette job igen")
    axe(page)
    # then it is gone from the feed
    visit(page, f"/{municipality.slug}/job-til-dig/")
    assert "Tømrer til tagarbejde" not in page.content()
    assert "Tømrer til renovering" in page.content()

    # when a matching posting is imported
    mail.outbox.clear()
    report = postings_import(source="e2e", embed=False, items=[FeedRecord(
        position="ad 1", external_id="e2e-1", title="Tømrer til nybyggeri i Aarhus", employer_name="Nybyg A/S",
        occupation_uri=carpenter.uri, isco_code="7115", postcode="8000", city="Aarhus C", latitude=56.16,
        longitude=10.2, hours="full_time", employment_type="permanent", published_at=timezone.now())])
    assert report.posting_ids

    # then an e-mail arrives, without the job's details, with one-click unsubscribe
    assert [m.to for m in mail.outbox] == [["borger@example.dk"]]
    message = mail.outbox[0]
    assert "Nybyg" not in message.body and "nybyggeri" not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # and the inbox has the notice, with its delivery status per channel
    visit(page, f"/{municipality.slug}/beskeder/")
    assert "Tømrer til nybyggeri i Aarhus" in page.content()
    assert "E-mail: Sendt" in page.content()
    page.locator(".jobunivers-inbox li", has_text="Tømrer til nybyggeri i Aarhus").get_by_role("button").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").inner_text() == "Tømrer til nybyggeri i Aarhus"
    axe(page)
