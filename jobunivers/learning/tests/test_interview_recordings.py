"""Sharing a recorded interview answer with the adviser (ADR 0135): only on the citizen's choice with the consent
text, audio recognised by its first bytes, at most 10 MB, one per answer, kept in private storage; withdrawing,
deleting the practice, retention and erasure delete the file; an adviser of the citizen's municipality plays it
(each play in the access log), nobody else does, and the written answers stay the citizen's own."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.audit.privacy import registration_for
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.testing import client_for, murl
from jobunivers.learning import interview_services
from jobunivers.learning.interview_selectors import access_recording, shared_practices
from jobunivers.learning.interview_services import (
    RECORDING_CONSENT_VERSION,
    RECORDING_MAX_BYTES,
    recording_directory,
    recording_path,
    recording_share,
    recording_withdraw,
)
from jobunivers.learning.models import InterviewAnswer, InterviewRecording, InterviewSession
from jobunivers.learning.retention import learning_purge
from jobunivers.learning.tests.helpers import citizen_of
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db

WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + b"webm-opus" * 20
OGG = b"OggS\x00\x02" + b"\x00" * 100
MP4 = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + b"\x00" * 100


@pytest.fixture
def citizen(world):
    return citizen_of(world.home, world.users["citizen"])


@pytest.fixture
def session(citizen):
    return interview_services.interview_start(actor=citizen.user, citizen=citizen, job="occupation",
                                              occupation="Lagerarbejder", count=5)


def _file(data: bytes = WEBM, name: str = "svar-1.webm", content_type: str = "audio/webm"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _share(session, position=1, data: bytes = WEBM, **kwargs):
    return recording_share(actor=session.citizen.user, session=session, position=position,
                           uploaded_file=_file(data, **kwargs), consent=RECORDING_CONSENT_VERSION)


def _files() -> list[str]:
    directory = recording_directory()
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


@pytest.fixture(autouse=True)
def _empty_directory():
    for name in _files():
        (recording_directory() / name).unlink()
    yield


# --- Sharing ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "content_type", "extension"), [
    (WEBM, "audio/webm", ".webm"), (OGG, "audio/ogg", ".ogg"), (MP4, "audio/mp4", ".m4a")])
def test_a_shared_recording_is_stored_privately_by_the_type_its_bytes_show(session, data, content_type,
                                                                           extension, django_capture_on_commit_callbacks):
    # when the citizen shares the recording of question 2 (the browser claims something else)
    with django_capture_on_commit_callbacks(execute=True):
        recording = _share(session, 2, data, content_type="application/octet-stream")
    # then it is stored with the type its first bytes show, under a random name in private storage
    assert (recording.answer.position, recording.content_type, recording.size_bytes, recording.consent_version,
            recording.citizen_id, recording.municipality_id) == (
        2, content_type, len(data), RECORDING_CONSENT_VERSION, session.citizen_id, session.municipality_id)
    assert recording.storage_name.endswith(extension) and len(recording.storage_name) == 32 + len(extension)
    assert recording_path(recording).read_bytes() == data
    assert _files() == [recording.storage_name]


@pytest.mark.parametrize(("data", "field_error"), [
    (b"%PDF-1.7 not audio at all", "Filen er ikke en lydoptagelse fra browseren (WebM, Ogg eller MP4), så den blev "
                                   "ikke delt."),
    (b"<html><script>alert(1)</script>", "Filen er ikke en lydoptagelse fra browseren (WebM, Ogg eller MP4), så den "
                                         "blev ikke delt."),
    (b"", "Optagelsen er tom. Optag dit svar igen."),
    (WEBM[:4] + b"\x00" * RECORDING_MAX_BYTES, "Optagelsen er for stor til at blive delt (højst 10 MB). Optag et "
                                               "kortere svar, og del det."),
])
def test_bad_audio_gets_a_danish_error_and_nothing_is_written(session, data, field_error):
    # when the upload is not audio, empty, or over 10 MB (even claiming to be audio/webm)
    with pytest.raises(ValidationFailed) as error:
        _share(session, 1, data)
    # then a Danish error, and neither a row nor a file
    assert error.value.messages == {"recording": [field_error]}
    assert (InterviewRecording.all_tenants.count(), _files()) == (0, [])


def test_without_the_consent_nothing_is_shared(session):
    with pytest.raises(ValidationFailed) as error:
        recording_share(actor=session.citizen.user, session=session, position=1, uploaded_file=_file(), consent="")
    assert error.value.messages == {"consent": [
        'Optagelsen blev ikke delt: vælg "Del optagelsen med min rådgiver" under teksten om samtykke.']}
    assert (InterviewRecording.all_tenants.count(), _files()) == (0, [])


def test_a_question_the_practice_does_not_have_and_another_person_are_refused(session, world):
    with pytest.raises(NotFound):
        _share(session, 9)
    with pytest.raises(NotFound):
        recording_share(actor=world.users[Role.JOB_ADVISER], session=session, position=1, uploaded_file=_file(),
                        consent=RECORDING_CONSENT_VERSION)
    assert (InterviewRecording.all_tenants.count(), _files()) == (0, [])


def test_sharing_again_replaces_the_recording_and_its_file(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _share(session, 1, WEBM)
    with django_capture_on_commit_callbacks(execute=True):
        second = _share(session, 1, OGG)
    assert list(InterviewRecording.all_tenants.values_list("pk", "content_type")) == [(second.pk, "audio/ogg")]
    assert _files() == [second.storage_name] and first.storage_name != second.storage_name


def test_a_failed_save_removes_the_file(session, monkeypatch):
    # given the database refuses the row
    def refuse(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(InterviewRecording.all_tenants, "create", refuse)
    with pytest.raises(RuntimeError):
        _share(session, 1)
    # then no file is left behind (and no temporary one)
    assert (InterviewRecording.all_tenants.count(), _files()) == (0, [])


def test_withdrawing_deletes_the_row_and_the_file(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _share(session, 1)
        kept = _share(session, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assert recording_withdraw(actor=session.citizen.user, session=session, position=1) is True
    assert list(InterviewRecording.all_tenants.values_list("pk", flat=True)) == [kept.pk]
    assert _files() == [kept.storage_name]
    # and withdrawing again is harmless
    assert recording_withdraw(actor=session.citizen.user, session=session, position=1) is False


def test_deleting_the_practice_deletes_its_recordings_files(session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _share(session, 1)
        _share(session, 3)
    with django_capture_on_commit_callbacks(execute=True):
        interview_services.interview_delete(actor=session.citizen.user, session=session)
    assert (InterviewRecording.all_tenants.count(), _files()) == (0, [])


# --- Staff ----------------------------------------------------------------------------------------------

def test_an_adviser_sees_the_shared_practices_and_plays_a_recording_which_is_access_logged(session, world):
    # given the citizen wrote an answer to question 1 and shared the recording of question 2
    InterviewAnswer.all_tenants.filter(session=session, position=1).update(text="MIT HEMMELIGE SKREVNE SVAR")
    recording = _share(session, 2)
    question = InterviewAnswer.all_tenants.get(session=session, position=2).question_text
    client = client_for(world.users[Role.JOB_ADVISER])
    # when the adviser opens the citizen's learning page
    page = client.get(murl(world.home, "learning:staff_citizen", citizen_id=session.citizen_id)).content.decode()
    # then the practice shows with the job, the question and the date, and a player; not the written answer
    assert page.count('class="card jobunivers-staff-interview"') == 1
    assert "Lagerarbejder" in page and f"Spørgsmål 2: {question}" in page
    assert murl(world.home, "learning:staff_recording", recording_id=recording.pk) in page
    assert "MIT HEMMELIGE SKREVNE SVAR" not in page
    # when they play it
    before = AccessLogEntry.all_tenants.count()
    response = client.get(murl(world.home, "learning:staff_recording", recording_id=recording.pk))
    # then the file streams with its type, never cached, and the play is an entry in the citizen's access log
    assert response.status_code == 200 and b"".join(response.streaming_content) == WEBM
    # (the site's middleware adds max-age=0 and the rest to every signed-in response)
    assert (response["Content-Type"], response["Cache-Control"].split(", ")[:2], response["X-Content-Type-Options"]) == (
        "audio/webm", ["private", "no-store"], "nosniff")
    assert AccessLogEntry.all_tenants.count() == before + 1
    entry = AccessLogEntry.all_tenants.order_by("-id").first()
    assert (entry.citizen_id, entry.actor_user_id, entry.what, entry.action, entry.role) == (
        session.citizen_id, world.users[Role.JOB_ADVISER].pk, "interview recording", "read", Role.JOB_ADVISER)


def test_a_job_journey_assistant_sees_no_recordings_and_cannot_play_them(session, world):
    recording = _share(session, 1)
    client = client_for(world.users[Role.JOB_JOURNEY_ASSISTANT])
    page = client.get(murl(world.home, "learning:staff_citizen", citizen_id=session.citizen_id)).content.decode()
    assert "jobunivers-staff-interview" not in page and "Øvelse i jobsamtale" not in page
    before = AccessLogEntry.all_tenants.count()
    assert client.get(murl(world.home, "learning:staff_recording", recording_id=recording.pk)).status_code == 404
    assert AccessLogEntry.all_tenants.count() == before
    assert shared_practices(actor=world.users[Role.JOB_JOURNEY_ASSISTANT], citizen=session.citizen) == []


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.MUNICIPALITY_ADMIN, Role.JOB_JOURNEY_ASSISTANT])
def test_nobody_but_an_adviser_plays_a_recording(session, world, role):
    recording = _share(session, 1)
    user = world.users[role]
    assert client_for(user).get(murl(world.home, "learning:staff_recording", recording_id=recording.pk)
                                ).status_code == 404


def test_another_municipalitys_adviser_gets_404_and_nothing_is_logged(session, world):
    recording = _share(session, 1)
    before = AccessLogEntry.all_tenants.count()
    other_adviser = world.other_users[Role.JOB_ADVISER]
    # under their own municipality's address, and with the other municipality's id directly
    assert client_for(other_adviser).get(murl(world.other, "learning:staff_recording", recording_id=recording.pk)
                                         ).status_code == 404
    with pytest.raises(NotFound):
        access_recording(actor=other_adviser, recording_id=recording.pk, municipality_id=world.home.pk)
    assert AccessLogEntry.all_tenants.count() == before


# --- The citizen's pages --------------------------------------------------------------------------------

def test_the_citizen_shares_through_the_page_with_csrf_and_sees_and_withdraws_it(session, world,
                                                                                  django_capture_on_commit_callbacks):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(session.citizen.user)
    page = client.get(murl(world.home, "learning:interview", session_id=session.pk))
    body = page.content.decode()
    assert "Del optagelsen med min rådgiver" in body and "Du har ikke delt optagelser fra denne øvelse." in body
    token = page.cookies["csrftoken"].value
    url = murl(world.home, "learning:interview_share", session_id=session.pk, position=3)
    # without the CSRF token the upload is refused
    assert client.post(url, {"consent": RECORDING_CONSENT_VERSION, "recording": _file()}).status_code == 403
    assert InterviewRecording.all_tenants.count() == 0
    # with it (as the recorder's script sends it), the list of shared recordings comes back
    shared = client.post(url, {"consent": RECORDING_CONSENT_VERSION, "recording": _file(),
                               "csrfmiddlewaretoken": token}, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert shared.status_code == 200
    recording = InterviewRecording.all_tenants.get()
    question = InterviewAnswer.all_tenants.get(session=session, position=3).question_text
    assert f"Spørgsmål 3: {question}" in shared.content.decode()
    assert murl(world.home, "learning:interview_recording", recording_id=recording.pk) in shared.content.decode()
    # the citizen plays their own (no access-log entry: it is theirs)
    before = AccessLogEntry.all_tenants.count()
    own = client.get(murl(world.home, "learning:interview_recording", recording_id=recording.pk))
    assert (own.status_code, own["Cache-Control"].split(", ")[:2], b"".join(own.streaming_content)) == (
        200, ["private", "no-store"], WEBM)
    assert AccessLogEntry.all_tenants.count() == before
    # and withdraws it without JavaScript: a message, the row and the file gone
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = client.post(murl(world.home, "learning:interview_withdraw", session_id=session.pk, position=3),
                                {"csrfmiddlewaretoken": token}, follow=True)
    assert "Optagelsen er ikke længere delt, og den er slettet." in withdrawn.content.decode()
    assert (InterviewRecording.all_tenants.count(), _files()) == (0, [])


def test_a_bad_upload_through_the_page_is_a_danish_422_for_the_script(session, world):
    response = client_for(session.citizen.user).post(
        murl(world.home, "learning:interview_share", session_id=session.pk, position=1),
        {"consent": RECORDING_CONSENT_VERSION, "recording": _file(b"MZ\x90\x00 an executable")}, HTTP_HX_REQUEST="true")
    assert (response.status_code, response.content.decode()) == (
        422, "Filen er ikke en lydoptagelse fra browseren (WebM, Ogg eller MP4), så den blev ikke delt.")
    assert (InterviewRecording.all_tenants.count(), _files()) == (0, [])


def test_another_citizens_practice_and_recording_are_404(session, world):
    recording = _share(session, 1)
    other = citizen_of(world.home)
    client = client_for(other.user)
    assert client.post(murl(world.home, "learning:interview_share", session_id=session.pk, position=1),
                       {"consent": RECORDING_CONSENT_VERSION, "recording": _file()}).status_code == 404
    assert client.post(murl(world.home, "learning:interview_withdraw", session_id=session.pk, position=1)
                       ).status_code == 404
    assert client.get(murl(world.home, "learning:interview_recording", recording_id=recording.pk)).status_code == 404
    assert list(InterviewRecording.all_tenants.values_list("pk", flat=True)) == [recording.pk]


def test_the_review_page_lists_what_was_shared(session, world):
    _share(session, 2)
    data = {f"answer-{n}": "Et svar." for n in range(1, 6)}
    interview_services.interview_answers_save(actor=session.citizen.user, session=session, answers=data)
    page = client_for(session.citizen.user).get(murl(world.home, "learning:interview_review", session_id=session.pk))
    assert "Optagelser, du har delt med din rådgiver" in page.content.decode()
    assert "Træk delingen tilbage og slet optagelsen" in page.content.decode()


# --- Personal data and retention ------------------------------------------------------------------------

def test_the_export_lists_the_recordings_with_a_download_link_and_erasure_deletes_the_files(
        session, world, django_capture_on_commit_callbacks):
    recording = _share(session, 2, OGG)
    other = citizen_of(world.home)
    other_session = interview_services.interview_start(actor=other.user, citizen=other, job="occupation",
                                                       occupation="Kok", count=5)
    with django_capture_on_commit_callbacks(execute=True):
        kept = _share(other_session, 1)
    exported = registration_for(InterviewRecording).export(session.citizen.user)
    question = InterviewAnswer.all_tenants.get(session=session, position=2).question_text
    assert [(r["job"], r["question"], r["file_type"], r["size_bytes"], r["consent_version"]) for r in exported] == [
        ("Lagerarbejder", question, "audio/ogg", len(OGG), RECORDING_CONSENT_VERSION)]
    assert exported[0]["download"].endswith(murl(world.home, "learning:interview_recording", recording_id=recording.pk))
    # when the practices are erased first (the recordings go by cascade), the files still go
    with django_capture_on_commit_callbacks(execute=True):
        registration_for(InterviewSession).erase(session.citizen.user)
        registration_for(InterviewAnswer).erase(session.citizen.user)
        registration_for(InterviewRecording).erase(session.citizen.user)
    assert list(InterviewRecording.all_tenants.values_list("pk", flat=True)) == [kept.pk]
    assert _files() == [kept.storage_name]


def test_retention_deletes_old_practices_recordings_and_files(session, world, django_capture_on_commit_callbacks):
    fresh = interview_services.interview_start(actor=session.citizen.user, citizen=session.citizen,
                                               job="occupation", occupation="Kok", count=5)
    with django_capture_on_commit_callbacks(execute=True):
        _share(session, 1)
        kept = _share(fresh, 1)
    InterviewSession.all_tenants.filter(pk=session.pk).update(
        started_at=timezone.now() - datetime.timedelta(days=40))
    assert learning_purge(municipality_id=world.home.pk, retention_days=30)["interviews"] == 1
    assert list(InterviewRecording.all_tenants.values_list("pk", flat=True)) == [kept.pk]
    assert _files() == [kept.storage_name]
