"""Personal data of courses and job clubs (ADR 0120): the citizen's places and waiting-list entries, their
attendance with the teacher's notes, and the tasks in their plan; on the staff side, who created a group,
who teaches it and who recorded attendance. Help only (purpose "help"): none of it is used to check
availability. Exported and erased on request; ended enrolments go after the municipality's retention period
(retention.py). The plan items the groups wrote are the plan's, exported and erased with the plan."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import register_access_subject, register_personal_data, shown_as

from .models import Attendance, Enrolment, Group


def _iso(value):
    return value.isoformat() if value else None


def _export_enrolments(user):
    return [{"group": e.group.title, "kind": e.group.kind, "status": e.status, "queued_at": _iso(e.queued_at),
             "enrolled_at": _iso(e.enrolled_at), "completed_at": _iso(e.completed_at), "left_at": _iso(e.left_at),
             "share_with_job_centre": e.share_with_job_centre}
            for e in Enrolment.all_tenants.filter(citizen__user=user).select_related("group").order_by("queued_at", "pk")]


def _erase_enrolments(user):
    # Attendance and task items go with the enrolment (CASCADE).
    Enrolment.all_tenants.filter(citizen__user=user).delete()


register_personal_data(
    Enrolment, category=_("Your courses and job clubs, and waiting lists"), purpose="help",
    export=_export_enrolments, erase=_erase_enrolments,
    fields={"group": _("group"), "kind": shown_as(Group, "kind"), "status": shown_as(Enrolment, "status"),
            "queued_at": shown_as(Enrolment, "queued_at"), "enrolled_at": shown_as(Enrolment, "enrolled_at"),
            "completed_at": shown_as(Enrolment, "completed_at"), "left_at": shown_as(Enrolment, "left_at"),
            "share_with_job_centre": shown_as(Enrolment, "share_with_job_centre")})


def _export_attendance(user):
    return [{"group": a.session.group.title, "meeting": _iso(a.session.starts_at), "status": a.status,
             "note": a.note, "recorded_at": _iso(a.recorded_at)}
            for a in Attendance.all_tenants.filter(enrolment__citizen__user=user).exclude(status="")
            .select_related("session__group").order_by("session__starts_at", "pk")]


def _erase_attendance(user):
    Attendance.all_tenants.filter(enrolment__citizen__user=user).delete()
    Attendance.all_tenants.filter(recorded_by=user).update(recorded_by=None)  # a teacher who recorded it


register_personal_data(
    Attendance, category=_("Your attendance at course and job-club meetings, with the teacher's notes"),
    purpose="help", export=_export_attendance, erase=_erase_attendance,
    fields={"group": _("group"), "meeting": _("meeting"), "status": shown_as(Attendance, "status"),
            "note": shown_as(Attendance, "note"), "recorded_at": shown_as(Attendance, "recorded_at")})


def _export_groups(user):
    return [{"group": g.title, "kind": g.kind, "created": _iso(g.created_at), "created_by_you": g.created_by_id == user.pk}
            for g in (Group.all_tenants.filter(created_by=user) | Group.all_tenants.filter(teachers=user))
            .distinct().order_by("created_at", "pk")]


def _erase_groups(user):
    Group.all_tenants.filter(created_by=user).update(created_by=None)
    for group in Group.all_tenants.filter(teachers=user):
        group.teachers.remove(user)


register_personal_data(
    Group, category=_("Courses and job clubs you created or teach"), purpose="help", export=_export_groups,
    erase=_erase_groups,
    fields={"group": _("group"), "kind": shown_as(Group, "kind"), "created": _("created"),
            "created_by_you": _("created by you")},
    keep_reason=_("The groups stay as the municipality's; only the links to you are removed."))

register_access_subject("groups", _("your courses and job clubs"))
register_access_subject("groups.roster", _("your place in a course or job club (the teacher's list of participants)"))
register_access_subject("groups.attendance", _("your attendance at a course or job-club meeting"))
