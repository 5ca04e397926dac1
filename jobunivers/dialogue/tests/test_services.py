import datetime

import pytest
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.dialogue import selectors, services
from jobunivers.dialogue.contracts import About
from jobunivers.dialogue.models import Attachment, Draft, Message, Thread
from jobunivers.notifications.models import Notification
from jobunivers.tenancy.roles import Role

from .factories import JPEG, PDF, PNG, big_upload, thread_for, upload

pytestmark = pytest.mark.django_db


def _state(thread):
    thread.refresh_from_db()
    return thread.waiting_for


def test_a_citizen_message_waits_for_the_job_centre_and_a_staff_answer_clears_it(citizen, adviser):
    # given a citizen who opens a thread
    thread = thread_for(citizen)
    # then it waits for the job centre since the first message
    assert (_state(thread), thread.waiting_since is not None) == ("job_centre", True)
    first_wait = thread.waiting_since
    # when the citizen writes again, the wait keeps its start
    services.message_send(actor=citizen.user, thread=thread, text="Og en ting mere")
    assert (_state(thread), thread.waiting_since) == ("job_centre", first_wait)
    # when staff answer
    services.message_send(actor=adviser, thread=thread, text="Vi ringer i morgen")
    # then nobody is waited for
    assert (_state(thread), thread.waiting_since) == ("nobody", None)


def test_a_staff_answer_that_asks_for_an_answer_waits_for_the_citizen_until_they_answer(citizen, adviser):
    thread = thread_for(citizen)
    services.message_send(actor=adviser, thread=thread, text="Send os din lønseddel", wants_answer=True)
    assert _state(thread) == "citizen"
    services.message_send(actor=citizen.user, thread=thread, text="Her er den")
    assert _state(thread) == "job_centre"


def test_marking_read_is_idempotent(citizen, adviser):
    # given a thread the citizen wrote and staff have not read
    thread = thread_for(citizen)
    assert thread.job_centre_read_at is None
    # when staff mark it read twice
    first = services.thread_mark_read(actor=adviser, thread=thread)
    read_at = Thread.all_tenants.get(pk=thread.pk).job_centre_read_at
    second = services.thread_mark_read(actor=adviser, thread=thread)
    # then only the first changed anything, and the wait is untouched
    assert (first, second) == (True, False)
    assert Thread.all_tenants.get(pk=thread.pk).job_centre_read_at == read_at
    assert _state(thread) == "job_centre"


def test_archiving_closes_the_wait_and_a_new_message_reopens(citizen, adviser):
    thread = thread_for(citizen)
    services.thread_archive(actor=adviser, thread=thread)
    thread.refresh_from_db()
    assert (thread.waiting_for, thread.archived_at is not None) == ("nobody", True)
    services.message_send(actor=citizen.user, thread=thread, text="Jeg har et nyt spørgsmål")
    thread.refresh_from_db()
    assert (thread.waiting_for, thread.archived_at) == ("job_centre", None)


def test_a_citizen_cannot_archive_or_assign(citizen, adviser):
    thread = thread_for(citizen)
    with pytest.raises(NotFound):
        services.thread_archive(actor=citizen.user, thread=thread)
    with pytest.raises(NotFound):
        services.thread_assign(actor=citizen.user, thread=thread, assignee=citizen.user)
    thread.refresh_from_db()
    assert (thread.archived_at, thread.assigned_to_id) == (None, None)


def test_assignment_only_to_staff_of_the_municipality(citizen, adviser, member, municipality, other_municipality):
    thread = thread_for(citizen)
    outsider = member(Role.JOB_ADVISER, other_municipality)
    with pytest.raises(ValidationFailed):
        services.thread_assign(actor=adviser, thread=thread, assignee=outsider)
    services.thread_assign(actor=adviser, thread=thread, assignee=adviser)
    thread.refresh_from_db()
    assert thread.assigned_to_id == adviser.pk


@pytest.mark.parametrize("text", ["", "   ", "\x00"])
def test_an_empty_message_is_refused_in_danish_and_nothing_is_written(citizen, text):
    with pytest.raises(ValidationFailed) as error:
        thread_for(citizen, text=text)
    assert error.value.messages == {"text": ["Skriv en besked, før du sender den."]}
    assert (Thread.all_tenants.count(), Message.all_tenants.count()) == (0, 0)


def test_a_too_long_message_is_refused(citizen):
    thread = thread_for(citizen)
    with pytest.raises(ValidationFailed) as error:
        services.message_send(actor=citizen.user, thread=thread, text="x" * 5001)
    assert error.value.messages == {"text": ["Beskeden er for lang. Skriv højst 5000 tegn."]}
    assert Message.all_tenants.count() == 1


