"""A marketplace vendor as a group's teacher (issue 18, ADR 0120): staff name the vendor among those with an
offer in the municipality; the vendor's members see their groups on the national vendor pages, the names
(each look access-logged in the citizen's municipality) and record attendance and a short note, which moves
the plan as the staff path does. Any other vendor, any group the vendor does not teach: 404."""

from __future__ import annotations

import pytest

from jobunivers.audit.models import AccessLogEntry
from jobunivers.core.errors import NotFound, ValidationFailed
from jobunivers.core.testing import client_for, murl, nurl
from jobunivers.groups import services
from jobunivers.groups.models import Attendance, Enrolment, Group, Session
from jobunivers.marketplace.tests import factories as market

from .helpers import citizen, group

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return response.content.decode()


@pytest.fixture
def vendor(municipality):
    made = market.vendor("Kursushuset ApS")
    market.vendor_course(made, municipality)  # an offer enabled in Aarhus: staff may name it
    return made


@pytest.fixture
def vendor_member(member, vendor):
    return market.vendor_user(member, vendor)


def _taught(teacher, municipality, vendor, **kwargs):
    made = group(teacher, municipality, **kwargs)
    return services.group_update(actor=teacher, group=made, title=made.title, description=made.description,
                                 capacity=made.capacity, status=made.status, vendor_id=vendor.pk)


def test_staff_name_a_vendor_with_an_offer_in_the_municipality_on_the_form(teacher, municipality, vendor):
    page = _text(client_for(teacher).get(murl(municipality, "groups:staff_create")))
    assert f'<option value="{vendor.pk}">Kursushuset ApS</option>' in page
    response = client_for(teacher).post(murl(municipality, "groups:staff_create"), {
        "kind": "course", "title": "Truckkursus", "description": "", "capacity": "8", "vendor": str(vendor.pk)})
    assert response.status_code == 302
    assert Group.all_tenants.get().vendor_id == vendor.pk


def test_a_vendor_without_an_offer_in_the_municipality_is_refused_with_nothing_written(
        teacher, municipality, other_municipality):
    elsewhere = market.vendor("Kun i København ApS")
    market.vendor_course(elsewhere, other_municipality)
    response = client_for(teacher).post(murl(municipality, "groups:staff_create"), {
        "kind": "course", "title": "Truckkursus", "description": "", "capacity": "8", "vendor": str(elsewhere.pk)})
    assert response.status_code == 422
    assert Group.all_tenants.count() == 0
    with pytest.raises(ValidationFailed) as error:
        services.group_create(actor=teacher, municipality_id=municipality.pk, kind="course", title="Truck",
                              capacity=8, vendor_id=elsewhere.pk)
    assert error.value.messages == {"vendor": ["Vælg en af mulighederne."]}
    assert Group.all_tenants.count() == 0


def test_only_staff_choose_the_vendor(teacher, municipality, vendor, vendor_member):
    course = _taught(teacher, municipality, vendor, kind="course")
    with pytest.raises(NotFound):
        services.group_update(actor=vendor_member, group=course, title="X", description="", capacity=2,
                              status="open", vendor_id=None)
    course.refresh_from_db()
    assert (course.title, course.vendor_id) == ("Jobklub Aarhus", vendor.pk)
    # staff remove the vendor: its members no longer teach
    services.group_update(actor=teacher, group=course, title=course.title, description="", capacity=2,
                          status="open", vendor_id=None)
    assert client_for(vendor_member).get(nurl("groups:vendor_group", group_id=course.pk)).status_code == 404


