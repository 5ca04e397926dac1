"""The staff workspace in a browser, for each of the three staff roles, with axe-core on every page.

- a personal consultant filters "Mine borgere" to "no job log entry for 30 days", opens a citizen and
  summons them (and records the outcome, writes a note, adds an agreed activity);
- a job adviser finds a citizen and opens the cue card;
- a job-journey assistant looks at the population, finds citizens for a posting, pushes it, and the
  citizen sees it exactly once in the inbox;
- availability control: the staff worklist and the citizen's own page.
"""

import datetime

import pytest
from django.utils import timezone

from jobunivers.tenancy.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _citizen(municipality, first_name, *, days_old=45, postcode=None):
    from jobunivers.citizens.models import Citizen
    from jobunivers.citizens.tests.factories import CitizenFactory

    citizen = CitizenFactory(municipality=municipality, user__first_name=first_name, user__last_name="Jensen",
                             postcode=postcode, registered_on=timezone.localdate() - datetime.timedelta(days=days_old))
    Citizen.all_tenants.filter(pk=citizen.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_old))
    return citizen


def test_consultant_filters_opens_and_summons(page, visit, axe, sign_in_as, municipality, member):
    from jobunivers.caseworker.models import Conversation
    from jobunivers.citizens.models import JobLogEntry
    from jobunivers.segmentation.tests.factories import assignment

    # given a consultant with two citizens, one of whom logged a job application yesterday
    consultant = member(Role.PERSONAL_CONSULTANT, municipality, first_name="Karen", last_name="Konsulent")
    quiet = _citizen(municipality, "Stille")
    busy = _citizen(municipality, "Travl")
    for citizen in (quiet, busy):
        assignment(citizen, consultant)
    JobLogEntry.all_tenants.create(municipality=municipality, citizen=busy, employer="Arla", job_title="Mejerist",
                                   occurred_on=timezone.localdate())
    prefix = f"/{municipality.slug}"
    sign_in_as(page, consultant, municipality)

    # when she opens "Mine borgere" and filters to "no job log entry for 30 days"
    visit(page, f"{prefix}/medarbejder/mine-borgere/")
    page.get_by_label("Ingen joblog i 30 dage").check()
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    # then only the quiet citizen is listed
    table = page.locator("table.jobunivers-worklist")
    assert table.get_by_role("link", name="Stille Jensen").count() == 1
    assert table.get_by_role("link", name="Travl Jensen").count() == 0
    # and the box to choose her for a bulk action is drawn in her row, not in the page's top left corner over
    # the header (the box is the label's ::before, placed in the label's nearest positioned ancestor)
    cell = table.locator("tbody tr td").first.bounding_box()
    box = page.evaluate("""() => {
        const label = document.querySelector('table.jobunivers-worklist tbody label');
        let holder = label.parentElement;
        while (holder !== document.body && getComputedStyle(holder).position === 'static') holder = holder.parentElement;
        const r = holder.getBoundingClientRect();
        return {x: r.left, y: r.top, w: parseFloat(getComputedStyle(label, '::before').width)}; }""")
    assert box["w"] == 24
    assert cell["x"] <= box["x"] <= cell["x"] + cell["width"] - 24
    assert cell["y"] <= box["y"] <= cell["y"] + cell["height"] - 24
    table.get_by_label("Vælg Stille Jensen").check(force=True)
    assert table.get_by_label("Vælg Stille Jensen").is_checked()

    # when she opens the citizen and summons them
    table.get_by_role("link", name="Stille Jensen").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("heading", level=1).inner_text() == "Stille Jensen"
    axe(page)
    page.get_by_role("link", name="Indkald til samtale").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    day = timezone.localdate() + datetime.timedelta(days=2)
    page.get_by_label("Dato").fill(day.isoformat())
    page.get_by_label("Tidspunkt").fill("10:30")
    page.get_by_label("På jobcentret eller et andet sted").check()
    page.get_by_label("Sted (ved fysisk møde)").fill("Jobcentret, Værkmestergade 25")
    page.get_by_label("Dagsorden").fill("Status på din jobsøgning")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state("domcontentloaded")
    # then she is back on the citizen page with the conversation listed
    assert page.get_by_text("Stille Jensen er indkaldt").count() == 1
    axe(page)
    conversation = Conversation.all_tenants.get(citizen=quiet)
    assert conversation.place == "Jobcentret, Værkmestergade 25"

    # and the other actions' pages are accessible too
    for path in (f"{prefix}/medarbejder/borgere/{quiet.pk}/notat/", f"{prefix}/medarbejder/borgere/{quiet.pk}/aktivitet/",
                 f"{prefix}/medarbejder/borgere/{quiet.pk}/send/", f"{prefix}/medarbejder/samtaler/{conversation.pk}/udfald/",
                 f"{prefix}/medarbejder/", f"{prefix}/medarbejder/raadighed/"):
        visit(page, path)
    # and she records the outcome
    page.goto(f"{prefix}/medarbejder/samtaler/{conversation.pk}/udfald/")
    page.get_by_label("Afholdt").check()
    page.get_by_label("Resultat", exact=True).fill("Aftalt to ansøgninger om ugen")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state("domcontentloaded")
    conversation.refresh_from_db()
    assert conversation.status == "held"


