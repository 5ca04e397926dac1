"""Services of courses and job clubs: joining with a first-come waiting list, leaving and moving up, places,
meetings, tasks, attendance and completion, and the plan items they write as the system (ADR 0120)."""

from __future__ import annotations

import datetime

import pytest

from jobunivers.citizens.models import PlanItem, PlanItemVersion
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.groups import services
from jobunivers.groups.contracts import AttendanceRecorded, CourseCompleted, GroupJoined
from jobunivers.groups.models import Attendance, DigitalTask, Enrolment, Group, Session, TaskItem
from jobunivers.tenancy.roles import Role

from .helpers import at, citizen, group

pytestmark = pytest.mark.django_db


def _plan(person):
    return sorted((item.item_type, item.status, item.title, item.starts_on, item.created_by_kind)
                  for item in PlanItem.all_tenants.filter(citizen=person))


def _capture(event_type):
    from jobunivers.core import events

    seen: list = []
    events.subscribe(event_type, seen.append)
    return seen, lambda: events.unsubscribe(event_type, seen.append)


# --- Joining and the waiting list ------------------------------------------------------------------------

def test_joining_with_a_free_place_puts_the_group_and_its_meetings_in_the_plan_as_the_system(
        teacher, municipality, django_capture_on_commit_callbacks):
    # given a job club with two coming meetings and a free place
    club = group(teacher, municipality)
    sara = citizen(municipality)
    seen, stop = _capture(GroupJoined)
    # when Sara joins
    try:
        with django_capture_on_commit_callbacks(execute=True):
            enrolment = services.join(actor=sara.user, citizen=sara, group_id=club.pk)
    finally:
        stop()
    # then she has a place, and her plan has the club and both meetings, planned, written by the system
    assert (enrolment.status, enrolment.municipality_id) == ("enrolled", municipality.pk)
    assert _plan(sara) == [
        ("meeting", "planned", "Jobklub Aarhus 10:00", datetime.date(2026, 3, 12), "system"),
        ("meeting", "planned", "Jobklub Aarhus 10:00", datetime.date(2026, 3, 19), "system"),
        ("own_activity", "planned", "Jobklub: Jobklub Aarhus", None, "system"),
    ]
    assert Attendance.all_tenants.filter(enrolment=enrolment, status="").count() == 2
    assert seen == [GroupJoined(municipality_id=municipality.pk, citizen_id=sara.pk, group_id=club.pk,
                                kind="job_club", from_waiting_list=False)]


def test_a_full_group_puts_the_citizen_on_the_waiting_list_not_an_error(teacher, municipality):
    # given a club with one place, taken
    club = group(teacher, municipality, capacity=1)
    first, second, third = citizen(municipality, "Anna"), citizen(municipality, "Bo"), citizen(municipality, "Carl")
    services.join(actor=first.user, citizen=first, group_id=club.pk)
    # when two more join
    waiting_b = services.join(actor=second.user, citizen=second, group_id=club.pk)
    waiting_c = services.join(actor=third.user, citizen=third, group_id=club.pk)
    # then they wait, in order, with nothing in their plans
    assert (waiting_b.status, waiting_c.status) == ("waiting", "waiting")
    assert _plan(second) == [] and _plan(third) == []
    from jobunivers.groups.selectors import group_for_citizen

    assert group_for_citizen(actor=third.user, citizen=third, group_id=club.pk).waiting_position == 2


def test_joining_twice_is_refused_and_writes_nothing(teacher, municipality):
    club = group(teacher, municipality)
    sara = citizen(municipality)
    services.join(actor=sara.user, citizen=sara, group_id=club.pk)
    items = PlanItem.all_tenants.count()
    with pytest.raises(ValidationFailed) as error:
        services.join(actor=sara.user, citizen=sara, group_id=club.pk)
    assert error.value.messages == {"__all__": ["Du er allerede tilmeldt holdet."]}
    assert (Enrolment.all_tenants.count(), PlanItem.all_tenants.count()) == (1, items)


def test_waiting_twice_is_refused(teacher, municipality):
    club = group(teacher, municipality, capacity=1)
    first, second = citizen(municipality, "Anna"), citizen(municipality, "Bo")
    services.join(actor=first.user, citizen=first, group_id=club.pk)
    services.join(actor=second.user, citizen=second, group_id=club.pk)
    with pytest.raises(ValidationFailed) as error:
        services.join(actor=second.user, citizen=second, group_id=club.pk)
    assert error.value.messages == {"__all__": ["Du står allerede på ventelisten."]}