def test_attachments_are_stored_privately_with_the_type_from_the_content(citizen, files_dir):
    # given a PNG named .pdf, a PDF and a JPEG
    thread = thread_for(citizen, attachments=[upload("billede.pdf", PNG), upload("cv.pdf", PDF),
                                              upload("foto.jpeg", JPEG)])
    # then each is stored under a random name with the type its content has
    rows = list(Attachment.all_tenants.filter(message__thread=thread).order_by("id"))
    assert [(a.original_name, a.content_type) for a in rows] == [
        ("billede.png", "image/png"), ("cv.pdf", "application/pdf"), ("foto.jpeg", "image/jpeg")]
    assert sorted(p.name for p in files_dir.iterdir()) == sorted(a.storage_name for a in rows)
    assert (files_dir / rows[0].storage_name).read_bytes() == PNG


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_written(citizen, files_dir):
    fake = upload("kontrakt.pdf", b"MZ\x90\x00 this is a Windows program", "application/pdf")
    with pytest.raises(ValidationFailed) as error:
        thread_for(citizen, attachments=[fake])
    assert error.value.messages == {"attachment": [
        "Filen skal være en PDF, PNG eller JPEG. Indholdet af denne fil er ingen af dem."]}
    assert (Thread.all_tenants.count(), Message.all_tenants.count(), Attachment.all_tenants.count()) == (0, 0, 0)
    assert not files_dir.exists() or list(files_dir.iterdir()) == []


def test_a_20_mb_file_is_refused_and_nothing_is_written(citizen, files_dir):
    thread = thread_for(citizen)
    with pytest.raises(ValidationFailed) as error:
        services.message_send(actor=citizen.user, thread=thread, text="Her er filen",
                              attachments=[big_upload("stor.pdf", 20 * 1024 * 1024)])
    assert error.value.messages == {"attachment": ["Filen er for stor. En fil må højst fylde 8 MB."]}
    assert (Message.all_tenants.count(), Attachment.all_tenants.count()) == (1, 0)
    assert not files_dir.exists() or list(files_dir.iterdir()) == []


