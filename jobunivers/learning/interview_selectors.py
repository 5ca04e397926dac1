"""Reads of interview practice (ADR 0114): the jobs a citizen can practise for (their saved jobs and their
feed), their practices, and one practice with its answers. Only the citizen reads their practices: anyone
else, and any id that is not theirs, gets NotFound. Reads never write, except the access-log entry when an
adviser plays a recording the citizen shared (ADR 0135): the adviser sees which practices have shared
recordings (the job, the question, the date) and plays them; the written answers stay the citizen's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from jobunivers.audit.services import citizen_access_record
from jobunivers.citizens.selectors import saved_jobs_for
from jobunivers.core.errors import NotFound
from jobunivers.matching.selectors import feed_for

from . import permissions
from .models import InterviewAnswer, InterviewRecording, InterviewSession

SAVED_SHOWN, FEED_SHOWN = 10, 5


@dataclass(frozen=True)
class JobOption:
    posting_id: int
    title: str
    employer_name: str

    @property
    def value(self) -> str:
        return f"posting-{self.posting_id}"


@dataclass(frozen=True)
class JobOptions:
    saved: list[JobOption]
    feed: list[JobOption]


def interview_job_options(*, actor, citizen) -> JobOptions:
    """The citizen's newest saved jobs and the top of their feed (without those saved), to practise for."""
    if not permissions.can_practise_interview(actor, citizen):
        raise NotFound
    saved = [JobOption(posting_id=s.posting_id, title=s.posting.title, employer_name=s.posting.employer_name or "")
             for s in saved_jobs_for(citizen_id=citizen.pk)[:SAVED_SHOWN]]
    taken = {option.posting_id for option in saved}
    items = feed_for(citizen_id=citizen.pk, limit=FEED_SHOWN + len(taken), citizen=citizen).items
    feed = [JobOption(posting_id=i.posting_id, title=i.title, employer_name=i.employer_name or "")
            for i in items if i.posting_id not in taken][:FEED_SHOWN]
    return JobOptions(saved=saved, feed=feed)


def own_interviews(*, actor, citizen) -> list[InterviewSession]:
    """The citizen's practices, newest first, each with `question_count` and `covered_count` (points the
    citizen said they covered) and `point_count`."""
    if not permissions.can_practise_interview(actor, citizen):
        raise NotFound
    sessions: list[InterviewSession] = list(InterviewSession.all_tenants.filter(citizen=citizen).annotate(question_count=Count("answers"))
                    .order_by("-started_at", "-id"))
    answers = InterviewAnswer.all_tenants.filter(session__in=sessions).values_list("session_id", "points", "covered")
    points: dict[int, int] = {}
    covered: dict[int, int] = {}
    for session_id, session_points, session_covered in answers:
        points[session_id] = points.get(session_id, 0) + len(session_points)
        covered[session_id] = covered.get(session_id, 0) + len(session_covered)
    for session in sessions:
        session.point_count = points.get(session.pk, 0)  # type: ignore[attr-defined]
        session.covered_count = covered.get(session.pk, 0)  # type: ignore[attr-defined]
    return sessions


def own_interview(*, actor, citizen, session_id) -> tuple[InterviewSession, list[InterviewAnswer]]:
    """One of the citizen's practices with its answers in order; NotFound for anyone else's or a missing id."""
    if not permissions.can_practise_interview(actor, citizen):
        raise NotFound
    try:
        session_id = int(session_id)
    except (TypeError, ValueError):
        raise NotFound from None
    session = InterviewSession.all_tenants.select_related("citizen").filter(pk=session_id, citizen=citizen).first()
    if session is None:
        raise NotFound
    return session, list(InterviewAnswer.all_tenants.filter(session=session).order_by("position"))


# --- Shared recordings (ADR 0135) --------------------------------------------------------------------------

def own_recordings(*, actor, citizen, session: InterviewSession) -> list[InterviewRecording]:
    """The recordings the citizen shared from this practice, in the order of the questions."""
    if not permissions.can_practise_interview(actor, citizen) or session.citizen_id != citizen.pk:
        raise NotFound
    return list(InterviewRecording.all_tenants.filter(answer__session=session).select_related("answer")
                .order_by("answer__position"))


def own_recording(*, actor, citizen, recording_id) -> InterviewRecording:
    """One recording the citizen shared, for them to play or download; NotFound for anyone else's."""
    if not permissions.can_practise_interview(actor, citizen):
        raise NotFound
    recording = InterviewRecording.all_tenants.filter(pk=recording_id, citizen=citizen).first()
    if recording is None:
        raise NotFound
    return recording


@dataclass(frozen=True)
class SharedPractice:
    session: InterviewSession
    recordings: list[InterviewRecording]


def shared_practices(*, actor, citizen) -> list[SharedPractice]:
    """The citizen's practices with at least one shared recording, newest first, each with its recordings in
    the order of the questions; only for an adviser of the citizen's municipality (an empty list for other
    staff). Call it after the access-logged opening of the citizen's page (selectors.access_learning): it
    shows the job, the questions and the dates, never the written answers."""
    if not permissions.can_listen_to_interview_recordings(actor, citizen):
        return []
    recordings = list(InterviewRecording.all_tenants.filter(citizen=citizen).select_related("answer__session")
                      .order_by("-answer__session__started_at", "-answer__session_id", "answer__position"))
    practices: dict[int, SharedPractice] = {}
    for recording in recordings:
        session = recording.answer.session
        practices.setdefault(session.pk, SharedPractice(session=session, recordings=[]))
        practices[session.pk].recordings.append(recording)
    return list(practices.values())


@transaction.atomic
def access_recording(*, actor, recording_id, municipality_id: int, purpose: str = "help") -> InterviewRecording:
    """A shared recording for an adviser of the citizen's municipality, access-logged in the same transaction
    (each play is an entry the citizen sees in "Mine data"). Missing, another municipality's and forbidden
    look the same (NotFound); the citizen plays their own through own_recording."""
    recording = (InterviewRecording.all_tenants.select_related("citizen")
                 .filter(pk=recording_id, municipality_id=municipality_id).first())
    if recording is None or not permissions.can_listen_to_interview_recordings(actor, recording.citizen):
        raise NotFound
    citizen_access_record(actor=actor, municipality_id=recording.municipality_id, citizen_id=recording.citizen_id,
                          what="interview recording", purpose=purpose)
    return recording
