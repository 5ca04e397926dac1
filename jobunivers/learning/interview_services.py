"""Every write of interview practice (issue 18, ADR 0114): starting a practice for a job, saving the answers,
the self-review, and deleting a practice.

Only the citizen practises (permissions.can_practise_interview). The questions are drawn from the bank
(interview_bank) and kept on the session as they were asked. Answers are text, or "I answered aloud": a
recording made in the browser stays on the citizen's device unless the citizen shares it (below). The practice is an
activity in the citizen's plan: in progress when started, done when reviewed, cancelled when deleted
unfinished. Bad input writes nothing.

Sharing a recording (ADR 0135): only on the citizen's explicit choice, next to the consent text, the browser
sends the recording of one answer. Its type is decided from its first bytes (WebM/Matroska, Ogg or MP4),
never from the browser's claim; at most RECORDING_MAX_BYTES. The file is written under a random name in
private storage (PRIVATE_MEDIA_ROOT/interview, never under a served folder) before the row, and removed again
if the row is not saved; a replaced or withdrawn recording's file goes when the change is committed. Every
path that deletes practices (the citizen, retention, erasure) removes their files too.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.citizens import services as citizen_services
from jobunivers.citizens.selectors import occupation_choices
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.jobs.selectors import posting_summary
from jobunivers.tenancy.routing import municipal_reverse
from jobunivers.tenancy.selectors import get_municipality

from . import interview_bank, permissions
from .models import InterviewAnswer, InterviewRecording, InterviewSession, InterviewStatus
from .services import plan_status_move

ANSWER_MAX = 3000
TITLE_MIN, TITLE_MAX = 2, 200
# Plan items are stored in Danish, as the learning modules' titles are (the plan is a shared record with the
# job centre, whose language is Danish).
PLAN_TITLE = "Øv jobsamtale: {job}"
PLAN_DESCRIPTION = ("Øv dig til en jobsamtale med spørgsmål, som arbejdsgiveren kunne stille, og gennemgå bagefter "
                    "dine svar.")


@dataclass(frozen=True)
class ChosenJob:
    title: str
    employer_name: str
    isco_code: str
    posting_id: int | None


def _chosen_job(job: str, occupation: str) -> ChosenJob:
    """The job the citizen chose: "posting-<id>" (a saved job or one from their feed; job ads are public) or
    "occupation" with the occupation typed. An occupation the taxonomy does not know still gets a practice,
    with the general questions."""
    job = (job or "").strip()
    if job.startswith("posting-"):
        try:
            summary = posting_summary(posting_id=int(job.removeprefix("posting-")), with_skills=False)
        except (NotFound, ValueError):
            raise ValidationFailed({"job": [_("The job ad no longer exists. Choose another job.")]}) from None
        return ChosenJob(title=summary.title[:TITLE_MAX], employer_name=(summary.employer_name or "")[:200],
                         isco_code=(summary.isco_code or "")[:4], posting_id=summary.id)
    if job == "occupation":
        text = " ".join((occupation or "").split())
        if not TITLE_MIN <= len(text) <= TITLE_MAX or "\x00" in text:
            raise ValidationFailed({"occupation": [
                _("Write the job you want to practise for (%(low)s-%(high)s characters).")
                % {"low": TITLE_MIN, "high": TITLE_MAX}]})
        match = next(iter(occupation_choices(query=text, limit=1)), None)
        return ChosenJob(title=text, employer_name="", isco_code=(match["isco_code"] or "")[:4] if match else "",
                         posting_id=None)
    raise ValidationFailed({"job": [_("Choose the job you want to practise for.")]})


def _count(value) -> int:
    try:
        count = int(str(value))
    except (TypeError, ValueError):
        count = 0
    if not interview_bank.SESSION_MIN <= count <= interview_bank.SESSION_MAX:
        raise ValidationFailed({"count": [_("Choose from %(low)s to %(high)s questions.")
                                          % {"low": interview_bank.SESSION_MIN, "high": interview_bank.SESSION_MAX}]})
    return count


def _session_link(citizen, session: InterviewSession) -> str:
    slug = get_municipality(municipality_id=citizen.municipality_id).slug
    return settings.SITE_URL.rstrip("/") + municipal_reverse(slug, "learning:interview", args=[session.pk])


def interview_start(*, actor, citizen, job: str, occupation: str = "", count=6) -> InterviewSession:
    """The citizen starts practising for a job: 5-8 questions in the employer's voice (the opening, questions
    for the job's group and general ones, a difficult one, the closing). The practice lands in their plan as
    an activity in progress."""
    if not permissions.can_practise_interview(actor, citizen):
        raise ValidationFailed(_("Only the citizen can practise."))
    errors: dict[str, list[str]] = {}
    chosen = None
    try:
        chosen = _chosen_job(job, occupation)
    except ValidationFailed as error:
        errors.update(error.messages)
    try:
        number = _count(count)
    except ValidationFailed as error:
        errors.update(error.messages)
    if errors or chosen is None:
        raise ValidationFailed(errors)
    questions = interview_bank.questions_for(isco_code=chosen.isco_code, count=number, seed=secrets.randbits(32))
    group = interview_bank.group_for(chosen.isco_code) if chosen.isco_code else None
    now = timezone.now()
    with transaction.atomic():
        session = InterviewSession.all_tenants.create(
            municipality_id=citizen.municipality_id, citizen=citizen, job_title=chosen.title,
            employer_name=chosen.employer_name, isco_code=chosen.isco_code, posting_id=chosen.posting_id,
            group_key=group.key if group else "", started_at=now)
        InterviewAnswer.all_tenants.bulk_create([
            InterviewAnswer(municipality_id=citizen.municipality_id, session=session, position=position,
                            question_key=q.key, question_text=q.text, points=list(q.points), tip=q.tip)
            for position, q in enumerate(questions, start=1)])
        session.plan_item = citizen_services.plan_item_create(
            actor=actor, citizen=citizen, item_type="own_activity", title=PLAN_TITLE.format(job=chosen.title)[:200],
            description=PLAN_DESCRIPTION, link=_session_link(citizen, session), created_by_kind="citizen",
            status="in_progress")
        session.save(update_fields=["plan_item", "updated_at"])
    return session


def _locked(actor, session: InterviewSession) -> InterviewSession:
    if not permissions.can_practise_interview(actor, session.citizen):
        raise ValidationFailed(_("Only the citizen can do this."))
    return InterviewSession.all_tenants.select_for_update().get(pk=session.pk)


def interview_answers_save(*, actor, session: InterviewSession, answers: dict) -> InterviewSession:
    """The citizen's answers to every question: {"answer-<n>": text, "spoken-<n>": "on"} for n = 1.. the number
    of questions. Each question needs a written answer or the tick "I answered aloud". Then the self-review."""
    rows = list(InterviewAnswer.all_tenants.filter(session=session).order_by("position"))
    errors: dict[str, list[str]] = {}
    parsed: dict[int, tuple[str, bool]] = {}
    for row in rows:
        text = str(answers.get(f"answer-{row.position}") or "").strip()
        spoken = answers.get(f"spoken-{row.position}") == "on"
        if len(text) > ANSWER_MAX or "\x00" in text:
            errors[f"answer-{row.position}"] = [_("Write at most %(limit)s characters.") % {"limit": ANSWER_MAX}]
        elif not text and not spoken:
            errors[f"answer-{row.position}"] = [
                _("Answer question %(number)s: write your answer, or tick that you answered aloud.")
                % {"number": row.position}]
        parsed[row.pk] = (text, spoken)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        locked = _locked(actor, session)
        if locked.status != InterviewStatus.ANSWERING:
            raise ValidationFailed(_("You have already answered the questions of this practice."))
        for row in rows:
            row.text, row.spoken = parsed[row.pk]
        InterviewAnswer.all_tenants.bulk_update(rows, ["text", "spoken"])
        locked.status, locked.answered_at = InterviewStatus.REVIEWING, timezone.now()
        locked.save(update_fields=["status", "answered_at", "updated_at"])
    return locked


def interview_review(*, actor, session: InterviewSession, covered: dict[int, list[str]]) -> InterviewSession:
    """The citizen's self-review: for each question (by position), the indexes of the points their answer
    covered (none is an honest answer too). The practice is then done, and so is its plan item."""
    rows = list(InterviewAnswer.all_tenants.filter(session=session).order_by("position"))
    chosen: dict[int, list[int]] = {}
    for row in rows:
        values = covered.get(row.position) or []
        indexes = set()
        for value in values:
            try:
                index = int(str(value))
            except (TypeError, ValueError):
                index = -1
            if not 0 <= index < len(row.points):
                raise ValidationFailed({f"covered-{row.position}": [
                    _("Choose among the points of question %(number)s.") % {"number": row.position}]})
            indexes.add(index)
        chosen[row.pk] = sorted(indexes)
    with transaction.atomic():
        locked = _locked(actor, session)
        if locked.status == InterviewStatus.ANSWERING:
            raise ValidationFailed(_("Answer the questions before you review your answers."))
        if locked.status == InterviewStatus.DONE:
            raise ValidationFailed(_("You have already reviewed this practice."))
        for row in rows:
            row.covered = chosen[row.pk]
        InterviewAnswer.all_tenants.bulk_update(rows, ["covered"])
        locked.status, locked.reviewed_at = InterviewStatus.DONE, timezone.now()
        locked.save(update_fields=["status", "reviewed_at", "updated_at"])
        plan_status_move(locked, "done")
    return locked


def interview_delete(*, actor, session: InterviewSession) -> None:
    """The citizen deletes a practice with its answers. An unfinished practice's plan item is cancelled; a
    finished one's stays done (the practice took place; the plan item holds no answers)."""
    with transaction.atomic():
        locked = _locked(actor, session)
        if locked.status != InterviewStatus.DONE:
            plan_status_move(locked, "cancelled")
        recordings_unlink_on_commit(InterviewRecording.all_tenants.filter(answer__session=locked))
        locked.delete()


