"""Reads of interview practice (ADR 0114): the jobs a citizen can practise for (their saved jobs and their
feed), their practices, and one practice with its answers. Only the citizen reads their practices: anyone
else, and any id that is not theirs, gets NotFound. Reads never write.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from jobunivers.citizens.selectors import saved_jobs_for
from jobunivers.core.errors import NotFound
from jobunivers.matching.selectors import feed_for

from . import permissions
from .models import InterviewAnswer, InterviewSession

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
