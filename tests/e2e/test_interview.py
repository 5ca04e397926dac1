"""Interview practice at phone width (390 px): a citizen chooses a saved job, answers the employer's questions
in writing and one aloud by recording it in the browser (Chromium's fake microphone), shares that recording
with their adviser after reading the consent text (ADR 0135), is told which answer is missing, reviews the
answers against what a good answer covers and sees the practice done in the plan. Only the shared recording
leaves the browser, in one request; the adviser sees it on the citizen's learning page and plays it (an
access-log entry). axe-core runs on every page."""

import pytest

from jobunivers.audit.models import AccessLogEntry
from jobunivers.learning.models import InterviewAnswer, InterviewRecording, InterviewSession
from jobunivers.learning.tests.helpers import citizen_of
from jobunivers.tenancy.roles import Role

from .conftest import CHROMIUM

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def microphone_page(browser, live_server):
    """A page in a Chromium with a fake microphone that the page may use (the shared browser has none),
    launched by the suite's own Playwright (a second sync_playwright() inside it is refused)."""
    with_microphone = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--use-fake-device-for-media-stream",
              "--use-fake-ui-for-media-stream"])
    context = with_microphone.new_context(base_url=live_server.url, locale="da-DK", viewport=PHONE,
                                          permissions=["microphone"])
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
    with_microphone.close()


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_citizen_practises_an_interview_reviews_it_and_sees_it_in_the_plan(microphone_page, visit, axe, sign_in_as,
                                                                             municipality, member, live_server):
    # given a citizen who saved a driving job
    from django.utils import timezone

    from jobunivers.citizens.models import Citizen
    from jobunivers.citizens.services import job_save
    from jobunivers.matching.tests.helpers import posting

    page = microphone_page
    user = member(Role.CITIZEN, municipality, first_name="Ali", last_name="Yilmaz")
    citizen = citizen_of(municipality, user)
    Citizen.all_tenants.filter(pk=citizen.pk).update(welcome_seen_at=timezone.now(),
                                                      onboarding_completed_at=timezone.now())
    job = posting("Chauffør til distributionskørsel", employer="Fragt ApS")
    type(job).objects.filter(pk=job.pk).update(isco_code="8332")
    job_save(actor=user, citizen=citizen, posting_id=job.pk)
    prefix = f"/{municipality.slug}"
    sent: list[str] = []

    def _sent(request) -> None:
        # the one upload is binary (its body is not text); every other request's body is kept to check it
        body = "" if "/del/" in request.url else (request.post_data or "")
        sent.append(f"{request.method} {request.url} {body}")

    page.on("request", _sent)

    # when they open Læring and go to interview practice
    sign_in_as(page, user, municipality)
    assert visit(page, f"{prefix}/min-side/laering/").status == 200
    page.get_by_role("link", name="Øv en jobsamtale").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fits(page)

    # and start without choosing a job: a Danish error, nothing written
    page.get_by_role("button", name="Start øvelsen").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert page.get_by_role("alert").get_by_text("Vælg det job, du vil øve dig til.").count() == 1
    assert InterviewSession.all_tenants.count() == 0
    page.screenshot(path="/tmp/interview-start-error-390.png", full_page=True)

    # then choose the saved job and five questions
    page.get_by_role("radio", name="Chauffør til distributionskørsel, Fragt ApS").check()
    page.get_by_label("Antal spørgsmål").select_option("5")
    page.get_by_role("button", name="Start øvelsen").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fits(page)
    assert page.get_by_role("heading", name="Jobsamtale: Chauffør til distributionskørsel", level=1).count() == 1
    session = InterviewSession.all_tenants.get()
    questions = list(InterviewAnswer.all_tenants.filter(session=session).order_by("position"))
    assert page.get_by_role("group", name=f"Spørgsmål 1 af 5 {questions[0].question_text}").count() == 1
    page.screenshot(path="/tmp/interview-questions-390.png", full_page=True)

    # and answer three in writing, record the fifth aloud, and leave the fourth empty
    for number in (1, 2, 3):
        page.get_by_role("group", name=f"Spørgsmål {number} af 5", exact=False).get_by_label("Dit svar").fill(
            f"Jeg har kørt distribution i fire år, svar {number}.")
    fifth = page.get_by_role("group", name="Spørgsmål 5 af 5", exact=False)
    fifth.get_by_role("button", name="Optag dit svar").click()
    fifth.get_by_text("Optager … Svar højt på spørgsmålet, og stop så.").wait_for()
    page.wait_for_timeout(1200)
    fifth.get_by_role("button", name="Stop optagelsen").click()
    fifth.get_by_text("Optaget. Lyt til dit svar herunder. Det bliver på din enhed.").wait_for()
    assert fifth.get_by_label("Jeg svarede højt").is_checked()
    assert fifth.locator("audio").get_attribute("src").startswith("blob:")
    assert InterviewRecording.all_tenants.count() == 0
    axe(page)
    _fits(page)
    page.screenshot(path="/tmp/interview-recorded-390.png", full_page=True)

    # and share the fifth with their adviser, next to the consent text
    assert fifth.get_by_text("Kun jobrådgivere og personlige jobkonsulenter i dit jobcenter kan lytte til den",
                             exact=False).count() == 1
    fifth.get_by_role("button", name="Del optagelsen med min rådgiver").click()
    fifth.get_by_text("Delt med din rådgiver.", exact=False).wait_for()
    shared = page.locator("#delte-optagelser")
    assert shared.get_by_text(f"Spørgsmål 5: {questions[4].question_text}").count() == 1
    recording = InterviewRecording.all_tenants.get()
    assert (recording.answer.position, recording.content_type, recording.size_bytes > 100) == (5, "audio/webm", True)
    # the written answers typed so far are still in the page (it was not reloaded)
    assert page.get_by_label("Dit svar").nth(0).input_value() == "Jeg har kørt distribution i fire år, svar 1."
    axe(page)
    _fits(page)
    page.screenshot(path="/tmp/interview-shared-390.png", full_page=True)
    page.get_by_role("button", name="Gå til gennemgangen").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fits(page)
    assert page.get_by_role("alert").get_by_role(
        "link", name="Svar på spørgsmål 4: skriv dit svar, eller sæt flueben ved, at du svarede højt.").count() == 1
    assert page.get_by_label("Dit svar").nth(2).input_value() == "Jeg har kørt distribution i fire år, svar 3."
    page.screenshot(path="/tmp/interview-answer-error-390.png", full_page=True)

    # then answer the fourth and tick the fifth aloud again (a recording does not survive a page load)
    page.get_by_role("group", name="Spørgsmål 4 af 5", exact=False).get_by_label("Dit svar").fill("Jeg tager det roligt.")
    page.get_by_role("group", name="Spørgsmål 5 af 5", exact=False).get_by_label("Jeg svarede højt").check()
    page.get_by_role("button", name="Gå til gennemgangen").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fits(page)
    assert page.get_by_role("heading", name="Gennemgang: Chauffør til distributionskørsel", level=1).count() == 1
    page.screenshot(path="/tmp/interview-review-390.png", full_page=True)
    assert page.locator("#delte-optagelser").get_by_text(f"Spørgsmål 5: {questions[4].question_text}").count() == 1
    assert page.get_by_role("button", name="Træk delingen tilbage og slet optagelsen").count() == 1

    # and review: the first two points of question 1 and the first of question 2 covered
    first, second = questions[0], questions[1]
    page.get_by_role("group", name=f"1. {first.question_text}").get_by_label(first.points[0]).check()
    page.get_by_role("group", name=f"1. {first.question_text}").get_by_label(first.points[1]).check()
    page.get_by_role("group", name=f"2. {second.question_text}").get_by_label(second.points[0]).check()
    page.get_by_role("button", name="Gem min gennemgang").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fits(page)
    total = sum(len(q.points) for q in questions)
    assert page.get_by_text("Din øvelse er færdig. Den står i din plan.").count() == 1
    assert page.get_by_text(f"Du dækkede 3 af {total} punkter").count() == 1
    assert page.get_by_text("Arbejd på:").count() == total - 3
    page.screenshot(path="/tmp/interview-reviewed-390.png", full_page=True)

    # and they see it done in their plan
    assert visit(page, f"{prefix}/min-side/plan/").status == 200
    _fits(page)
    row = page.get_by_role("row").filter(has_text="Øv jobsamtale: Chauffør til distributionskørsel")
    assert row.get_by_role("cell", name="Udført").count() == 1
    page.screenshot(path="/tmp/interview-plan-390.png", full_page=True)

    # and in the list of practices
    assert visit(page, f"{prefix}/min-side/jobsamtale/").status == 200
    assert page.get_by_text(f"3 af {total} punkter dækket", exact=False).count() == 1

    # and only the shared recording left the browser, in one request; no other request carried audio (the
    # answer forms sent text fields only)
    to_server = [line for line in sent if line.split(" ")[1].startswith(live_server.url)]
    share_url = f"{live_server.url}{prefix}/min-side/jobsamtale/{session.pk}/svar/5/del/"
    assert [line.split(" ")[:2] for line in to_server if "/del/" in line] == [["POST", share_url]]
    assert [line for line in to_server if "/del/" not in line and (
        "audio" in line.lower() or "webm" in line.lower() or "blob:" in line)] == []
    assert len([line for line in sent if line.split(" ")[1].startswith("blob:")]) >= 1
    assert [(a.text, a.spoken) for a in InterviewAnswer.all_tenants.filter(session=session).order_by("position")][
        3:] == [("Jeg tager det roligt.", False), ("", True)]


    # when the citizen's adviser opens the citizen's learning page
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Aisha", last_name="Johansen")
    sign_in_as(page, adviser, municipality)
    assert visit(page, f"{prefix}/medarbejder/laering/borger/{citizen.pk}/").status == 200
    axe(page)
    _fits(page)
    # then the practice with the shared recording is listed (job, question, date), not the written answers
    card = page.locator(".jobunivers-staff-interview")
    assert card.get_by_role("heading", name="Chauffør til distributionskørsel, Fragt ApS").count() == 1
    assert card.get_by_text(f"Spørgsmål 5: {questions[4].question_text}").count() == 1
    assert page.get_by_text("Jeg har kørt distribution i fire år", exact=False).count() == 0
    page.screenshot(path="/tmp/interview-staff-390.png", full_page=True)
    # and playing it streams the audio and is written in the citizen's access log
    before = AccessLogEntry.all_tenants.filter(citizen_id=citizen.pk, what="interview recording").count()
    played = page.request.get(f"{live_server.url}{prefix}/medarbejder/laering/optagelse/{recording.pk}/")
    assert (played.status, played.headers["content-type"]) == (200, "audio/webm")
    assert played.body()[:4] == b"\x1a\x45\xdf\xa3"
    assert AccessLogEntry.all_tenants.filter(citizen_id=citizen.pk, what="interview recording").count() == before + 1
