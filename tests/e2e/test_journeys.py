"""Journeys at phone width (390 px): a municipality administrator builds a journey with two steps (a message and
a feedback question) and a two-arm experiment with a holdout, and publishes it; the engine runs (as Celery beat
would) and the citizens on the track receive the steps; a citizen sees "Mit forløb", opens the feedback question
from the inbox and answers it; the administrator opens the experiment's results with the assignment counts and
the sample-ratio check, the time the stored result was computed, and has it computed again ("Beregn igen").
axe-core runs on every page."""

import pytest
from django.db.models import Count
from django.utils import formats, timezone, translation

from jobunivers.citizens.models import Citizen
from jobunivers.feedback.models import PulseAnswer
from jobunivers.journeys import engine
from jobunivers.journeys.models import Assignment, Enrolment, Experiment, ResultSnapshot, StepRun
from jobunivers.journeys.tests.factories import on_track
from jobunivers.segmentation.tests.factories import tracks
from jobunivers.tenancy.roles import Role

from .screens import horizontal_overflow, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _fill(page, label: str, value: str) -> None:
    page.get_by_label(label, exact=True).fill(value)


def _build_journey(page, visit, axe, municipality):
    prefix = f"/{municipality.slug}"
    assert visit(page, f"{prefix}/medarbejder/forloeb/").status == 200
    page.get_by_role("link", name="Nyt forløb").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fill(page, "Navn", "Velkommen som jobsøgende")
    _fill(page, "Hvorfor borgerne er på det (vises for dem)", "Du er ny som jobsøgende, så vi sender dig nogle råd.")
    page.get_by_label("Opfølgningsspor", exact=True).select_option(label=tracks(municipality)[1].name_da)
    page.get_by_role("button", name="Opret forløbet").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    for kind, title in (("Send en besked", "Velkommen"), ("Bed om en tilbagemelding", "Hvordan går det?")):
        page.get_by_role("link", name="Tilføj et trin").click()
        page.wait_for_load_state("domcontentloaded")
        axe(page)
        page.get_by_label("Hvad trinnet gør", exact=True).select_option(label=kind)
        _fill(page, "Titel", title)
        _fill(page, "Ventetid før trinnet (dage)", "0")
        page.get_by_role("button", name="Gem trinnet").click()
        page.wait_for_load_state("domcontentloaded")
    # a negative wait is refused in Danish
    page.get_by_role("link", name="Tilføj et trin").click()
    page.wait_for_load_state("domcontentloaded")
    _fill(page, "Titel", "Forkert")
    _fill(page, "Ventetid før trinnet (dage)", "-1")
    page.get_by_role("button", name="Gem trinnet").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_text("Ventetiden skal være fra 0 til 365 dage; den kan ikke være negativ.").count() == 1
    axe(page)
    page.get_by_role("link", name="Tilbage til forløbet").click()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("link", name="Tilføj et eksperiment").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fill(page, "Eksperimentets nøgle", "velkomst-e2e")
    page.get_by_label("Navn", exact=True).fill("Kort eller personlig velkomst")
    page.get_by_label("Hvad der testes", exact=True).select_option(label="Trin 1: Velkommen")
    _fill(page, "Kontrolgruppe (procent, der ikke får forløbet)", "10")
    _fill(page, "Arm 1: navn", "Kort")
    _fill(page, "Arm 1: trinnets titel", "Velkommen – kom i gang")
    _fill(page, "Arm 2: navn", "Personlig")
    _fill(page, "Arm 2: vægt (procent)", "40")
    _fill(page, "Arm 2: trinnets titel", "Velkommen – vi hjælper dig")
    page.get_by_role("button", name="Gem eksperimentet").click()
    page.wait_for_load_state("domcontentloaded")
    # weights of 50 and 40 do not add up to 100: the page says so, and nothing is saved
    assert page.get_by_text("Armenes vægte skal tilsammen give 100 (de giver nu 90).").count() == 1
    assert Experiment.all_tenants.count() == 0
    axe(page)
    screenshot(page, "journeys-experiment-error")
    _fill(page, "Arm 2: vægt (procent)", "50")
    page.get_by_role("button", name="Gem eksperimentet").click()
    page.wait_for_load_state("domcontentloaded")
    page.get_by_role("button", name="Udgiv version 1").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert page.get_by_text("Version 1 er udgivet. Nye borgere på sporet starter på den.").count() == 1
    assert horizontal_overflow(page) <= 0
    screenshot(page, "journeys-admin-published")


