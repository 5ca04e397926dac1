"""The staff's, the administrator's and the employer's main pages at phone width (390 × 844),
with axe-core (WCAG 2.1 AA) on each, nothing wider than the screen, and one h1 per page."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.caseworker.tests.factories import ConversationFactory, PushFactory
from jobunivers.segmentation.models import ConsultantAssignment
from jobunivers.segmentation.tests.factories import suggestion
from jobunivers.tenancy.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def _check_phone_page(page, visit, path: str) -> None:
    response = visit(page, path)
    assert response.status == 200, path
    assert page.locator("h1").count() == 1, path
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide"


@pytest.fixture
def citizen_with_a_case(municipality, member):
    citizen_user = member(Role.CITIZEN, municipality, first_name="Ida", last_name="Holm")
    citizen = citizen_user.citizen
    suggestion(citizen, tags=["high_self_assessment", "recent_job"])
    today_at_ten = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(10)))
    ConversationFactory(citizen=citizen, summoned_by=None, starts_at=today_at_ten)
    return citizen


def test_job_adviser_pages_on_a_phone(phone, visit, sign_in_as, municipality, member, citizen_with_a_case):
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Aisha", last_name="Johansen")
    sign_in_as(phone, adviser, municipality)
    prefix = f"/{municipality.slug}"
    for path in ("/medarbejder/", "/medarbejder/dagens-samtaler/",
                 f"/medarbejder/borgere/{citizen_with_a_case.pk}/", "/segmentering/"):
        _check_phone_page(phone, visit, prefix + path)
    assert "Ida Holm" in phone.content()


def test_personal_consultant_pages_on_a_phone(phone, visit, sign_in_as, municipality, member, citizen_with_a_case):
    consultant = member(Role.PERSONAL_CONSULTANT, municipality, first_name="Karen", last_name="Konsulent")
    ConsultantAssignment.all_tenants.create(municipality=municipality, citizen=citizen_with_a_case,
                                            consultant=consultant, started_at=timezone.now(), reason="test")
    sign_in_as(phone, consultant, municipality)
    prefix = f"/{municipality.slug}"
    for path in ("/medarbejder/", "/medarbejder/mine-borgere/", f"/medarbejder/borgere/{citizen_with_a_case.pk}/",
                 f"/medarbejder/borgere/{citizen_with_a_case.pk}/overblik/"):
        _check_phone_page(phone, visit, prefix + path)


def test_job_journey_assistant_pages_on_a_phone(phone, visit, sign_in_as, municipality, member, citizen_with_a_case):
    assistant = member(Role.JOB_JOURNEY_ASSISTANT, municipality, first_name="Jonas", last_name="Lund")
    PushFactory(municipality=municipality, sent_by=assistant, title="Jobmesse i Aarhus", recipient_count=1)
    sign_in_as(phone, assistant, municipality)
    prefix = f"/{municipality.slug}"
    for path in ("/medarbejder/", "/medarbejder/overblik/", "/medarbejder/population/", "/medarbejder/find-borgere/",
                 "/medarbejder/udsendelser/"):
        _check_phone_page(phone, visit, prefix + path)


def test_municipality_administrator_pages_on_a_phone(phone, visit, sign_in_as, municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality, first_name="Ada", last_name="Admin")
    sign_in_as(phone, admin, municipality)
    prefix = f"/{municipality.slug}"
    for path in ("/administration/", "/administration/velkomst/"):
        _check_phone_page(phone, visit, prefix + path)


def test_employer_pages_on_a_phone(phone, visit, sign_in_as, member):
    employer = member(Role.EMPLOYER, None, first_name="Erik", last_name="Arbejdsgiver")
    employer.memberships.update(organisation="Eksempel Byg ApS")
    sign_in_as(phone, employer)
    for path in ("/employer/", "/employer/job/ny/"):
        _check_phone_page(phone, visit, path)