def test_leaving_moves_the_first_on_the_waiting_list_up_and_cancels_the_leavers_meetings(
        teacher, municipality, django_capture_on_commit_callbacks):
    # given a full club of one with two people waiting
    club = group(teacher, municipality, capacity=1)
    first, second, third = citizen(municipality, "Anna"), citizen(municipality, "Bo"), citizen(municipality, "Carl")
    place = services.join(actor=first.user, citizen=first, group_id=club.pk)
    services.join(actor=second.user, citizen=second, group_id=club.pk)
    services.join(actor=third.user, citizen=third, group_id=club.pk)
    seen, stop = _capture(GroupJoined)
    # when the one with the place leaves
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.leave(actor=first.user, enrolment=place)
    finally:
        stop()
    # then the first in line (Bo) gets the place and the meetings; Carl still waits
    statuses = dict(Enrolment.all_tenants.values_list("citizen__user__first_name", "status"))
    assert statuses == {"Anna": "left", "Bo": "enrolled", "Carl": "waiting"}
    assert [status for _type, status, *_rest in _plan(second)] == ["planned", "planned", "planned"]
    assert [status for _type, status, *_rest in _plan(first)] == ["cancelled", "cancelled", "cancelled"]
    assert seen == [GroupJoined(municipality_id=municipality.pk, citizen_id=second.pk, group_id=club.pk,
                                kind="job_club", from_waiting_list=True)]
    # and the cancellations are the system's
    assert set(PlanItemVersion.all_tenants.filter(plan_item__citizen=first, version=2)
               .values_list("changed_by_kind", flat=True)) == {"system"}


def test_leaving_the_waiting_list_moves_no_one_up(teacher, municipality):
    club = group(teacher, municipality, capacity=1)
    first, second = citizen(municipality, "Anna"), citizen(municipality, "Bo")
    services.join(actor=first.user, citizen=first, group_id=club.pk)
    waiting = services.join(actor=second.user, citizen=second, group_id=club.pk)
    services.leave(actor=second.user, enrolment=waiting)
    assert dict(Enrolment.all_tenants.values_list("citizen__user__first_name", "status")) == {
        "Anna": "enrolled", "Bo": "left"}


def test_joining_again_after_leaving_queues_behind_those_already_waiting(teacher, municipality, clock):
    club = group(teacher, municipality, capacity=1)
    first, second = citizen(municipality, "Anna"), citizen(municipality, "Bo")
    place = services.join(actor=first.user, citizen=first, group_id=club.pk)
    services.join(actor=second.user, citizen=second, group_id=club.pk)
    services.leave(actor=first.user, enrolment=place)
    clock.advance(minutes=5)
    again = services.join(actor=first.user, citizen=first, group_id=club.pk)
    assert again.status == "waiting"


def test_a_group_of_another_municipality_does_not_exist_for_the_citizen(teacher, municipality, other_municipality):
    club = group(teacher, municipality)
    stranger = citizen(other_municipality)
    with pytest.raises(NotFound):
        services.join(actor=stranger.user, citizen=stranger, group_id=club.pk)
    assert Enrolment.all_tenants.count() == 0


def test_a_cross_municipal_club_takes_citizens_of_partner_municipalities_only(teacher, municipality,
                                                                             other_municipality):
    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    third = MunicipalityFactory(code="0461", name="Odense", slug="odense")
    club = group(teacher, municipality, partners=[other_municipality])
    partner_citizen = citizen(other_municipality, "Peter")
    outsider = citizen(third, "Olga")
    enrolment = services.join(actor=partner_citizen.user, citizen=partner_citizen, group_id=club.pk)
    # the enrolment and the plan items belong to the citizen's municipality
    assert enrolment.municipality_id == other_municipality.pk
    assert set(PlanItem.all_tenants.filter(citizen=partner_citizen).values_list("municipality_id", flat=True)) == {
        other_municipality.pk}
    with pytest.raises(NotFound):
        services.join(actor=outsider.user, citizen=outsider, group_id=club.pk)


def test_only_the_citizen_joins(teacher, municipality):
    club = group(teacher, municipality)
    sara = citizen(municipality)
    with pytest.raises(NotFound):
        services.join(actor=teacher, citizen=sara, group_id=club.pk)
    assert Enrolment.all_tenants.count() == 0