def test_an_administrator_builds_a_two_arm_journey_citizens_get_steps_and_feedback_and_results_show(
        page, visit, axe, sign_in_as, municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality, first_name="Ada", last_name="Admin")
    citizens = [on_track(municipality) for _ in range(40)]
    Citizen.all_tenants.filter(pk__in=[c.pk for c in citizens]).update(welcome_seen_at=timezone.now(),
                                                                      onboarding_completed_at=timezone.now())
    page.set_viewport_size(PHONE)

    # given the administrator's journey
    sign_in_as(page, admin, municipality)
    _build_journey(page, visit, axe, municipality)

    # when the engine runs twice (step 1, then step 2 "ask for feedback")
    engine.enrol(municipality_id=municipality.pk)
    engine.advance(municipality_id=municipality.pk)
    engine.advance(municipality_id=municipality.pk)
    arms = dict(Enrolment.all_tenants.values_list("citizen_id", "arm"))
    assert set(arms.values()) == {"a", "b", "holdout"}
    in_arm = [c for c in citizens if arms[c.pk] != "holdout"]
    assert StepRun.all_tenants.filter(state="sent").count() == 2 * len(in_arm)

    # then a citizen in an arm sees the journey, and answers the feedback question from the inbox
    citizen = in_arm[0]
    page.context.clear_cookies()
    sign_in_as(page, citizen.user, municipality)
    assert visit(page, f"/{municipality.slug}/min-side/forloeb/").status == 200
    assert page.get_by_role("heading", name="Velkommen som jobsøgende").count() == 1
    assert page.get_by_text("Du er ny som jobsøgende, så vi sender dig nogle råd.", exact=False).count() == 1
    assert horizontal_overflow(page) <= 0
    screenshot(page, "journeys-mine")
    assert visit(page, f"/{municipality.slug}/beskeder/").status == 200
    notice = page.locator("li", has=page.get_by_role("heading", name="Hvordan gik det? Svar med ét tryk"))
    notice.get_by_role("button", name="Åbn beskeden").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert page.get_by_text("Hvor nyttigt var dette trin i dit forløb?").count() == 1
    page.get_by_label("4 Godt", exact=True).check()
    page.get_by_role("button", name="Send svar").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    answer = PulseAnswer.all_tenants.get(citizen=citizen)
    assert (answer.kind, answer.score, answer.service_label) == ("journey", 4, "Hvordan går det?")

    # and the administrator sees the assignment counts and the sample-ratio check
    page.context.clear_cookies()
    sign_in_as(page, admin, municipality)
    experiment = Experiment.all_tenants.get()
    assert visit(page, f"/{municipality.slug}/medarbejder/eksperimenter/{experiment.pk}/").status == 200
    counts = dict(Assignment.all_tenants.values("arm").annotate(n=Count("id")).values_list("arm", "n"))
    table = page.get_by_test_id("assignment")
    for arm, n in counts.items():
        assert table.locator(f"tr[data-arm='{arm}'] td").nth(1).inner_text() == str(n)
    assert page.get_by_test_id("srm-passed").count() == 1
    # and the page says when the result was computed (stored on this first view, ADR 0160)
    snapshot = ResultSnapshot.all_tenants.get()
    with translation.override("da"):
        when = formats.date_format(timezone.localtime(snapshot.computed_at), "DATETIME_FORMAT")
    assert f"Resultatet er beregnet {when}." in page.get_by_test_id("computed").inner_text()
    axe(page)
    assert horizontal_overflow(page) <= 0
    screenshot(page, "journeys-results")
    # when the administrator asks for it to be computed again (tasks run eagerly in tests)
    page.get_by_role("button", name="Beregn igen").click()
    page.wait_for_load_state("domcontentloaded")
    # then they are back on the results with an alert, and a new result is stored
    assert page.locator(".alert-success").filter(has_text="Resultatet bliver beregnet igen.").count() == 1
    assert ResultSnapshot.all_tenants.count() == 2
    assert page.get_by_test_id("srm-passed").count() == 1
    axe(page)
    assert horizontal_overflow(page) <= 0
    screenshot(page, "journeys-results-refreshed")


