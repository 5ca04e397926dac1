"""Pages of courses and job clubs: the citizen's list, a group, joining (or the waiting list), leaving; the
teacher's pages and their refusals in Danish; who sees what across municipalities (ADR 0120)."""

from __future__ import annotations

import pytest

from jobunivers.audit.models import AccessLogEntry
from jobunivers.core.testing import client_for, murl
from jobunivers.groups import services
from jobunivers.groups.models import Attendance, Enrolment, Group, Session
from jobunivers.tenancy.roles import Role

from .helpers import citizen, group

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


def test_the_citizen_sees_the_groups_open_to_them_and_joins_one(teacher, municipality):
    club = group(teacher, municipality, title="Jobklub Aarhus")
    sara = citizen(municipality)
    browser = client_for(sara.user)
    listing = browser.get(murl(municipality, "groups:list"))
    assert listing.status_code == 200 and "Jobklub Aarhus" in _text(listing)
    response = browser.post(murl(municipality, "groups:join", group_id=club.pk), {"share": "on"}, follow=True)
    assert "Du er tilmeldt. Møderne står i din plan." in _text(response)
    enrolment = Enrolment.all_tenants.get(citizen=sara)
    assert (enrolment.status, enrolment.share_with_job_centre) == ("enrolled", True)


def test_a_full_group_answers_with_the_waiting_list_and_the_place_in_line(teacher, municipality):
    club = group(teacher, municipality, capacity=1)
    first, sara = citizen(municipality, "Anna"), citizen(municipality)
    services.join(actor=first.user, citizen=first, group_id=club.pk)
    page = client_for(sara.user).get(murl(municipality, "groups:detail", group_id=club.pk))
    assert "Skriv mig på ventelisten" in _text(page)
    response = client_for(sara.user).post(murl(municipality, "groups:join", group_id=club.pk), follow=True)
    text = _text(response)
    assert "Holdet er fuldt. Du står på ventelisten" in text
    assert "Du er nummer 1 på ventelisten." in text


def test_joining_twice_shows_a_danish_error(teacher, municipality):
    club = group(teacher, municipality)
    sara = citizen(municipality)
    browser = client_for(sara.user)
    browser.post(murl(municipality, "groups:join", group_id=club.pk))
    response = browser.post(murl(municipality, "groups:join", group_id=club.pk), follow=True)
    assert "Du er allerede tilmeldt holdet." in _text(response)
    assert Enrolment.all_tenants.count() == 1


def test_leaving_from_the_page(teacher, municipality):
    club = group(teacher, municipality)
    sara = citizen(municipality)
    services.join(actor=sara.user, citizen=sara, group_id=club.pk)
    response = client_for(sara.user).post(murl(municipality, "groups:leave", group_id=club.pk), follow=True)
    assert "Du har meldt dig fra holdet." in _text(response)
    assert Enrolment.all_tenants.get().status == "left"


def test_a_cross_municipal_club_is_open_to_partner_citizens_and_closed_to_partner_staff(
        teacher, municipality, other_municipality, member):
    # given Aarhus's online club with København as partner, and a København citizen in it
    club = group(teacher, municipality, partners=[other_municipality], title="Jobklub på tværs")
    peter = citizen(other_municipality, "Peter", "Partner")
    browser = client_for(peter.user)
    listed = _text(browser.get(murl(other_municipality, "groups:list")))
    # and the card says which municipality runs it (two partners' clubs may share a title)
    assert "Jobklub på tværs" in listed and f"arrangeret af {municipality.name}" in listed
    browser.post(murl(other_municipality, "groups:join", group_id=club.pk))
    assert Enrolment.all_tenants.get(citizen=peter).municipality_id == other_municipality.pk
    # then København's staff do not get the teacher's page, under either prefix
    kbh_adviser = member(Role.JOB_ADVISER, other_municipality)
    assert client_for(kbh_adviser).get(murl(other_municipality, "groups:staff_group", group_id=club.pk)).status_code == 404
    assert client_for(kbh_adviser).get(murl(municipality, "groups:staff_group", group_id=club.pk)).status_code == 404
    # and the Aarhus teacher sees Peter's name only, the look logged in København for Peter to see
    page = client_for(teacher).get(murl(municipality, "groups:staff_group", group_id=club.pk))
    text = _text(page)
    assert "Peter Partner" in text and "(anden kommune)" in text
    assert murl(other_municipality, "groups:staff_citizen", citizen_id=peter.pk) not in text
    entry = AccessLogEntry.all_tenants.get(actor_user_id=teacher.pk, citizen_id=peter.pk)
    assert (entry.municipality_id, entry.what, entry.action) == (other_municipality.pk, "groups.roster", "read")


def test_a_non_partner_citizen_does_not_see_the_cross_municipal_club(teacher, municipality, other_municipality):
    from jobunivers.tenancy.tests.factories import MunicipalityFactory

    odense = MunicipalityFactory(code="0461", name="Odense", slug="odense")
    club = group(teacher, municipality, partners=[other_municipality], title="Jobklub på tværs")
    olga = citizen(odense, "Olga")
    assert "Jobklub på tværs" not in _text(client_for(olga.user).get(murl(odense, "groups:list")))
    assert client_for(olga.user).get(murl(odense, "groups:detail", group_id=club.pk)).status_code == 404


def test_staff_who_do_not_teach_the_group_get_404(teacher, municipality, member):
    club = group(teacher, municipality)
    colleague = member(Role.PERSONAL_CONSULTANT, municipality)
    assert client_for(colleague).get(murl(municipality, "groups:staff_group", group_id=club.pk)).status_code == 404
    listing = client_for(colleague).get(murl(municipality, "groups:staff_list"))
    assert listing.status_code == 200 and "Jobklub Aarhus" in _text(listing)