def test_the_vendor_member_teaches_sees_names_logged_and_records_attendance_into_the_plan(
        teacher, municipality, other_municipality, vendor, vendor_member, clock):
    # given Aarhus's online club taught with the vendor, with an Aarhus and a København citizen in it
    club = _taught(teacher, municipality, vendor, partners=[other_municipality], title="Jobklub på tværs")
    sara, peter = citizen(municipality), citizen(other_municipality, "Peter", "Partner")
    enrol_s = services.join(actor=sara.user, citizen=sara, group_id=club.pk)
    services.join(actor=peter.user, citizen=peter, group_id=club.pk)
    browser = client_for(vendor_member)
    # the vendor's list shows the group with its municipality
    listing = browser.get(nurl("groups:vendor_list"))
    assert listing.status_code == 200 and "Jobklub på tværs" in _text(listing) and "Aarhus" in _text(listing)
    # the group page shows the names and logs one read per citizen, in the citizen's municipality
    page = browser.get(nurl("groups:vendor_group", group_id=club.pk))
    assert page.status_code == 200 and "Sara Jensen" in _text(page) and "Peter Partner" in _text(page)
    entries = sorted((e.municipality_id, e.citizen_id, e.what, e.action)
                     for e in AccessLogEntry.all_tenants.filter(actor_user_id=vendor_member.pk))
    assert entries == sorted([(municipality.pk, sara.pk, "groups.roster", "read"),
                              (other_municipality.pk, peter.pk, "groups.roster", "read")])
    # when the meeting has begun and the vendor member records Sara as attended with a note
    session = Session.all_tenants.filter(group=club).order_by("starts_at").first()
    clock.now = session.starts_at
    browser = client_for(vendor_member)  # a new sign-in: the clock moved two days on
    url = nurl("groups:vendor_attendance", group_id=club.pk, session_id=session.pk)
    assert browser.get(url).status_code == 200
    response = browser.post(url, {f"status-{enrol_s.pk}": "attended", f"note-{enrol_s.pk}": "Godt oplæg"})
    # then it is recorded by the vendor member, and the plan moves as on the staff path
    assert response.status_code == 302 and response["Location"] == nurl("groups:vendor_group", group_id=club.pk)
    row = Attendance.all_tenants.select_related("plan_item").get(enrolment=enrol_s, session=session)
    assert (row.status, row.note, row.recorded_by_id) == ("attended", "Godt oplæg", vendor_member.pk)
    assert row.plan_item.status == "done"
    assert Enrolment.all_tenants.select_related("plan_item").get(pk=enrol_s.pk).plan_item.status == "in_progress"
    change = AccessLogEntry.all_tenants.get(actor_user_id=vendor_member.pk, action="change")
    assert (change.municipality_id, change.citizen_id, change.what) == (municipality.pk, sara.pk,
                                                                        "groups.attendance")


def test_bad_attendance_from_the_vendor_page_is_refused_in_danish_with_nothing_written(
        teacher, municipality, vendor, vendor_member, clock):
    club = _taught(teacher, municipality, vendor)
    sara = citizen(municipality)
    enrolment = services.join(actor=sara.user, citizen=sara, group_id=club.pk)
    session = Session.all_tenants.filter(group=club).order_by("starts_at").first()
    clock.now = session.starts_at
    response = client_for(vendor_member).post(
        nurl("groups:vendor_attendance", group_id=club.pk, session_id=session.pk),
        {f"status-{enrolment.pk}": "sick", f"note-{enrolment.pk}": "x" * 301})
    assert response.status_code == 422
    assert "Vælg mødt, udeblevet eller afbud." in _text(response) and "Skriv højst 300 tegn." in _text(response)
    assert Attendance.all_tenants.exclude(status="").count() == 0


def test_a_member_of_another_vendor_gets_404(teacher, municipality, vendor, member, clock):
    club = _taught(teacher, municipality, vendor)
    session = Session.all_tenants.filter(group=club).order_by("starts_at").first()
    clock.now = session.starts_at
    rival = market.vendor_user(member, market.vendor("Andet Kursus ApS"))
    browser = client_for(rival)
    assert browser.get(nurl("groups:vendor_group", group_id=club.pk)).status_code == 404
    url = nurl("groups:vendor_attendance", group_id=club.pk, session_id=session.pk)
    assert browser.get(url).status_code == 404
    assert browser.post(url, {}).status_code == 404
    assert "Jobklub Aarhus" not in _text(browser.get(nurl("groups:vendor_list")))
    assert not AccessLogEntry.all_tenants.filter(actor_user_id=rival.pk).exists()


def test_a_vendor_not_named_on_the_group_gets_404(teacher, municipality, vendor_member):
    club = group(teacher, municipality)  # taught by staff only
    assert client_for(vendor_member).get(nurl("groups:vendor_group", group_id=club.pk)).status_code == 404
    assert "Jobklub Aarhus" not in _text(client_for(vendor_member).get(nurl("groups:vendor_list")))


def test_a_vendor_gets_404_for_another_municipalitys_group_it_does_not_teach(
        teacher, municipality, other_municipality, vendor, vendor_member, member, clock):
    from jobunivers.tenancy.roles import Role

    _taught(teacher, municipality, vendor)  # it teaches in Aarhus
    kbh_teacher = member(Role.JOB_ADVISER, other_municipality)
    other = group(kbh_teacher, other_municipality, title="Jobklub København")
    session = Session.all_tenants.filter(group=other).order_by("starts_at").first()
    clock.now = session.starts_at
    browser = client_for(vendor_member)
    assert browser.get(nurl("groups:vendor_group", group_id=other.pk)).status_code == 404
    assert browser.get(nurl("groups:vendor_attendance", group_id=other.pk, session_id=session.pk)).status_code == 404
    # nor a meeting of another group under the id of the group it teaches
    mine = Group.all_tenants.get(vendor=vendor)
    assert browser.get(nurl("groups:vendor_attendance", group_id=mine.pk, session_id=session.pk)).status_code == 404
    # and the staff pages stay closed to it, under either municipality's prefix
    for place in (municipality, other_municipality):
        assert browser.get(murl(place, "groups:staff_group", group_id=mine.pk)).status_code in (403, 404)