def test_an_administrator_words_step_2_for_one_arm_of_a_whole_journey_experiment_and_its_citizens_get_it(
        page, visit, axe, sign_in_as, municipality, member):
    from jobunivers.journeys.models import VariantText
    from jobunivers.journeys.tests.factories import journey, step

    from .screens import DESKTOP

    admin = member(Role.MUNICIPALITY_ADMIN, municipality, first_name="Ada", last_name="Admin")
    made, version = journey(municipality, admin, publish=False, steps=[
        step(title="Velkommen", body="Tre råd til din første uge."),
        step(title="Hvordan går det?", body="Fortæl os om din uge.")])
    citizens = [on_track(municipality) for _ in range(12)]
    Citizen.all_tenants.filter(pk__in=[c.pk for c in citizens]).update(welcome_seen_at=timezone.now(),
                                                                      onboarding_completed_at=timezone.now())
    page.set_viewport_size(PHONE)
    sign_in_as(page, admin, municipality)
    prefix = f"/{municipality.slug}"

    # given the administrator's whole-journey experiment, where arm 2 words step 2 in a personal tone
    assert visit(page, f"{prefix}/medarbejder/forloeb/{made.pk}/").status == 200
    page.get_by_role("link", name="Tilføj et eksperiment").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    _fill(page, "Eksperimentets nøgle", "tone-e2e")
    page.get_by_label("Navn", exact=True).fill("Neutral eller personlig tone")
    page.get_by_label("Hvad der testes", exact=True).select_option(
        label="Hele forløbet (armene ændrer ventetider og hvert trins tekst)")
    _fill(page, "Arm 1: navn", "Neutral")
    _fill(page, "Arm 2: navn", "Personlig")
    _fill(page, "Arm 2, trin 2: titel", "x" * 121)
    page.get_by_role("button", name="Gem eksperimentet").click()
    page.wait_for_load_state("domcontentloaded")
    # a title that is too long is refused in Danish on its field, and nothing is saved
    assert page.get_by_text("Skriv højst 120 tegn (du skrev 121).").count() == 1
    assert VariantText.all_tenants.count() == 0
    axe(page)
    _fill(page, "Arm 2, trin 2: titel", "Hej, vi tænker på dig")
    _fill(page, "Arm 2, trin 2: tekst", "Hvordan er din uge gået? Skriv til os, hvis vi kan hjælpe.")
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert horizontal_overflow(page) <= 0
        screenshot(page, "journeys-arm-texts-form")
    page.set_viewport_size(PHONE)
    page.get_by_role("button", name="Gem eksperimentet").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert page.get_by_text("egen formulering af trin 2").count() == 1
    page.get_by_role("button", name="Udgiv version 1").click()
    page.wait_for_load_state("domcontentloaded")

    # when the engine sends both steps
    engine.enrol(municipality_id=municipality.pk)
    engine.advance(municipality_id=municipality.pk)
    engine.advance(municipality_id=municipality.pk)
    arms = dict(Enrolment.all_tenants.values_list("citizen_id", "arm"))
    assert set(arms.values()) == {"a", "b"}

    # then a citizen in arm 2 reads the personal step 2 in the inbox, and a citizen in arm 1 the step's own
    for arm, title, other in (("b", "Hej, vi tænker på dig", "Hvordan går det?"),
                              ("a", "Hvordan går det?", "Hej, vi tænker på dig")):
        citizen = next(c for c in citizens if arms[c.pk] == arm)
        page.context.clear_cookies()
        sign_in_as(page, citizen.user, municipality)
        assert visit(page, f"{prefix}/beskeder/").status == 200
        # (an unread notice's heading starts with "Ulæst:" for screen readers)
        assert page.get_by_role("heading", name=title).count() == 1
        assert page.get_by_role("heading", name=other).count() == 0
        assert page.get_by_role("heading", name="Velkommen").count() == 1
        if arm == "b":
            screenshot(page, "journeys-arm-b-inbox")

    # and staff read what each arm says on the results page
    page.context.clear_cookies()
    sign_in_as(page, admin, municipality)
    experiment = Experiment.all_tenants.get()
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert visit(page, f"{prefix}/medarbejder/eksperimenter/{experiment.pk}/").status == 200
        wording = page.get_by_test_id("wording-b")
        assert wording.get_by_text("Hej, vi tænker på dig").count() == 1
        assert wording.get_by_text("Trin 2: Hvordan går det?").count() == 1
        assert horizontal_overflow(page) <= 0
        screenshot(page, "journeys-arm-texts-results")