# --- Sharing a recording with the adviser (ADR 0135) -------------------------------------------------------

RECORDING_MAX_BYTES = 10 * 1024 * 1024
# The version of the consent text the citizen saw next to the button (templates/learning/_recording_consent.html).
# Change it whenever the text's meaning changes; each recording keeps the version it was shared under.
RECORDING_CONSENT_VERSION = "2026-12-06"
RECORDING_TYPES = {"audio/webm": ".webm", "audio/ogg": ".ogg", "audio/mp4": ".m4a"}


def recording_directory() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "interview"


def recording_path(recording: InterviewRecording) -> Path:
    return recording_directory() / recording.storage_name


def sniff_recording(head: bytes) -> str | None:
    """The recording's type from its first bytes: WebM/Matroska (the EBML header 1A 45 DF A3, Chrome and
    Firefox), Ogg ("OggS", older Firefox) or MP4 ("ftyp" at offset 4, Safari). Anything else is refused."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "audio/webm"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "audio/mp4"
    return None


def _too_large() -> ValidationFailed:
    return ValidationFailed({"recording": [
        _("The recording is too large to share (at most %(mb)s MB). Record a shorter answer and share that.")
        % {"mb": RECORDING_MAX_BYTES // (1024 * 1024)}]})


def _read_recording(uploaded_file) -> tuple[bytes, str]:
    if uploaded_file is None:
        raise ValidationFailed({"recording": [_("There is no recording to share. Record your answer first.")]})
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > RECORDING_MAX_BYTES:
        raise _too_large()
    data = uploaded_file.read(RECORDING_MAX_BYTES + 1)
    if len(data) > RECORDING_MAX_BYTES:
        raise _too_large()
    if not data:
        raise ValidationFailed({"recording": [_("The recording is empty. Record your answer again.")]})
    content_type = sniff_recording(data[:16])
    if content_type is None:
        raise ValidationFailed({"recording": [
            _("The file is not a sound recording from the browser (WebM, Ogg or MP4), so it was not shared.")]})
    return data, content_type


def _answer_at(session: InterviewSession, position) -> InterviewAnswer:
    try:
        number = int(str(position))
    except (TypeError, ValueError):
        raise NotFound from None
    answer = InterviewAnswer.all_tenants.filter(session=session, position=number).first()
    if answer is None:
        raise NotFound
    return answer


def recordings_unlink_on_commit(recordings) -> None:
    """Remove the files of these recordings once the deletion of their rows (by the caller, in the running
    transaction) is committed; on a rollback the rows stay and so do the files."""
    paths = [recording_directory() / name for name in recordings.values_list("storage_name", flat=True)]
    if not paths:
        return

    def _unlink(paths: list[Path] = paths) -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    transaction.on_commit(_unlink)


def recording_share(*, actor, session: InterviewSession, position, uploaded_file, consent: str) -> InterviewRecording:
    """The citizen shares the recording of their answer to question `position` with their job centre's
    advisers, having seen the consent text of RECORDING_CONSENT_VERSION (sent back as `consent`). A recording
    shared earlier for the same answer is replaced. NotFound for a question the practice does not have."""
    if not permissions.can_practise_interview(actor, session.citizen):
        raise NotFound
    answer = _answer_at(session, position)
    if consent != RECORDING_CONSENT_VERSION:
        raise ValidationFailed({"consent": [
            _("The recording was not shared: choose \"Share the recording with my adviser\" below the consent text.")]})
    data, content_type = _read_recording(uploaded_file)
    directory = recording_directory()
    directory.mkdir(parents=True, exist_ok=True)
    storage_name = f"{uuid.uuid4().hex}{RECORDING_TYPES[content_type]}"
    path = directory / storage_name
    # A temporary name first and a rename, so a half-written file is never served; the row only after it.
    temporary = directory / f".{storage_name}.part"
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
        with transaction.atomic():
            _locked(actor, session)
            replaced = InterviewRecording.all_tenants.select_for_update().filter(answer=answer)
            recordings_unlink_on_commit(replaced)
            replaced.delete()
            recording = InterviewRecording.all_tenants.create(
                municipality_id=session.municipality_id, answer=answer, citizen_id=session.citizen_id,
                storage_name=storage_name, content_type=content_type, size_bytes=len(data),
                shared_at=timezone.now(), consent_version=consent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        path.unlink(missing_ok=True)
        raise
    return recording


def recording_withdraw(*, actor, session: InterviewSession, position) -> bool:
    """The citizen withdraws the recording shared for question `position`: the row and the file are deleted
    (the file once the deletion is committed). False if nothing was shared for it (withdrawing twice is fine)."""
    if not permissions.can_practise_interview(actor, session.citizen):
        raise NotFound
    answer = _answer_at(session, position)
    with transaction.atomic():
        shared = InterviewRecording.all_tenants.select_for_update().filter(answer=answer)
        recordings_unlink_on_commit(shared)
        deleted, _rows = shared.delete()
    return bool(deleted)