def test_a_closed_group_takes_no_one(teacher, municipality):
    club = group(teacher, municipality)
    services.group_update(actor=teacher, group=club, title=club.title, description="", capacity=2, status="closed")
    sara = citizen(municipality)
    with pytest.raises(ValidationFailed) as error:
        services.join(actor=sara.user, citizen=sara, group_id=club.pk)
    assert error.value.messages == {"__all__": ["Holdet er lukket og tager ikke nye deltagere."]}


# --- Places -------------------------------------------------------------------------------------------

def test_places_cannot_go_below_those_taken(teacher, municipality):
    club = group(teacher, municipality, capacity=3)
    for name in ("Anna", "Bo"):
        person = citizen(municipality, name)
        services.join(actor=person.user, citizen=person, group_id=club.pk)
    with pytest.raises(ValidationFailed) as error:
        services.group_update(actor=teacher, group=club, title="Nyt navn", description="", capacity=1, status="open")
    assert error.value.messages == {"capacity": [
        "2 personer har allerede en plads. Lad nogen melde sig fra, før du sætter antallet af pladser lavere end det."]}
    club.refresh_from_db()
    assert (club.capacity, club.title) == (3, "Jobklub Aarhus")


def test_more_places_move_the_waiting_list_up(teacher, municipality):
    club = group(teacher, municipality, capacity=1)
    first, second = citizen(municipality, "Anna"), citizen(municipality, "Bo")
    services.join(actor=first.user, citizen=first, group_id=club.pk)
    services.join(actor=second.user, citizen=second, group_id=club.pk)
    services.group_update(actor=teacher, group=club, title=club.title, description="", capacity=2, status="open")
    assert Enrolment.all_tenants.get(citizen=second).status == "enrolled"


@pytest.mark.parametrize("capacity", [0, -1, 201, "mange", None])
def test_places_must_be_1_to_200(teacher, municipality, capacity):
    with pytest.raises(ValidationFailed) as error:
        services.group_create(actor=teacher, municipality_id=municipality.pk, kind="course", title="Kursus",
                              capacity=capacity)
    assert error.value.messages == {"capacity": ["Skriv et antal pladser fra 1 til 200."]}
    assert Group.all_tenants.count() == 0


def test_only_a_job_club_crosses_municipalities(teacher, municipality, other_municipality):
    with pytest.raises(ValidationFailed) as error:
        services.group_create(actor=teacher, municipality_id=municipality.pk, kind="course", title="Kursus",
                              capacity=5, is_cross_municipal=True, partner_ids=[other_municipality.pk])
    assert error.value.messages == {"is_cross_municipal": [
        "Kun en jobklub kan være åben for borgere fra andre kommuner."]}


def test_a_citizen_cannot_create_a_group(municipality):
    sara = citizen(municipality)
    with pytest.raises(ValidationFailed):
        services.group_create(actor=sara.user, municipality_id=municipality.pk, kind="course", title="Kursus",
                              capacity=5)
    assert Group.all_tenants.count() == 0


# --- Meetings and tasks --------------------------------------------------------------------------------

def test_a_meeting_in_the_past_is_refused(teacher, municipality):
    club = group(teacher, municipality, sessions=0)
    with pytest.raises(ValidationFailed) as error:
        services.session_add(actor=teacher, group=club, starts_at=at(-1), ends_at=at(-1, 11), place="Lokale 2")
    assert error.value.messages == {"starts_at": ["Mødet kan ikke begynde i fortiden."]}
    assert Session.all_tenants.count() == 0


def test_a_meeting_needs_a_place_or_a_link_and_an_end_after_its_start(teacher, municipality):
    club = group(teacher, municipality, sessions=0)
    with pytest.raises(ValidationFailed) as error:
        services.session_add(actor=teacher, group=club, starts_at=at(1, 10), ends_at=at(1, 9))
    assert error.value.messages == {"ends_at": ["Mødet skal slutte efter det begynder."],
                                    "place": ["Skriv hvor mødet er, eller giv et videolink."]}
    assert Session.all_tenants.count() == 0


def test_a_cross_municipal_club_meets_online(teacher, municipality, other_municipality):
    club = group(teacher, municipality, partners=[other_municipality], sessions=0)
    with pytest.raises(ValidationFailed) as error:
        services.session_add(actor=teacher, group=club, starts_at=at(1), ends_at=at(1, 10), place="Lokale 2")
    assert error.value.messages == {"video_link": [
        "En jobklub på tværs af kommuner mødes online: giv et videolink."]}


