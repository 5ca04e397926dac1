"""A new citizen's first steps: welcome, questionnaire, profile with two occupations, a plan
activity, an application logged from a job ad, and the weekly count. axe-core on every page."""

import re

import pytest

from jobunivers.tenancy.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_new_citizen_completes_onboarding_profile_plan_and_job_log(page, visit, axe, sign_in_as, municipality,
                                                                     member):
    from jobunivers.citizens import services
    from jobunivers.citizens.models import Citizen, JobLogEntry, PlanItem, Profile
    from jobunivers.citizens.tests.helpers import make_occupation, make_posting

    # given a new citizen, two occupations in the taxonomy and a job ad they saved from the job page
    user = member(Role.CITIZEN, municipality, first_name="Nanna", last_name="Ny")
    citizen = Citizen.all_tenants.get(user=user)
    make_occupation("Truckfører", "8344")
    make_occupation("Lagerarbejder", "9333")
    posting = make_posting(title="Lagermedarbejder til Skejby", employer_name="Salling Group")
    services.job_save(actor=user, citizen=citizen, posting_id=posting.pk)
    prefix = f"/{municipality.slug}"

    # when they sign in the first time, they are welcomed with their rights and duties
    sign_in_as(page, user, municipality)
    page.goto(f"{prefix}/min-side/")
    assert page.url.endswith("/min-side/velkommen/")
    assert page.get_by_role("heading", name="Dine rettigheder og pligter").count() == 1
    axe(page)
    page.get_by_role("button", name="Fortsæt til spørgsmålene").click()

    # and they answer the questionnaire
    assert page.url.endswith("/min-side/spoergeskema/")
    axe(page)
    page.locator("input[name='self_assessed_chances'][value='4']").check()
    page.get_by_label("Hvor mange uger tror du, der går, før du har et job?").fill("10")
    page.locator("input[name='job_search_confidence'][value='3']").check()
    page.get_by_label("Jeg bruger digitale løsninger uden hjælp").check()
    page.get_by_label("Virtuelt (video eller telefon)").check()
    page.get_by_label("Transport eller afstand").check()
    page.get_by_role("button", name="Gem svar").click()
    assert page.get_by_text("Dine svar er gemt").count() == 1
    assert page.get_by_text("Transport eller afstand").count() == 1
    axe(page)

    # and they build a profile with two occupations through the typeahead
    visit(page, f"{prefix}/min-side/profil/")
    for query, label in (("truck", "Truckfører"), ("lager", "Lagerarbejder")):
        page.get_by_label("Find en stilling").fill(query)
        page.get_by_role("button", name="Søg", exact=True).click()
        page.get_by_role("button", name=f"Tilføj {label}").click()
        page.wait_for_load_state("domcontentloaded")
    axe(page)
    occupations = page.locator("#occupations ul li")
    assert occupations.count() == 2
    assert sorted(o.preferred_label for o in Profile.all_tenants.get(citizen=citizen).occupations.all()) == [
        "Lagerarbejder", "Truckfører"]

    # and they add an activity to their plan
    visit(page, f"{prefix}/min-side/plan/")
    page.get_by_label("Titel").fill("Ring til tre vognmænd")
    page.get_by_role("button", name="Tilføj til plan").click()
    assert page.get_by_role("link", name="Ring til tre vognmænd").count() == 1
    axe(page)
    page.get_by_role("link", name="Ring til tre vognmænd").click()
    axe(page)

    # and they log the application from the saved job ad on their start page
    visit(page, f"{prefix}/min-side/")
    page.get_by_role("button", name="Jeg har søgt »Lagermedarbejder til Skejby«").click()
    assert page.get_by_text("Din ansøgning er tilføjet din joblog.").count() == 1
    axe(page)

    # then the job log shows the entry and the weekly count
    visit(page, f"{prefix}/min-side/joblog/")
    assert re.search(r"Denne uge: 1 ansøgning\b", page.locator("#this-week").inner_text())
    assert page.get_by_role("cell", name="Salling Group").count() == 1
    entry = JobLogEntry.all_tenants.get(citizen=citizen)
    assert (entry.posting_id, entry.how_applied) == (posting.pk, "platform")
    assert PlanItem.all_tenants.filter(citizen=citizen).count() == 2  # the intro meeting and their own activity
    visit(page, f"{prefix}/min-side/profil/cv/udskriv/")


def test_administrator_edits_welcome_intro_package_and_plan_template(page, visit, axe, sign_in_as, municipality,
                                                                     member):
    from jobunivers.tenancy.roles import Role as Roles

    # given the municipality's administrator
    admin = member(Roles.MUNICIPALITY_ADMIN, municipality, first_name="Ada", last_name="Admin")
    citizen = member(Roles.CITIZEN, municipality, first_name="Carl", last_name="Citizen")
    prefix = f"/{municipality.slug}"
    sign_in_as(page, admin, municipality)
    # when they write their own introduction, add an intro video and a search agreement template
    visit(page, f"{prefix}/administration/velkomst/")
    page.get_by_label("Hvad Jobunivers er (dansk)").fill("Velkommen til Jobcenter Aarhus' digitale univers.")
    page.get_by_role("button", name="Gem velkomsttekster").click()
    assert page.get_by_text("Velkomstteksterne er gemt.").count() == 1
    axe(page)
    page.get_by_role("link", name="Tilføj til intropakken").click()
    axe(page)
    page.get_by_label("Titel").fill("Sådan søger du job i Aarhus")
    page.get_by_label("Adresse").fill("https://www.aarhus.dk/")
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("link", name="Tilføj en planskabelon").click()
    axe(page)
    page.get_by_label("Titel").fill("Søgeaftale: 2 ansøgninger om ugen i 3 måneder")
    page.get_by_label("Type").select_option("search_agreement")
    page.get_by_role("button", name="Gem").click()
    assert page.locator(".form-error-message").count() == 1  # a search agreement needs a weekly number
    axe(page)
    page.get_by_label("Ansøgninger om ugen").fill("2")
    page.get_by_label("Varighed (uger)").fill("13")
    page.get_by_role("button", name="Gem").click()
    assert page.get_by_role("link", name="Søgeaftale: 2 ansøgninger om ugen i 3 måneder").count() == 1
    # then a citizen sees the text and the intro package, and can take the template into their plan
    page.context.clear_cookies()
    sign_in_as(page, citizen, municipality)
    visit(page, f"{prefix}/min-side/velkommen/")
    assert page.get_by_text("Velkommen til Jobcenter Aarhus' digitale univers.").count() == 1
    page.get_by_role("button", name="Kryds »Sådan søger du job i Aarhus« af").click()
    assert page.get_by_text("✓ Udført").count() == 1
    axe(page)
    visit(page, f"{prefix}/min-side/plan/")
    page.get_by_role("button", name="Tilføj fra skabelon").click()
    assert page.get_by_text("2 ansøgninger om ugen").count() >= 1
    axe(page)
