"""The diagnosis on the start page, "Hvorfor ser jeg dette?", answering a step, the market page, and
staff's access-logged view on the citizen page."""

import pytest

from jobunivers.advice.models import StepResponse
from jobunivers.advice.tests.helpers import (
    RANDERS,
    complete,
    log_entry,
    occupation,
    postings,
    seeker,
    store_diagnoses,
)
from jobunivers.core.testing import client_for, murl

pytestmark = pytest.mark.django_db


@pytest.fixture
def carpenter(world):
    carpenter, joiner = occupation("Tømrer"), occupation("Bygningssnedker")
    citizen = seeker(world.home, user=world.users["citizen"], occupations=[carpenter])
    from jobunivers.citizens.models import Citizen

    Citizen.all_tenants.filter(pk=citizen.pk).update(welcome_seen_at="2026-01-01T00:00Z",
                                                      onboarding_completed_at="2026-01-01T00:00Z")
    complete(citizen)
    log_entry(citizen, days_ago=2)
    postings(2, carpenter)
    postings(10, carpenter, at=RANDERS, employer="Randers Byg")
    postings(6, joiner, employer="Snedkeriet")
    return citizen


def test_the_start_page_leads_with_the_main_sentence_and_steps(carpenter, world):
    # given a stored diagnosis
    store_diagnoses([carpenter.pk])
    # when the citizen opens their page
    page = client_for(carpenter.user).get(murl(world.home, "citizens:home")).content.decode()
    # then the main sentence names the occupation and the neighbour, before the plan
    sentence = "Der er få job som Tømrer tæt på dig — overvej at søge bredere geografisk eller som Bygningssnedker."
    assert sentence in page
    assert page.index(sentence) < page.index('id="next-steps"')
    assert "Se job som Tømrer inden for 50 km" in page
    assert "Hvorfor ser jeg dette?" in page


def test_without_a_stored_diagnosis_the_page_computes_one_and_stores_nothing(carpenter, world):
    from jobunivers.advice.models import Diagnosis

    page = client_for(carpenter.user).get(murl(world.home, "citizens:home")).content.decode()
    assert "Der er få job som Tømrer tæt på dig" in page
    assert Diagnosis.all_tenants.count() == 0


def test_why_explains_criterion_by_criterion(carpenter, world):
    store_diagnoses([carpenter.pk])
    page = client_for(carpenter.user).get(murl(world.home, "advice:why")).content.decode()
    assert "Åbne job i dine stillingsbetegnelser inden for 25 km: 2 (færre end 5 tæller som få)." in page
    assert "fører aldrig til en sanktion" in page
    assert "køn" in page  # it says gender and origin are never used


def test_marking_a_step_done_hides_it_and_shows_it_as_answered(carpenter, world):
    store_diagnoses([carpenter.pk])
    client = client_for(carpenter.user)
    response = client.post(murl(world.home, "advice:answer"), {
        "module": "few_jobs_nearby", "step": "search_wider", "answer": "done", "next": "/aarhus/min-side/diagnose/"})
    assert response.status_code == 302
    assert StepResponse.all_tenants.get().answer == "done"
    page = client.get(murl(world.home, "advice:why")).content.decode()
    assert "Se job som Tømrer inden for 50 km: udført" in page


def test_an_unknown_module_is_refused_with_a_danish_message(carpenter, world):
    client = client_for(carpenter.user)
    response = client.post(murl(world.home, "advice:answer"),
                           {"module": "nope", "step": "x", "answer": "done"}, follow=True)
    assert "Ukendt skridt." in response.content.decode()
    assert StepResponse.all_tenants.count() == 0


def test_the_market_page_suppresses_small_numbers(carpenter, world):
    page = client_for(carpenter.user).get(murl(world.home, "advice:market")).content.decode()
    assert "færre end 5" in page  # 2 open carpenter jobs
    assert "Bygningssnedker" in page and "Snedkeriet" not in page  # neighbour shown; employers only in own occupations
    assert 'role="img"' in page and "<table" in page


def test_the_market_page_without_occupations_says_what_to_do(world):
    citizen = seeker(world.home, user=world.users["citizen"], occupations=[])
    page = client_for(citizen.user).get(murl(world.home, "advice:market")).content.decode()
    assert "Vælg de stillinger" in page


def test_staff_see_the_diagnosis_on_the_citizen_page_and_it_is_logged(carpenter, world):
    from jobunivers.audit.models import AccessLogEntry

    store_diagnoses([carpenter.pk])
    consultant = world.users["personal_consultant"]
    page = client_for(consultant).get(murl(world.home, "caseworker:citizen", citizen_id=carpenter.pk)).content.decode()
    assert "Der er få job som Tømrer tæt på dig" in page
    assert AccessLogEntry.all_tenants.filter(citizen_id=carpenter.pk, what="personal diagnosis").count() == 1


@pytest.mark.parametrize("name", ["advice:why", "advice:market"])
def test_staff_cannot_open_citizen_pages(world, name):
    for role in ("personal_consultant", "job_adviser", "municipality_admin"):
        assert client_for(world.users[role]).get(murl(world.home, name)).status_code in (403, 404)


def test_the_market_page_lists_employers_likely_to_hire_through_the_employers_contract(carpenter, world):
    # given the employers app has indexed the postings (as it does from PostingsPublished)
    from jobunivers.employers.services import organisations_index
    from jobunivers.jobs.models import JobPosting

    organisations_index(posting_ids=list(JobPosting.objects.values_list("pk", flat=True)))
    # when the citizen opens the market page
    page = client_for(carpenter.user).get(murl(world.home, "advice:market")).content.decode()
    # then the employer with carpenter postings within the radius is there with its reason
    section = page[page.index('id="likely"'):page.index('id="neighbours"')]
    assert "Eksempel Byg ApS" in section and "har slået 2 stillinger" in section
    assert "Randers Byg" not in section  # 37 km away: outside the 25 km radius


def test_the_months_chart_names_the_months_in_danish_and_in_english(carpenter, world):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    first = datetime.date(today.year, today.month, 1)
    client = client_for(carpenter.user)
    page = client.get(murl(world.home, "advice:market")).content.decode()
    start = page.index('<svg class="jobunivers-chart"')
    chart = page[start:page.index("</svg>", start)]
    danish = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
              "november", "december"][first.month - 1]
    assert f">{danish} {first.year}</text>" in chart
    assert f"{first.month:02d}.{first.year}" not in chart
    client.cookies["jobunivers_language"] = "en"
    english = client.get(murl(world.home, "advice:market")).content.decode()
    assert f">{first.strftime('%B')} {first.year}</text>" in english