def test_an_administrator_builds_a_three_arm_experiment_at_phone_width_and_results_list_each_arm(
        page, visit, axe, sign_in_as, municipality, member):
    """Issue 19: "variants x, y, z". Arm 3 is added with a plain submit button (no JavaScript needed), a sum
    that is not 100 is refused in Danish, Enter saves (never adds an arm), removing a step whose arm texts go
    with it asks first, and the results list the three arms and the holdout."""
    from jobunivers.journeys.models import Step, Variant, VariantText
    from jobunivers.journeys.tests.factories import journey, step

    admin = member(Role.MUNICIPALITY_ADMIN, municipality, first_name="Ada", last_name="Admin")
    made, version = journey(municipality, admin, publish=False, steps=[
        step(title="Velkommen", body="Tre råd til din første uge."),
        step(title="Hvordan går det?", body="Fortæl os om din uge.")])
    for _n in range(30):
        on_track(municipality)
    page.set_viewport_size(PHONE)
    sign_in_as(page, admin, municipality)
    prefix = f"/{municipality.slug}"

    # given the experiment form with its two arms
    assert visit(page, f"{prefix}/medarbejder/forloeb/{made.pk}/").status == 200
    page.get_by_role("link", name="Tilføj et eksperiment").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_label("Arm 3: nøgle", exact=True).count() == 0
    _fill(page, "Eksperimentets nøgle", "tre-toner-e2e")
    page.get_by_label("Navn", exact=True).fill("Neutral, personlig eller direkte tone")
    page.get_by_label("Hvad der testes", exact=True).select_option(
        label="Hele forløbet (armene ændrer ventetider og hvert trins tekst)")
    _fill(page, "Kontrolgruppe (procent, der ikke får forløbet)", "10")
    _fill(page, "Arm 1: navn", "Neutral")
    _fill(page, "Arm 1: vægt (procent)", "40")
    _fill(page, "Arm 2: navn", "Personlig")
    _fill(page, "Arm 2: vægt (procent)", "30")

    # when the administrator adds a third arm
    page.get_by_role("button", name="Tilføj en arm").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    # then the form comes back with arm 3 (key "c"), what was typed kept, and nothing saved yet
    assert page.get_by_label("Arm 3: nøgle", exact=True).input_value() == "c"
    assert page.get_by_label("Arm 1: navn", exact=True).input_value() == "Neutral"
    assert page.get_by_label("Kontrolgruppe (procent, der ikke får forløbet)", exact=True).input_value() == "10"
    assert page.get_by_role("button", name="Fjern arm 3").count() == 1
    assert Experiment.all_tenants.count() == 0
    _fill(page, "Arm 3: navn", "Direkte")
    _fill(page, "Arm 3: vægt (procent)", "20")
    _fill(page, "Arm 3, trin 2: titel", "Kort: hvordan går det?")
    assert horizontal_overflow(page) <= 0
    screenshot(page, "journeys-three-arms-form")
    page.get_by_role("button", name="Gem eksperimentet").click()
    page.wait_for_load_state("domcontentloaded")
    # weights 40 + 30 + 20 are refused in Danish, the third arm stays on the page, nothing is saved
    assert page.get_by_text("Armenes vægte skal tilsammen give 100 (de giver nu 90).").count() == 1
    assert page.get_by_label("Arm 3: navn", exact=True).input_value() == "Direkte"
    assert Experiment.all_tenants.count() == 0
    axe(page)
    screenshot(page, "journeys-three-arms-error")
    # Enter in a field saves the experiment (the hidden first submit button), it does not add a fourth arm
    weight = page.get_by_label("Arm 3: vægt (procent)", exact=True)
    weight.fill("30")
    weight.press("Enter")
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert list(Variant.all_tenants.order_by("key").values_list("key", "name", "weight")) == [
        ("a", "Neutral", 40), ("b", "Personlig", 30), ("c", "Direkte", 30)]
    assert list(VariantText.all_tenants.values_list("variant__key", "title")) == [("c", "Kort: hvordan går det?")]
    assert page.get_by_text("Direkte (c): 30 %", exact=False).count() == 1

    # removing step 2 names the arm text that would go with it; the administrator keeps the step
    page.get_by_role("button", name="Fjern Hvordan går det?").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert page.get_by_role("heading", name="Fjern trin 2, “Hvordan går det?”?").count() == 1
    assert page.get_by_test_id("arm-texts-warning").get_by_text("Direkte: “Kort: hvordan går det?”").count() == 1
    assert horizontal_overflow(page) <= 0
    screenshot(page, "journeys-step-delete-confirm")
    page.get_by_role("link", name="Behold trinnet og gå tilbage til forløbet").click()
    page.wait_for_load_state("domcontentloaded")
    assert Step.all_tenants.filter(version=version).count() == 2 and VariantText.all_tenants.count() == 1
    page.get_by_role("button", name="Udgiv version 1").click()
    page.wait_for_load_state("domcontentloaded")

    # and once citizens are assigned, the results page lists each arm and the holdout with its count
    engine.enrol(municipality_id=municipality.pk)
    counts = dict(Assignment.all_tenants.values("arm").annotate(n=Count("id")).values_list("arm", "n"))
    experiment = Experiment.all_tenants.get()
    assert visit(page, f"{prefix}/medarbejder/eksperimenter/{experiment.pk}/").status == 200
    table = page.get_by_test_id("assignment")
    for arm in ("holdout", "a", "b", "c"):
        assert table.locator(f"tr[data-arm='{arm}'] td").nth(1).inner_text() == str(counts.get(arm, 0))
    for key in ("a", "b", "c"):
        assert page.get_by_test_id(f"wording-{key}").count() == 1
    assert page.get_by_test_id("wording-c").get_by_text("Kort: hvordan går det?").count() == 1
    assert horizontal_overflow(page) <= 0
    screenshot(page, "journeys-three-arms-results")