def test_a_failing_write_removes_the_files_it_wrote(citizen, files_dir, monkeypatch):
    # given a database write that fails after the file was written
    def boom(**kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(services, "_add_message", boom)
    with pytest.raises(RuntimeError):
        thread_for(citizen, attachments=[upload("cv.pdf", PDF)])
    # then neither rows nor files are left
    assert (Thread.all_tenants.count(), Attachment.all_tenants.count()) == (0, 0)
    assert list(files_dir.iterdir()) == []


def test_drafts_are_kept_per_author_and_go_when_the_message_is_sent(citizen, adviser):
    thread = thread_for(citizen)
    services.draft_save(actor=adviser, thread=thread, text="Kære Nadia")
    services.draft_save(actor=adviser, thread=thread, text="Kære Nadia, tak")
    assert selectors.draft_text(actor=adviser, thread=thread) == "Kære Nadia, tak"
    assert selectors.draft_text(actor=citizen.user, thread=thread) == ""
    services.message_send(actor=adviser, thread=thread, text="Kære Nadia, tak for beskeden")
    assert Draft.all_tenants.count() == 0


def test_staff_answers_notify_the_citizen_at_most_once_per_thread_per_30_minutes(citizen, adviser, monkeypatch):
    # given a thread and three staff answers, two within 30 minutes
    thread = thread_for(citizen)
    start = timezone.now()
    for minutes in (0, 10, 31):
        monkeypatch.setattr(timezone, "now", lambda m=minutes: start + datetime.timedelta(minutes=m))
        services.message_send(actor=adviser, thread=thread, text=f"Svar {minutes}")
    # then the citizen got two notices (0 and 31 minutes), each linking to the thread
    notices = list(Notification.all_tenants.filter(recipient=citizen.user).order_by("id"))
    assert [n.kind for n in notices] == ["message", "message"]
    assert notices[0].link == f"/aarhus/dialog/{thread.pk}/"
    assert notices[0].title == "Ny besked fra jobcentret"


def test_the_citizen_is_not_notified_of_their_own_messages(citizen):
    thread_for(citizen)
    assert Notification.all_tenants.count() == 0


def test_staff_writing_is_access_logged_as_a_change(citizen, adviser):
    thread = thread_for(citizen)
    services.message_send(actor=adviser, thread=thread, text="Vi har modtaget din besked")
    entry = AccessLogEntry.all_tenants.get(actor_user_id=adviser.pk)
    assert (entry.citizen_id, entry.action, entry.what) == (citizen.pk, "change", "dialogue thread")


def test_staff_of_another_municipality_cannot_write(citizen, member, other_municipality):
    thread = thread_for(citizen)
    with pytest.raises(NotFound):
        services.message_send(actor=member(Role.JOB_ADVISER, other_municipality), thread=thread, text="Hej")
    assert Message.all_tenants.count() == 1


def test_a_municipality_administrator_has_no_access(citizen, member, municipality):
    thread = thread_for(citizen)
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    with pytest.raises(NotFound):
        services.message_send(actor=admin, thread=thread, text="Hej")
    with pytest.raises(NotFound):
        selectors.access_thread(actor=admin, id=thread.pk, municipality_id=municipality.pk)


def test_staff_open_a_thread_with_the_citizen(citizen, adviser):
    thread = services.thread_open(actor=adviser, citizen=citizen, subject="Din samtale", text="Husk samtalen",
                                  about=About(kind="booking", id=42), wants_answer=True)
    thread.refresh_from_db()
    assert (thread.waiting_for, thread.about_kind, thread.about_id) == ("citizen", "booking", 42)
    assert [s.thread_id for s in selectors.threads_about(municipality_id=citizen.municipality_id,
                                                         about=About("booking", 42))] == [thread.pk]


def test_an_unknown_about_kind_is_refused(citizen):
    with pytest.raises(ValidationFailed):
        thread_for(citizen, about=About(kind="bogus", id=1))
    assert Thread.all_tenants.count() == 0


def test_a_citizen_cannot_open_a_thread_for_another_citizen(citizen, municipality, member):
    from jobunivers.citizens.models import Citizen

    other = Citizen.all_tenants.get(user=member(Role.CITIZEN, municipality))
    with pytest.raises(ValidationFailed):
        services.thread_open(actor=citizen.user, citizen=other, subject="x", text="y")
    assert Thread.all_tenants.count() == 0


def test_the_team_inbox_filters_and_logs_the_search(citizen, adviser, municipality, member):
    from jobunivers.citizens.models import Citizen

    # given three threads: waiting and assigned to me, waiting and unassigned, answered
    mine = thread_for(citizen, subject="Min")
    services.thread_assign(actor=adviser, thread=mine, assignee=adviser)
    other_citizen = Citizen.all_tenants.get(user=member(Role.CITIZEN, municipality))
    thread_for(other_citizen, subject="Ingen")
    answered = thread_for(other_citizen, subject="Besvaret")
    services.message_send(actor=adviser, thread=answered, text="Svar")

    def subjects(**flags):
        page = selectors.access_team_inbox(actor=adviser, municipality_id=municipality.pk,
                                           filters=selectors.InboxFilter(**flags))
        return [t.subject for t in page.threads]

    # then each filter shows what it says
    assert subjects(waiting=True, oldest=True) == ["Min", "Ingen"]
    assert subjects(mine=True) == ["Min"]
    assert subjects(waiting=True, unassigned=True) == ["Ingen"]
    assert subjects() == ["Besvaret", "Ingen", "Min"]
    assert AccessLogEntry.all_tenants.filter(actor_user_id=adviser.pk, what="dialogue team inbox").count() == 4


def test_the_worklist_selector_names_citizens_waiting_for_us(citizen, adviser, municipality):
    thread = thread_for(citizen)
    assert selectors.citizen_ids_waiting_for_job_centre(municipality_id=municipality.pk,
                                                        citizen_ids=[citizen.pk]) == {citizen.pk}
    services.message_send(actor=adviser, thread=thread, text="Svar")
    assert selectors.citizen_ids_waiting_for_job_centre(municipality_id=municipality.pk,
                                                        citizen_ids=[citizen.pk]) == set()


def test_the_staff_digest_is_one_mail_per_person_and_day(citizen, adviser, municipality, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    thread_for(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.staff_digest_send(municipality_id=municipality.pk)
    second = services.staff_digest_send(municipality_id=municipality.pk)
    assert (first, second) == (1, 0)
    assert [m.to for m in mailoutbox] == [["aisha@example.org"]]
    assert "Nadia" not in mailoutbox[0].body and "/aarhus/medarbejder/dialog/" in mailoutbox[0].body


def test_the_assistant_handoff_opens_a_thread_waiting_for_the_job_centre(citizen):
    from types import SimpleNamespace

    from jobunivers.dialogue.handoff import DialogueHandoffChannel

    request = SimpleNamespace(municipality_id=citizen.municipality_id, citizen_user_id=citizen.user_id,
                              reason="own_case", transcript=({"who": "citizen", "text": "Hvorfor er mine penge stoppet?"},),
                              cards_tried=())
    receipt = DialogueHandoffChannel().open(request)
    thread = Thread.all_tenants.get()
    assert (receipt.reference, receipt.state, thread.waiting_for) == (f"B-{thread.pk}", "waiting", "job_centre")
    assert Message.all_tenants.get().text == "Du: Hvorfor er mine penge stoppet?"
    assert receipt.answer_expected_by > timezone.localdate()
