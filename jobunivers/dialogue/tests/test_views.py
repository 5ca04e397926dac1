import pytest

from jobunivers.audit.models import AccessLogEntry
from jobunivers.core.testing import client_for, murl
from jobunivers.dialogue import services
from jobunivers.dialogue.models import Attachment, Draft, Message, Thread
from jobunivers.tenancy.roles import Role

from .factories import PDF, PNG, big_upload, thread_for, upload

pytestmark = pytest.mark.django_db


def test_a_citizen_writes_staff_answer_and_the_citizen_reads_the_answer(citizen, adviser, municipality, files_dir):
    # given the citizen writes a new message with a PDF
    client = client_for(citizen.user)
    response = client.post(murl(municipality, "dialogue:new"), {
        "subject": "Min lønseddel", "text": "Her er min lønseddel", "attachment": upload("loen.pdf", PDF)})
    thread = Thread.all_tenants.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/dialog/{thread.pk}/")
    # when staff open the team inbox and the thread, and answer
    staff = client_for(adviser)
    inbox = staff.get(murl(municipality, "dialogue:team_inbox") + "?venter=1").content.decode()
    assert "Min lønseddel" in inbox and "Nadia Nielsen" in inbox and "Venter på svar fra os" in inbox
    page = staff.get(murl(municipality, "dialogue:staff_thread", thread_id=thread.pk)).content.decode()
    assert "Her er min lønseddel" in page and "loen.pdf" in page
    staff.post(murl(municipality, "dialogue:staff_thread", thread_id=thread.pk), {"text": "Tak, vi har den nu."})
    # then the citizen sees the answer, and the thread waits for nobody
    html = client.get(murl(municipality, "dialogue:thread", thread_id=thread.pk)).content.decode()
    assert "Tak, vi har den nu." in html and "Jobcentret skrev" in html and "Læst af jobcentret" in html
    thread.refresh_from_db()
    assert (thread.waiting_for, thread.citizen_read_at >= thread.last_message_at) == ("nobody", True)


def test_the_citizen_menu_has_messages(citizen, municipality):
    html = client_for(citizen.user).get(murl(municipality, "dialogue:inbox")).content.decode()
    assert 'href="/aarhus/dialog/"' in html and ">Beskeder<" in html


def test_an_empty_message_on_the_page_gets_a_danish_error_and_nothing_is_written(citizen, municipality):
    response = client_for(citizen.user).post(murl(municipality, "dialogue:new"), {"subject": "Hej", "text": "  "})
    assert response.status_code == 400
    assert "Skriv en besked, før du sender den." in response.content.decode()
    assert Thread.all_tenants.count() == 0


def test_a_fake_file_on_the_page_gets_a_danish_error_and_nothing_is_written(citizen, municipality, files_dir):
    thread = thread_for(citizen)
    response = client_for(citizen.user).post(murl(municipality, "dialogue:thread", thread_id=thread.pk), {
        "text": "Se vedhæftet", "attachment": upload("billede.png", b"GIF89a not a png", "image/png")})
    assert response.status_code == 400
    assert "Filen skal være en PDF, PNG eller JPEG" in response.content.decode()
    assert (Message.all_tenants.count(), Attachment.all_tenants.count()) == (1, 0)


def test_a_20_mb_upload_is_refused_before_it_is_read(citizen, municipality, files_dir):
    thread = thread_for(citizen)
    response = client_for(citizen.user).post(murl(municipality, "dialogue:thread", thread_id=thread.pk), {
        "text": "Stor fil", "attachment": big_upload("stor.pdf", 20 * 1024 * 1024)})
    assert response.status_code == 413
    assert "Det, du sendte, er for stort" in response.content.decode()
    assert (Message.all_tenants.count(), Attachment.all_tenants.count()) == (1, 0)


def test_a_draft_is_saved_with_htmx_and_shown_again(citizen, municipality):
    thread = thread_for(citizen)
    client = client_for(citizen.user)
    url = murl(municipality, "dialogue:thread", thread_id=thread.pk)
    response = client.post(url, {"action": "draft", "text": "Jeg tænker på"}, HTTP_HX_REQUEST="true")
    assert response.content.decode().strip() == "Kladden er gemt."
    assert Draft.all_tenants.get().text == "Jeg tænker på"
    assert "Jeg tænker på</textarea>" in client.get(url).content.decode()


def test_the_citizen_downloads_their_file_and_staff_through_the_logged_url(citizen, adviser, municipality, files_dir):
    thread = thread_for(citizen, attachments=[upload("foto.png", PNG)])
    attachment = Attachment.all_tenants.get(message__thread=thread)
    own = client_for(citizen.user).get(murl(municipality, "dialogue:attachment", attachment_id=attachment.pk))
    assert (own.status_code, own["Content-Type"], b"".join(own.streaming_content)) == (200, "image/png", PNG)
    assert own["X-Content-Type-Options"] == "nosniff"
    assert client_for(adviser).get(murl(municipality, "dialogue:attachment", attachment_id=attachment.pk)
                                   ).status_code == 404
    staff = client_for(adviser).get(murl(municipality, "dialogue:staff_attachment", attachment_id=attachment.pk))
    assert staff.status_code == 200
    assert AccessLogEntry.all_tenants.filter(actor_user_id=adviser.pk, what="dialogue attachment",
                                             citizen_id=citizen.pk).count() == 1