def test_a_citizen_gets_404_on_the_staff_pages(teacher, municipality):
    club = group(teacher, municipality)
    sara = citizen(municipality)
    assert client_for(sara.user).get(murl(municipality, "groups:staff_list")).status_code == 404
    assert client_for(sara.user).get(murl(municipality, "groups:staff_group", group_id=club.pk)).status_code == 404


def test_the_teacher_creates_a_group_and_becomes_its_teacher(teacher, municipality):
    response = client_for(teacher).post(murl(municipality, "groups:staff_create"), {
        "kind": "course", "title": "Kom godt i gang", "description": "", "capacity": "10"})
    made = Group.all_tenants.get()
    assert response.status_code == 302 and response["Location"] == murl(municipality, "groups:staff_group",
                                                                          group_id=made.pk)
    assert list(made.teachers.values_list("pk", flat=True)) == [teacher.pk]


def test_a_meeting_in_the_past_is_refused_on_the_page_with_nothing_written(teacher, municipality):
    club = group(teacher, municipality, sessions=0)
    response = client_for(teacher).post(murl(municipality, "groups:staff_session_add", group_id=club.pk), {
        "day": "2026-03-09", "starts": "10:00", "ends": "11:00", "place": "Lokale 2"})
    assert response.status_code == 422
    assert "Mødet kan ikke begynde i fortiden." in _text(response)
    assert Session.all_tenants.count() == 0


def test_lowering_places_below_those_taken_is_refused_on_the_page(teacher, municipality):
    club = group(teacher, municipality, capacity=2)
    for name in ("Anna", "Bo"):
        person = citizen(municipality, name)
        services.join(actor=person.user, citizen=person, group_id=club.pk)
    response = client_for(teacher).post(murl(municipality, "groups:staff_edit", group_id=club.pk), {
        "title": "Jobklub Aarhus", "description": "", "capacity": "1", "status": "open"})
    assert response.status_code == 422
    assert "2 personer har allerede en plads." in _text(response)
    club.refresh_from_db()
    assert club.capacity == 2


def test_the_teacher_records_attendance_and_the_citizen_sees_it(teacher, municipality, clock):
    club = group(teacher, municipality)
    sara = citizen(municipality)
    enrolment = services.join(actor=sara.user, citizen=sara, group_id=club.pk)
    session = Session.all_tenants.filter(group=club).order_by("starts_at").first()
    url = murl(municipality, "groups:staff_attendance", group_id=club.pk, session_id=session.pk)
    # before the meeting the page says so and a post is refused
    assert "Mødet er ikke begyndt endnu." in _text(client_for(teacher).get(url))
    clock.now = session.starts_at
    response = client_for(teacher).post(url, {f"status-{enrolment.pk}": "attended",
                                              f"note-{enrolment.pk}": "Aktiv i dag"})
    assert response.status_code == 302
    assert Attendance.all_tenants.get(enrolment=enrolment, session=session).status == "attended"
    roster = _text(client_for(teacher).get(murl(municipality, "groups:staff_group", group_id=club.pk)))
    assert "<td>1</td>" in roster  # meetings attended: the recorded one, not the coming one
    page = _text(client_for(sara.user).get(murl(municipality, "groups:detail", group_id=club.pk)))
    assert "Fremmøde: Mødt" in page and "Aktiv i dag" in page


def test_attendance_with_no_choice_is_refused_in_danish(teacher, municipality, clock):
    club = group(teacher, municipality)
    sara = citizen(municipality)
    enrolment = services.join(actor=sara.user, citizen=sara, group_id=club.pk)
    session = Session.all_tenants.filter(group=club).order_by("starts_at").first()
    clock.now = session.starts_at
    url = murl(municipality, "groups:staff_attendance", group_id=club.pk, session_id=session.pk)
    response = client_for(teacher).post(url, {f"status-{enrolment.pk}": "", f"note-{enrolment.pk}": ""})
    assert response.status_code == 422
    assert "Vælg mødt, udeblevet eller afbud." in _text(response)
    assert Attendance.all_tenants.exclude(status="").count() == 0


def test_the_job_centre_sees_attendance_only_where_the_citizen_shares_it(teacher, municipality, member, clock):
    club = group(teacher, municipality)
    sara = citizen(municipality)
    enrolment = services.join(actor=sara.user, citizen=sara, group_id=club.pk)
    session = Session.all_tenants.filter(group=club).order_by("starts_at").first()
    clock.now = session.starts_at
    services.attendance_record(actor=teacher, session=session, entries={enrolment.pk: ("absent", "Ingen besked")})
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    url = murl(municipality, "groups:staff_citizen", citizen_id=sara.pk)
    hidden = _text(client_for(consultant).get(url))
    assert "Borgeren deler ikke fremmøde" in hidden and "Ingen besked" not in hidden
    services.sharing_set(actor=sara.user, enrolment=enrolment, share=True)
    shown = _text(client_for(consultant).get(url))
    assert "Udeblevet – Ingen besked" in shown


def test_the_caseworkers_citizen_page_links_to_the_citizens_courses_and_job_clubs(municipality, member):
    sara = citizen(municipality)
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    page = client_for(consultant).get(murl(municipality, "caseworker:citizen", citizen_id=sara.pk)).content.decode()
    assert f'href="{murl(municipality, "groups:staff_citizen", citizen_id=sara.pk)}"' in page
    assert "Kurser og jobklubber: pladser og fremmøde" in page
