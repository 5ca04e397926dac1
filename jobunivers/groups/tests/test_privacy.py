"""GDPR export and erasure, and retention, of courses and job clubs (ADR 0120)."""

from __future__ import annotations

import datetime

import pytest

from jobunivers.audit.privacy import registrations
from jobunivers.groups import services
from jobunivers.groups.models import Attendance, Enrolment, Group, Session, TaskItem
from jobunivers.groups.retention import groups_purge

from .helpers import citizen, group

pytestmark = pytest.mark.django_db


def _registration(label):
    return next(r for r in registrations() if r.model_label == label)


@pytest.fixture
def attended(teacher, municipality, clock):
    course = group(teacher, municipality, kind="course", title="Kom i gang")
    sara = citizen(municipality)
    enrolment = services.join(actor=sara.user, citizen=sara, group_id=course.pk)
    services.task_add(actor=teacher, group=course, title="Skriv dit CV", due_on=datetime.date(2026, 3, 20))
    session = Session.all_tenants.filter(group=course).order_by("starts_at").first()
    clock.now = session.starts_at
    services.attendance_record(actor=teacher, session=session, entries={enrolment.pk: ("attended", "Godt gået")})
    return sara, enrolment, session


def test_the_citizen_exports_their_places_and_attendance(attended):
    sara, enrolment, session = attended
    assert _registration("groups.enrolment").export(sara.user) == [{
        "group": "Kom i gang", "kind": "course", "status": "enrolled", "queued_at": enrolment.queued_at.isoformat(),
        "enrolled_at": enrolment.enrolled_at.isoformat(), "completed_at": None, "left_at": None,
        "share_with_job_centre": False}]
    rows = _registration("groups.attendance").export(sara.user)
    assert [(r["group"], r["status"], r["note"]) for r in rows] == [("Kom i gang", "attended", "Godt gået")]


def test_erasing_the_citizen_removes_places_attendance_and_tasks(attended):
    sara, _enrolment, _session = attended
    _registration("groups.attendance").erase(sara.user)
    _registration("groups.enrolment").erase(sara.user)
    assert (Enrolment.all_tenants.count(), Attendance.all_tenants.count(), TaskItem.all_tenants.count()) == (0, 0, 0)


def test_erasing_the_teacher_keeps_the_group_and_the_attendance_without_them(attended, teacher):
    _registration("groups.group").erase(teacher)
    _registration("groups.attendance").erase(teacher)
    group_row = Group.all_tenants.get()
    assert (group_row.created_by_id, group_row.teachers.count()) == (None, 0)
    assert list(Attendance.all_tenants.exclude(status="").values_list("recorded_by_id", flat=True)) == [None]
    assert _registration("groups.group").export(teacher) == []


def test_ended_enrolments_go_after_the_period_and_current_ones_stay(attended, municipality, other_municipality,
                                                                  teacher, clock):
    sara, enrolment, _session = attended
    services.leave(actor=sara.user, enrolment=enrolment)
    current = citizen(municipality, "Bo")
    services.join(actor=current.user, citizen=current, group_id=enrolment.group_id)
    # 29 days after leaving nothing goes; 31 days after, the ended one does (twice: idempotent)
    assert groups_purge(municipality_id=municipality.pk, retention_days=30,
                        now=clock.now + datetime.timedelta(days=29)) == {"enrolments": 0}
    later = clock.now + datetime.timedelta(days=31)
    assert groups_purge(municipality_id=municipality.pk, retention_days=30, now=later) == {"enrolments": 1}
    assert groups_purge(municipality_id=municipality.pk, retention_days=30, now=later) == {"enrolments": 0}
    assert list(Enrolment.all_tenants.values_list("citizen_id", flat=True)) == [current.pk]
    assert groups_purge(municipality_id=other_municipality.pk, retention_days=1, now=later) == {"enrolments": 0}