def test_adviser_opens_a_cue_card(page, visit, axe, sign_in_as, municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Anders", last_name="Rådgiver")
    citizen = _citizen(municipality, "Mette")
    sign_in_as(page, adviser, municipality)
    prefix = f"/{municipality.slug}"
    visit(page, f"{prefix}/medarbejder/borgere/")
    page.get_by_label("Navn").fill("Mette")
    page.get_by_role("button", name="Søg").click()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("link", name="Stikordskort Mette Jensen").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_role("heading", level=1).inner_text() == "Stikordskort: Mette Jensen"
    for heading in ("Hvad borgeren ønsker", "Bedst matchende job", "Mangler der blokerer for match",
                    "Seneste aktivitet", "Åbne aftaler"):
        assert page.get_by_role("heading", name=heading).count() == 1
    axe(page)
    assert page.url.endswith(f"/medarbejder/borgere/{citizen.pk}/overblik/")


def test_assistant_pushes_a_posting_and_the_citizen_sees_it_once(browser, live_server, page, visit, axe, sign_in_as,
                                                                 municipality, member):
    from jobunivers.citizens.models import Profile
    from jobunivers.jobs.models import JobPosting
    from jobunivers.notifications.models import Notification
    from jobunivers.taxonomy.models import Occupation, Postcode

    postcode = Postcode.objects.create(code="8000", name="Aarhus C", latitude=56.15, longitude=10.21,
                                       municipality_code="0751")
    occupation = Occupation.objects.create(uri="http://data.europa.eu/esco/occupation/e2e-smed",
                                           preferred_label="blacksmith", preferred_label_da="Smed", isco_code="7221")
    posting = JobPosting.objects.create(source="test", external_id="e2e-1", title="Smed til værksted",
                                        employer_name="Værk A/S", occupation=occupation, isco_code="7221",
                                        postcode="8000", city="Aarhus C", municipality_code="0751", latitude=56.16,
                                        longitude=10.2, published_at=timezone.now(), changed_at=timezone.now())
    seeker = _citizen(municipality, "Svend", postcode=postcode)
    Profile.all_tenants.create(municipality=municipality, citizen=seeker, radius_km=30).occupations.add(occupation)
    assistant = member(Role.JOB_JOURNEY_ASSISTANT, municipality, first_name="Asta", last_name="Assistent")
    prefix = f"/{municipality.slug}"
    sign_in_as(page, assistant, municipality)

    # the population overview
    visit(page, f"{prefix}/medarbejder/population/")
    assert page.locator("svg[role='img']").count() == 4
    # when she finds citizens for the posting
    visit(page, f"{prefix}/medarbejder/find-borgere/")
    page.get_by_label("Bedste match til jobopslag nummer").fill(str(posting.pk))
    page.get_by_label("Send til højst").fill("50")
    page.get_by_role("button", name="Forhåndsvis").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert page.get_by_role("cell", name="Svend Jensen").count() == 1
    # and pushes it
    page.get_by_role("button", name="Send til 1 borger").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert page.get_by_text("Sendt til 1 borger.").count() == 1
    visit(page, f"{prefix}/medarbejder/udsendelser/")
    # and pushes it again from a new preview: the citizen already has it
    page.goto(f"{prefix}/medarbejder/find-borgere/?posting_id={posting.pk}&cap=50")
    assert page.get_by_role("cell", name="Ja — sendes ikke igen").count() == 1
    page.get_by_role("button", name="Send til 1 borger").click()
    page.wait_for_load_state("domcontentloaded")

    # then the citizen sees it once in the inbox
    context = browser.new_context(base_url=live_server.url, locale="da-DK")
    citizen_page = context.new_page()
    sign_in_as(citizen_page, seeker.user, municipality)
    visit(citizen_page, f"{prefix}/beskeder/")
    assert citizen_page.get_by_role("heading", name="Smed til værksted, Værk A/S").count() == 1
    assert Notification.all_tenants.filter(recipient=seeker.user, kind="job_suggestion").count() == 1
    context.close()


def test_availability_pages_for_staff_and_citizen(page, visit, sign_in_as, municipality, member):
    from jobunivers.availability.services import statuses_refresh
    from jobunivers.caseworker.tests.factories import ConversationFactory

    late = _citizen(municipality, "Sen", days_old=33)
    statuses_refresh(municipality_id=municipality.pk)
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    conversation = ConversationFactory(citizen=late, summoned_by=consultant, purpose="availability")
    prefix = f"/{municipality.slug}"
    sign_in_as(page, consultant, municipality)
    visit(page, f"{prefix}/medarbejder/raadighed/")
    assert page.get_by_role("link", name="Sen Jensen", exact=True).count() == 1
    page.get_by_role("link", name="Indkald Sen Jensen").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_text("registreres som rådighedskontrol").count() == 1

    context = page.context.browser.new_context(base_url=page.url.split(prefix)[0], locale="da-DK")
    citizen_page = context.new_page()
    sign_in_as(citizen_page, late.user, municipality)
    visit(citizen_page, f"{prefix}/raadighed/")
    assert citizen_page.get_by_text("Frist overskredet").count() >= 1
    visit(citizen_page, f"{prefix}/indkaldelser/{conversation.pk}/")
    citizen_page.get_by_label("Jeg kommer").check()
    citizen_page.get_by_role("button", name="Send svar").click()
    citizen_page.wait_for_load_state("domcontentloaded")
    conversation.refresh_from_db()
    assert conversation.citizen_response == "confirmed"
    context.close()