def test_a_new_meeting_lands_in_the_plans_of_those_with_a_place(teacher, municipality):
    club = group(teacher, municipality, capacity=1, sessions=0)
    first, second = citizen(municipality, "Anna"), citizen(municipality, "Bo")
    services.join(actor=first.user, citizen=first, group_id=club.pk)
    services.join(actor=second.user, citizen=second, group_id=club.pk)
    services.session_add(actor=teacher, group=club, starts_at=at(3), ends_at=at(3, 10), place="Lokale 2")
    assert PlanItem.all_tenants.filter(citizen=first, item_type="meeting").count() == 1
    assert PlanItem.all_tenants.filter(citizen=second).count() == 0


def test_a_staff_member_who_does_not_teach_the_group_cannot_change_it(teacher, municipality, member):
    club = group(teacher, municipality, sessions=0)
    colleague = member(Role.PERSONAL_CONSULTANT, municipality)
    with pytest.raises(NotFound):
        services.session_add(actor=colleague, group=club, starts_at=at(1), ends_at=at(1, 10), place="Lokale 2")
    assert Session.all_tenants.count() == 0


def test_a_digital_task_lands_in_the_plan_with_its_due_date(teacher, municipality):
    course = group(teacher, municipality, kind="course", title="Kom i gang")
    sara = citizen(municipality)
    services.join(actor=sara.user, citizen=sara, group_id=course.pk)
    services.task_add(actor=teacher, group=course, title="Skriv dit CV", due_on=datetime.date(2026, 3, 16))
    item = PlanItem.all_tenants.get(citizen=sara, title="Skriv dit CV")
    assert (item.item_type, item.status, item.due_on, item.created_by_kind) == (
        "own_activity", "planned", datetime.date(2026, 3, 16), "system")
    assert TaskItem.all_tenants.get().plan_item_id == item.pk


def test_a_digital_task_due_in_the_past_or_for_a_job_club_is_refused(teacher, municipality):
    club = group(teacher, municipality)
    with pytest.raises(ValidationFailed) as error:
        services.task_add(actor=teacher, group=club, title="Opgave", due_on=datetime.date(2026, 3, 9))
    assert error.value.messages == {"__all__": ["Digitale opgaver hører til blended kurser."],
                                    "due_on": ["Fristen kan ikke ligge i fortiden."]}
    assert DigitalTask.all_tenants.count() == 0


# --- Attendance and completion -------------------------------------------------------------------------

def test_attendance_moves_the_meeting_to_done_and_the_group_to_in_progress(
        teacher, municipality, clock, django_capture_on_commit_callbacks):
    # given two participants and a meeting that has begun
    club = group(teacher, municipality)
    anna, bo = citizen(municipality, "Anna"), citizen(municipality, "Bo")
    enrol_a = services.join(actor=anna.user, citizen=anna, group_id=club.pk)
    enrol_b = services.join(actor=bo.user, citizen=bo, group_id=club.pk)
    session = Session.all_tenants.filter(group=club).order_by("starts_at").first()
    clock.now = session.starts_at + datetime.timedelta(minutes=30)
    seen, stop = _capture(AttendanceRecorded)
    # when the teacher records Anna as attended and Bo as excused
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.attendance_record(actor=teacher, session=session, entries={
                str(enrol_a.pk): ("attended", "God snak om netværk"), str(enrol_b.pk): ("excused", "")})
    finally:
        stop()
    # then Anna's meeting is done and her club in progress; Bo's meeting is cancelled, his club still planned
    first_day = datetime.date(2026, 3, 12)
    assert [(t, s) for t, s, _title, day, _k in _plan(anna) if day in (first_day, None)] == [
        ("meeting", "done"), ("own_activity", "in_progress")]
    assert [(t, s) for t, s, _title, day, _k in _plan(bo) if day in (first_day, None)] == [
        ("meeting", "cancelled"), ("own_activity", "planned")]
    row = Attendance.all_tenants.get(enrolment=enrol_a, session=session)
    assert (row.status, row.note, row.recorded_by_id) == ("attended", "God snak om netværk", teacher.pk)
    assert sorted(e.status for e in seen) == ["attended", "excused"]
    # and each listed citizen's log says the teacher changed their data
    from jobunivers.audit.models import AccessLogEntry

    assert AccessLogEntry.all_tenants.filter(what="groups.attendance", actor_user_id=teacher.pk).count() == 2