def test_a_citizen_cannot_open_another_citizens_thread(citizen, municipality, member):
    thread = thread_for(citizen)
    stranger = member(Role.CITIZEN, municipality)
    assert client_for(stranger).get(murl(municipality, "dialogue:thread", thread_id=thread.pk)).status_code == 404
    assert client_for(citizen.user).get(murl(municipality, "dialogue:staff_thread", thread_id=thread.pk)
                                        ).status_code == 404


def test_staff_assign_and_archive(citizen, adviser, municipality):
    thread = thread_for(citizen)
    staff = client_for(adviser)
    staff.post(murl(municipality, "dialogue:staff_assign", thread_id=thread.pk), {"assignee": adviser.pk})
    thread.refresh_from_db()
    assert thread.assigned_to_id == adviser.pk
    mine = staff.get(murl(municipality, "dialogue:team_inbox") + "?mine=1").content.decode()
    assert "Spørgsmål om min plan" in mine
    staff.post(murl(municipality, "dialogue:staff_archive", thread_id=thread.pk))
    thread.refresh_from_db()
    assert (thread.waiting_for, thread.archived_at is not None) == ("nobody", True)


def test_staff_write_to_a_citizen_from_the_case(citizen, adviser, municipality):
    response = client_for(adviser).post(murl(municipality, "dialogue:staff_new", citizen_id=citizen.pk), {
        "subject": "Din plan", "text": "Vil du se på din plan?", "wants_answer": "on"})
    thread = Thread.all_tenants.get()
    assert response.status_code == 302
    assert (thread.waiting_for, thread.subject) == ("citizen", "Din plan")


def test_the_worklist_alert_waiting_for_us_comes_from_real_threads(municipality, member):
    from jobunivers.citizens.models import Citizen
    from jobunivers.core.context import tenant_context
    from jobunivers.segmentation.services import consultant_assign

    # given a consultant with a citizen who wrote a message
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    citizen = Citizen.all_tenants.get(user=member(Role.CITIZEN, municipality))
    with tenant_context(municipality.pk):
        consultant_assign(actor=None, citizen_id=citizen.pk, consultant_user_id=consultant.pk, reason="test")
    thread = thread_for(citizen)
    url = murl(municipality, "caseworker:worklist") + "?alert=waiting_for_us"
    # then the worklist shows the citizen under "waiting for an answer from us"
    assert str(citizen) in client_for(consultant).get(url).content.decode()
    # and not after the consultant answered
    services.message_send(actor=consultant, thread=thread, text="Svar")
    assert str(citizen) not in client_for(consultant).get(url).content.decode()


def test_the_assistant_hands_off_into_a_thread(citizen, municipality, settings):
    settings.ASSISTANT_HANDOFF_CHANNEL = "jobunivers.dialogue.handoff.DialogueHandoffChannel"
    response = client_for(citizen.user).post(murl(municipality, "assistant:handoff"), {
        "reason": "own_case", "q": "Hvorfor har I stoppet mine penge?", "previous": "", "tried": ""})
    thread = Thread.all_tenants.get()
    assert f"B-{thread.pk}" in response.content.decode()
    assert (thread.waiting_for, thread.subject) == ("job_centre", "Et spørgsmål om min egen sag (fra assistenten)")


def test_the_autosave_url_never_sends_even_without_the_action_field(citizen, adviser, municipality):
    thread = thread_for(citizen)
    url = murl(municipality, "dialogue:staff_thread", thread_id=thread.pk) + "?kladde=1"
    response = client_for(adviser).post(url, {"text": "Halvt svar"}, HTTP_HX_REQUEST="true")
    assert response.content.decode().strip() == "Kladden er gemt."
    assert (Message.all_tenants.count(), Draft.all_tenants.get().text) == (1, "Halvt svar")


@pytest.mark.parametrize(("language", "expected"), [
    ("da", "Handler om: en tilbagemelding fra borgeren (nr. 12)"),
    ("en", "About: feedback the citizen gave (no. 12)"),
])
def test_staff_read_what_a_thread_is_about_in_words_not_its_code(citizen, adviser, municipality, language, expected):
    from jobunivers.dialogue.contracts import About

    # given a thread opened about a piece of feedback
    thread = services.thread_open(actor=adviser, citizen=citizen, subject="Din tilbagemelding", text="Vi ringer dig op",
                                  about=About(kind="feedback", id=12), wants_answer=False)
    # when staff open it
    staff = client_for(adviser)
    staff.cookies["django_language"] = language
    page = staff.get(murl(municipality, "dialogue:staff_thread", thread_id=thread.pk),
                     HTTP_ACCEPT_LANGUAGE=language).content.decode()
    # then it says what the thread is about in words, never the kind's code
    assert expected in page
    assert "feedback 12" not in page
