"""Personal data held by learning: the citizen's enrolments in modules and their progress in each lesson
(quiz scores and last answers). Help only (purpose "help"): it is never used to check availability.
Exported and erased on request; ended enrolments go after the municipality's retention period
(retention.py)."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import register_access_subject, register_personal_data, shown_as

from .models import (
    InterviewAnswer,
    InterviewRecording,
    InterviewSession,
    LessonProgress,
    ModuleEnrolment,
    Statement,
)


def _export_enrolments(user):
    return [{"module": e.module.title_da, "status": e.status, "enrolled_at": e.enrolled_at.isoformat() if e.enrolled_at else None,
             "suggested_at": e.suggested_at.isoformat() if e.suggested_at else None,
             "completed_at": e.completed_at.isoformat() if e.completed_at else None,
             "left_at": e.withdrawn_at.isoformat() if e.withdrawn_at else None,
             "share_progress": e.share_progress, "reminders_sent": e.nudges_sent}
            for e in ModuleEnrolment.all_tenants.filter(citizen__user=user).select_related("module")
            .order_by("enrolled_at", "pk")]


def _erase_enrolments(user):
    ModuleEnrolment.all_tenants.filter(citizen__user=user).delete()


def _export_progress(user):
    return [{"module": p.enrolment.module.title_da, "lesson": p.lesson.title_da,
             "read_at": p.read_at.isoformat() if p.read_at else None, "attempts": p.attempts,
             "best_score": p.best_score, "last_score": p.last_score, "last_answers": p.last_answers,
             "passed_at": p.passed_at.isoformat() if p.passed_at else None}
            for p in LessonProgress.all_tenants.filter(enrolment__citizen__user=user)
            .select_related("enrolment__module", "lesson").order_by("enrolment_id", "lesson__position")]


def _erase_progress(user):
    LessonProgress.all_tenants.filter(enrolment__citizen__user=user).delete()


register_personal_data(
    ModuleEnrolment, category=_("Your learning modules (help for your job search)"), purpose="help",
    export=_export_enrolments, erase=_erase_enrolments,
    fields={"module": shown_as(ModuleEnrolment, "module"), "status": shown_as(ModuleEnrolment, "status"),
            "enrolled_at": shown_as(ModuleEnrolment, "enrolled_at"),
            "suggested_at": shown_as(ModuleEnrolment, "suggested_at"),
            "completed_at": shown_as(ModuleEnrolment, "completed_at"),
            "left_at": shown_as(ModuleEnrolment, "withdrawn_at"),
            "share_progress": shown_as(ModuleEnrolment, "share_progress"),
            "reminders_sent": shown_as(ModuleEnrolment, "nudges_sent")})
register_personal_data(
    LessonProgress, category=_("Your progress in the lessons and your quiz results"), purpose="help",
    export=_export_progress, erase=_erase_progress,
    fields={"module": _("module"), "lesson": shown_as(LessonProgress, "lesson"),
            "read_at": shown_as(LessonProgress, "read_at"), "attempts": shown_as(LessonProgress, "attempts"),
            "best_score": shown_as(LessonProgress, "best_score"), "last_score": shown_as(LessonProgress, "last_score"),
            "last_answers": shown_as(LessonProgress, "last_answers"),
            "passed_at": shown_as(LessonProgress, "passed_at")})
register_access_subject("learning", _("the citizen's learning modules and, if they share it, their progress"))


def _export_statements(user):
    return [{"offer": s.offer_id, "verb": s.verb, "happened_at": s.timestamp.isoformat(),
             "stored_at": s.stored.isoformat(), "result": s.data.get("result", {})}
            for s in Statement.all_tenants.filter(citizen__user=user).order_by("stored", "pk")]


def _erase_statements(user):
    Statement.all_tenants.filter(citizen__user=user).delete()


register_personal_data(
    Statement, category=_("Learning records that providers of your courses reported (progress, results)"),
    purpose="help", export=_export_statements, erase=_erase_statements,
    fields={"offer": shown_as(Statement, "offer"), "verb": shown_as(Statement, "verb"),
            "happened_at": shown_as(Statement, "timestamp"), "stored_at": shown_as(Statement, "stored"),
            "result": _("result")})
register_access_subject("learning records", _("learning records a provider reported about the citizen"))


def _export_interviews(user):
    return [{"job": s.job_title, "employer": s.employer_name, "status": s.status,
             "started_at": s.started_at.isoformat(),
             "answered_at": s.answered_at.isoformat() if s.answered_at else None,
             "reviewed_at": s.reviewed_at.isoformat() if s.reviewed_at else None}
            for s in InterviewSession.all_tenants.filter(citizen__user=user).order_by("started_at", "pk")]


def _unlink_recordings(user) -> None:
    """Whichever eraser runs first removes the recordings' files (the rows go with their practice or answer
    by cascade), once the erasure as a whole is committed."""
    from .interview_services import recordings_unlink_on_commit

    recordings_unlink_on_commit(InterviewRecording.all_tenants.filter(citizen__user=user))


def _erase_interviews(user):
    _unlink_recordings(user)
    InterviewSession.all_tenants.filter(citizen__user=user).delete()


def _export_interview_answers(user):
    return [{"job": a.session.job_title, "started_at": a.session.started_at.isoformat(), "question": a.question_text,
             "answer": a.text, "answered_aloud": a.spoken,
             "points_covered": [a.points[n] for n in a.covered if 0 <= n < len(a.points)]}
            for a in InterviewAnswer.all_tenants.filter(session__citizen__user=user).select_related("session")
            .order_by("session__started_at", "session_id", "position")]


def _erase_interview_answers(user):
    _unlink_recordings(user)
    InterviewAnswer.all_tenants.filter(session__citizen__user=user).delete()


def _recording_link(recording) -> str:
    from django.conf import settings

    from jobunivers.tenancy.routing import municipal_reverse
    from jobunivers.tenancy.selectors import get_municipality

    slug = get_municipality(municipality_id=recording.municipality_id).slug
    return settings.SITE_URL.rstrip("/") + municipal_reverse(slug, "learning:interview_recording",
                                                             args=[recording.pk])


def _export_recordings(user):
    # The export is a JSON document: the sound itself is downloaded from the link (signed in as the citizen),
    # the same file the adviser can play.
    return [{"job": r.answer.session.job_title, "question": r.answer.question_text,
             "shared_at": r.shared_at.isoformat(), "file_type": r.content_type, "size_bytes": r.size_bytes,
             "consent_version": r.consent_version, "download": _recording_link(r)}
            for r in InterviewRecording.all_tenants.filter(citizen__user=user).select_related("answer__session")
            .order_by("shared_at", "pk")]


def _erase_recordings(user):
    _unlink_recordings(user)
    InterviewRecording.all_tenants.filter(citizen__user=user).delete()


# Only recordings the citizen chose to share are here (ADR 0135); the others never leave their device.
register_personal_data(
    InterviewRecording, category=_("Recordings of your answers in job interview practices that you shared with "
                                   "your adviser"), purpose="help",
    export=_export_recordings, erase=_erase_recordings,
    fields={"job": shown_as(InterviewSession, "job_title"), "question": shown_as(InterviewAnswer, "question_text"),
            "shared_at": shown_as(InterviewRecording, "shared_at"),
            "file_type": shown_as(InterviewRecording, "content_type"),
            "size_bytes": shown_as(InterviewRecording, "size_bytes"),
            "consent_version": shown_as(InterviewRecording, "consent_version"),
            "download": _("download the recording (signed in)")})
register_access_subject("interview recording", _("a recording of an answer in a job interview practice that the "
                                                 "citizen shared with their adviser"))
register_personal_data(
    InterviewSession, category=_("Your job interview practices (help for your job search)"), purpose="help",
    export=_export_interviews, erase=_erase_interviews,
    fields={"job": shown_as(InterviewSession, "job_title"), "employer": shown_as(InterviewSession, "employer_name"),
            "status": shown_as(InterviewSession, "status"), "started_at": shown_as(InterviewSession, "started_at"),
            "answered_at": shown_as(InterviewSession, "answered_at"),
            "reviewed_at": shown_as(InterviewSession, "reviewed_at")})
register_personal_data(
    InterviewAnswer, category=_("Your written answers in job interview practices and your own review of them"),
    purpose="help", export=_export_interview_answers, erase=_erase_interview_answers,
    fields={"job": shown_as(InterviewSession, "job_title"), "started_at": shown_as(InterviewSession, "started_at"),
            "question": shown_as(InterviewAnswer, "question_text"), "answer": shown_as(InterviewAnswer, "text"),
            "answered_aloud": shown_as(InterviewAnswer, "spoken"),
            "points_covered": shown_as(InterviewAnswer, "covered")})