def test_attendance_before_the_meeting_has_begun_is_refused(teacher, municipality):
    club = group(teacher, municipality)
    anna = citizen(municipality, "Anna")
    enrolment = services.join(actor=anna.user, citizen=anna, group_id=club.pk)
    session = Session.all_tenants.filter(group=club).order_by("starts_at").first()
    with pytest.raises(ValidationFailed) as error:
        services.attendance_record(actor=teacher, session=session, entries={enrolment.pk: ("attended", "")})
    assert error.value.messages == {"__all__": [
        "Mødet er ikke begyndt endnu. Registrér fremmøde, når det er gået i gang."]}
    assert Attendance.all_tenants.exclude(status="").count() == 0


def test_attendance_for_someone_not_in_the_group_writes_nothing(teacher, municipality, clock):
    # given Anna with a place and Bo on the waiting list
    club = group(teacher, municipality, capacity=1)
    anna, bo = citizen(municipality, "Anna"), citizen(municipality, "Bo")
    enrol_a = services.join(actor=anna.user, citizen=anna, group_id=club.pk)
    enrol_b = services.join(actor=bo.user, citizen=bo, group_id=club.pk)
    session = Session.all_tenants.filter(group=club).order_by("starts_at").first()
    clock.now = session.starts_at
    # when the teacher records both
    with pytest.raises(ValidationFailed) as error:
        services.attendance_record(actor=teacher, session=session, entries={
            enrol_a.pk: ("attended", ""), enrol_b.pk: ("attended", "")})
    # then nothing is recorded, not even Anna's
    assert error.value.messages == {"__all__": ["En person på listen er ikke tilmeldt holdet."]}
    assert Attendance.all_tenants.exclude(status="").count() == 0
    assert PlanItem.all_tenants.filter(citizen=anna, status="done").count() == 0


def test_attendance_with_an_unknown_status_or_a_long_note_is_refused(teacher, municipality, clock):
    club = group(teacher, municipality)
    anna = citizen(municipality, "Anna")
    enrolment = services.join(actor=anna.user, citizen=anna, group_id=club.pk)
    session = Session.all_tenants.filter(group=club).order_by("starts_at").first()
    clock.now = session.starts_at
    with pytest.raises(ValidationFailed) as error:
        services.attendance_record(actor=teacher, session=session, entries={enrolment.pk: ("sick", "x" * 301)})
    assert error.value.messages == {f"status-{enrolment.pk}": ["Vælg mødt, udeblevet eller afbud."],
                                    f"note-{enrolment.pk}": ["Skriv højst 300 tegn."]}
    assert Attendance.all_tenants.exclude(status="").count() == 0


def test_completing_a_course_marks_it_done_and_tells_feedback(teacher, municipality,
                                                              django_capture_on_commit_callbacks):
    course = group(teacher, municipality, kind="course", title="Kom i gang")
    sara = citizen(municipality)
    enrolment = services.join(actor=sara.user, citizen=sara, group_id=course.pk)
    seen, stop = _capture(CourseCompleted)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            done = services.course_complete(actor=teacher, enrolment=enrolment)
    finally:
        stop()
    assert done.status == "completed"
    assert PlanItem.all_tenants.get(pk=enrolment.plan_item_id).status == "done"
    assert seen == [CourseCompleted(municipality_id=municipality.pk, citizen_id=sara.pk, enrolment_id=enrolment.pk,
                                    item_id=course.pk, title="Kom i gang", completed_at=done.completed_at)]
    # feedback asked about it, through its own handler
    from jobunivers.feedback.models import PulseRequest

    assert PulseRequest.all_tenants.filter(citizen=sara).count() == 1


def test_a_job_club_is_not_completed(teacher, municipality):
    club = group(teacher, municipality)
    sara = citizen(municipality)
    enrolment = services.join(actor=sara.user, citizen=sara, group_id=club.pk)
    with pytest.raises(ValidationFailed) as error:
        services.course_complete(actor=teacher, enrolment=enrolment)
    assert error.value.messages == {"__all__": ["Kun et blended kursus gennemføres; en jobklub har ingen slutning."]}


def test_leaving_a_job_club_after_coming_marks_it_done(teacher, municipality, clock):
    club = group(teacher, municipality)
    sara = citizen(municipality)
    enrolment = services.join(actor=sara.user, citizen=sara, group_id=club.pk)
    session = Session.all_tenants.filter(group=club).order_by("starts_at").first()
    clock.now = session.starts_at
    services.attendance_record(actor=teacher, session=session, entries={enrolment.pk: ("attended", "")})
    services.leave(actor=sara.user, enrolment=enrolment)
    assert sorted(s for _t, s, *_ in _plan(sara)) == ["cancelled", "done", "done"]
