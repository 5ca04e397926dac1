"""Courses and job clubs at phone width (390 px): a citizen joins a job club, and a full one puts her on the
waiting list; the teacher records her attendance at a meeting that has begun; the citizen sees it on the
group's page and in her plan. axe-core runs on every page; screenshots in /tmp/groups-*.png."""

import datetime
import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_citizen_joins_a_job_club_and_sees_her_attendance_in_the_plan(page, browser, live_server, visit, axe,
                                                                       sign_in_as, municipality, member):
    from django.utils import timezone

    from jobunivers.citizens.models import Citizen, PlanItem
    from jobunivers.groups.models import Attendance, Enrolment, Session
    from jobunivers.groups.services import join
    from jobunivers.groups.tests.helpers import citizen, group
    from jobunivers.tenancy.roles import Role

    # given a job club with two coming meetings, and a full one (its one place taken by Anna)
    teacher = member(Role.JOB_ADVISER, municipality, first_name="Tina", last_name="Underviser")
    club = group(teacher, municipality, title="Jobklub Aarhus", capacity=5)
    full = group(teacher, municipality, title="Jobklub Fuld", capacity=1, sessions=1)
    anna = citizen(municipality, "Anna", "Andersen")
    join(actor=anna.user, citizen=anna, group_id=full.pk)
    sara = citizen(municipality, "Sara", "Jensen")
    Citizen.all_tenants.filter(pk=sara.pk).update(welcome_seen_at=timezone.now(),
                                                  onboarding_completed_at=timezone.now())
    prefix = f"/{municipality.slug}"

    # when Sara opens the courses and job clubs on her phone and joins the club
    page.set_viewport_size(PHONE)
    sign_in_as(page, sara.user, municipality)
    assert visit(page, f"{prefix}/min-side/hold/").status == 200
    _fits(page)
    page.screenshot(path="/tmp/groups-list-390.png", full_page=True)
    page.get_by_role("link", name="Jobklub Aarhus").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fits(page)
    page.get_by_label("Jobcentret må se mit fremmøde og underviserens noter").check()
    page.get_by_role("button", name=re.compile(r"^Tilmeld dig\s*: Jobklub Aarhus$")).click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_text("Du er tilmeldt. Møderne står i din plan.").is_visible()
    axe(page)
    _fits(page)
    page.screenshot(path="/tmp/groups-joined-390.png", full_page=True)

    # and tries the full club: she goes on its waiting list, not an error
    assert visit(page, f"{prefix}/min-side/hold/{full.pk}/").status == 200
    assert page.get_by_text("Holdet er fuldt. Tilmelder du dig").is_visible()
    page.get_by_role("button", name=re.compile(r"^Skriv mig på ventelisten\s*: Jobklub Fuld$")).click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_text("Du er nummer 1 på ventelisten.").is_visible()
    axe(page)
    _fits(page)
    page.screenshot(path="/tmp/groups-waiting-390.png", full_page=True)
    assert dict(Enrolment.all_tenants.filter(citizen=sara).values_list("group_id", "status")) == {
        club.pk: "enrolled", full.pk: "waiting"}

    # then the first meeting begins (moved to an hour ago) and the teacher, on a phone too, records attendance
    session = Session.all_tenants.filter(group=club).order_by("starts_at").first()
    now = timezone.now()
    Session.all_tenants.filter(pk=session.pk).update(starts_at=now - datetime.timedelta(hours=1),
                                                     ends_at=now + datetime.timedelta(hours=1))
    context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport=PHONE)
    teacher_page = context.new_page()
    sign_in_as(teacher_page, teacher, municipality)
    assert visit(teacher_page, f"{prefix}/medarbejder/hold/{club.pk}/").status == 200
    _fits(teacher_page)
    teacher_page.screenshot(path="/tmp/groups-teacher-390.png", full_page=True)
    teacher_page.get_by_role("link", name=re.compile(r"^Registrér fremmøde")).first.click()
    teacher_page.wait_for_load_state("domcontentloaded")
    axe(teacher_page)
    _fits(teacher_page)
    enrolment = Enrolment.all_tenants.get(citizen=sara, group=club)
    teacher_page.locator(f"#deltager-{enrolment.pk}").get_by_label("Mødt").check()
    teacher_page.get_by_label("Kort note (deltageren kan se den)").fill("Delte gode råd om netværk")
    teacher_page.screenshot(path="/tmp/groups-attendance-390.png", full_page=True)
    teacher_page.get_by_role("button", name="Gem fremmøde").click()
    teacher_page.wait_for_load_state("domcontentloaded")
    assert teacher_page.get_by_text("Fremmødet er registreret").is_visible()
    axe(teacher_page)
    context.close()
    row = Attendance.all_tenants.get(enrolment=enrolment, session=session)
    assert (row.status, row.note) == ("attended", "Delte gode råd om netværk")

    # and Sara sees it on the club's page and in her plan: the meeting done, the club in progress
    assert visit(page, f"{prefix}/min-side/hold/{club.pk}/").status == 200
    assert page.get_by_text("Fremmøde: Mødt").is_visible()
    assert page.get_by_text("Delte gode råd om netværk").is_visible()
    assert sorted(PlanItem.all_tenants.filter(citizen=sara).values_list("item_type", "status")) == [
        ("meeting", "done"), ("meeting", "planned"), ("own_activity", "in_progress")]
    assert visit(page, f"{prefix}/min-side/plan/").status == 200
    _fits(page)
    page.screenshot(path="/tmp/groups-plan-390.png", full_page=True)
    assert page.get_by_text("Jobklub: Jobklub Aarhus").first.is_visible()
