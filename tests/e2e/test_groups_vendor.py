"""A vendor who teaches a course (issue 18, ADR 0120) at 390 px: its list of groups, the group with its
meetings and the participants' names, and attendance with a short note. axe-core runs on every page."""

import pytest

from jobunivers.groups import services
from jobunivers.groups.models import Attendance, Session
from jobunivers.groups.tests.helpers import citizen, group
from jobunivers.marketplace.tests import factories
from jobunivers.tenancy.roles import Role

from .screens import PHONE, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_vendor_member_records_attendance_on_a_phone(page, visit, axe, sign_in_as, municipality, member):
    vendor = factories.vendor("Kursushuset ApS")
    factories.vendor_course(vendor, municipality)
    teacher = member(Role.JOB_ADVISER, municipality, first_name="Tina", last_name="Underviser")
    course = group(teacher, municipality, kind="course", title="Truckkursus", capacity=4)
    services.group_update(actor=teacher, group=course, title=course.title, description="", capacity=4,
                          status="open", vendor_id=vendor.pk)
    sara = citizen(municipality)
    enrolment = services.join(actor=sara.user, citizen=sara, group_id=course.pk)
    first = Session.all_tenants.filter(group=course).order_by("starts_at").first()
    Session.all_tenants.filter(pk=first.pk).update(starts_at=first.starts_at.replace(year=2020),
                                                   ends_at=first.ends_at.replace(year=2020))
    vendor_user = factories.vendor_user(member, vendor)
    page.set_viewport_size(PHONE)

    sign_in_as(page, vendor_user)
    assert visit(page, "/leverandoer/hold/").status == 200
    page.get_by_role("link", name="Truckkursus").first.click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert "Sara Jensen" in page.content()
    screenshot(page, "groups-vendor-group")
    page.get_by_role("link", name="Registrér fremmøde").first.click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    page.get_by_label("Mødt").check()
    page.get_by_label("Kort note (deltageren kan se den)").fill("Godt i gang")
    screenshot(page, "groups-vendor-attendance")
    page.get_by_role("button", name="Gem fremmøde").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    row = Attendance.all_tenants.get(enrolment=enrolment, session_id=first.pk)
    assert (row.status, row.note, row.recorded_by_id) == ("attended", "Godt i gang", vendor_user.pk)
