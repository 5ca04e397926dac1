"""Booking at phone width (390 px): a citizen books a 15-minute video conversation about a job they
saved and gets the invitation in the outbox; staff write and share minutes; the agreed activity is
in the citizen's plan. axe-core runs on every page."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.booking.models import Booking, Minutes
from jobunivers.booking.tests.factories import hours
from jobunivers.citizens.models import PlanItem, SavedJob
from jobunivers.matching.tests.helpers import posting
from jobunivers.notifications.models import OutboxMessage
from jobunivers.tenancy.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_citizen_books_a_video_conversation_about_a_saved_job_and_staff_share_minutes(
        page, visit, axe, sign_in_as, municipality, member):
    # given an adviser with hours, and a citizen who saved a job
    page.set_viewport_size(PHONE)
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Aisha", last_name="Johansen")
    hours(municipality, adviser)
    citizen_user = member(Role.CITIZEN, municipality, first_name="Ida", last_name="Holm")
    citizen = citizen_user.citizen
    job = posting("Tømrer til renovering")
    SavedJob.all_tenants.create(municipality=municipality, citizen=citizen, posting=job)
    prefix = f"/{municipality.slug}"

    # when the citizen books a video conversation about the saved job at the first free time
    sign_in_as(page, citizen_user, municipality)
    assert visit(page, f"{prefix}/samtaler/book/?kanal=video").status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Et job, jeg har gemt").check()
    page.get_by_label("Hvilket job?").select_option(str(job.pk))
    page.locator("input[name='slot']").first.check()
    page.get_by_role("button", name="Book samtalen").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)

    # then the conversation is booked for 15 minutes by video, with its invitation in the outbox
    booking = Booking.all_tenants.get(citizen=citizen)
    assert (booking.channel, booking.purpose, booking.posting_id) == ("video", "job", job.pk)
    assert booking.ends_at - booking.starts_at == datetime.timedelta(minutes=15)
    assert page.locator("h1").inner_text() == "Din samtale"
    assert OutboxMessage.all_tenants.filter(recipient=citizen_user, subject_key=f"booking:{booking.pk}:0").exists()

    # when the adviser writes minutes with one agreed activity and shares them
    sign_in_as(page, adviser, municipality)
    assert visit(page, f"{prefix}/medarbejder/samtaler/borger/{citizen.pk}/referat/").status == 200
    due = timezone.localdate() + datetime.timedelta(days=14)
    page.get_by_label("Hvad vi talte om").fill("Ansøgning til tømrerjobbet og CV")
    page.get_by_label("Aftalt aktivitet 1").fill("Send ansøgning til tømrerjobbet")
    page.get_by_label("Frist for aktivitet 1").fill(due.isoformat())
    page.get_by_role("button", name="Del med borgeren").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)

    # then the minutes are shared and the agreed activity is in the plan, agreed with the job centre
    assert Minutes.all_tenants.get(citizen=citizen).status == "shared"
    item = PlanItem.all_tenants.get(citizen=citizen, title="Send ansøgning til tømrerjobbet")
    assert (item.agreed_with_job_centre, item.due_on) == (True, due)

    # and the citizen reads them on a phone
    sign_in_as(page, citizen_user, municipality)
    minutes = Minutes.all_tenants.get(citizen=citizen)
    assert visit(page, f"{prefix}/samtaler/referater/{minutes.pk}/").status == 200
    assert "Send ansøgning til tømrerjobbet" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
