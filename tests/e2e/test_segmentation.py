"""The citizen's view of their suggested track, one-click disagreement, and the staff decision
page, in Chromium with axe-core on every state."""

import pytest

from jobunivers.segmentation.models import Decision, Disagreement
from jobunivers.segmentation.tests.factories import suggestion, tracks
from jobunivers.tenancy.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_citizen_sees_the_track_with_reasons_and_disagrees(page, visit, axe, sign_in_as, municipality, member):
    # given a citizen with a suggested track and its reasons
    citizen_user = member(Role.CITIZEN, municipality, first_name="Sara", last_name="Spor")
    suggestion(citizen_user.citizen, level=3, tags=["needs_digital_help", "long_previous_unemployment"])
    sign_in_as(page, citizen_user, municipality)
    # when she opens her track (axe runs on the page)
    visit(page, f"/{municipality.slug}/min-indsats/")
    # then she sees the suggestion and the reasons in plain Danish
    assert page.locator("h1").inner_text() == "Min indsats"
    assert page.get_by_test_id("suggested-track").inner_text() == "Personlig jobkonsulent fra start"
    reasons = page.get_by_test_id("reasons").inner_text()
    assert "Lang tidligere ledighed" in reasons
    assert "brug for hjælp til at bruge digitale værktøjer" in reasons
    # when she sends an empty disagreement, she gets a clear error (and the page stays accessible)
    page.get_by_role("button", name="Jeg er uenig").click()
    page.wait_for_load_state("domcontentloaded")
    assert "Dette felt skal udfyldes." in page.content()
    axe(page)
    # when she disagrees with a comment in one click
    page.get_by_label("Hvorfor er du uenig?").fill("Jeg klarer mig selv på nettet.")
    page.get_by_role("button", name="Jeg er uenig").click()
    page.wait_for_load_state("domcontentloaded")
    # then it is confirmed and a task for staff exists
    assert page.get_by_test_id("disagreement-sent").is_visible()
    axe(page)
    assert list(Disagreement.all_tenants.values_list("comment", flat=True)) == ["Jeg klarer mig selv på nettet."]


def test_staff_change_the_track_with_a_reason(page, visit, axe, sign_in_as, municipality, member):
    # given a pending suggestion and a job adviser
    citizen_user = member(Role.CITIZEN, municipality, first_name="Ole", last_name="Forslag")
    made = suggestion(citizen_user.citizen, level=1)
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Ane", last_name="Rådgiver")
    sign_in_as(page, adviser, municipality)
    # when the adviser opens the worklist and the suggestion (axe on both)
    visit(page, f"/{municipality.slug}/segmentering/")
    page.get_by_role("link", name="Ole Forslag").first.click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    # and changes the track with a reason
    page.locator("label", has_text="Selvbetjening med støtte fra en jobrådgiver").click()
    page.get_by_label("Begrundelse").fill("Borgeren ønsker korte samtaler.")
    page.get_by_role("button", name="Gem beslutningen").click()
    page.wait_for_load_state("domcontentloaded")
    # then the decision is saved as a change
    axe(page)
    decision = Decision.all_tenants.get(suggestion=made)
    assert decision.track_id == tracks(municipality)[2].pk and decision.changed is True


def test_public_algorithm_register_is_accessible_without_login(page, visit, municipality, member):
    # given an active model whose card has figures at the production thresholds
    from jobunivers.segmentation import riskmodel
    from jobunivers.segmentation.features import FEATURE_NAMES
    from jobunivers.segmentation.models import FairnessReview, RiskModelVersion
    from jobunivers.segmentation.simulator import simulate

    population = simulate(3000, seed=4)
    card = riskmodel.train_and_evaluate(
        population.features, population.still_unemployed, feature_names=list(FEATURE_NAMES),
        entry_times=population.registered_day.astype(float), event_times=population.outcome_day,
        groups={"gender": population.gender, "origin": population.origin, "age_band": population.age_band},
        model_kind="logistic", mitigate="age_band", compare=["origin"], bootstrap_rounds=100).card
    version = RiskModelVersion.objects.create(version=1, status="active", model_card={**card, "source": "test"},
                                              artifact=b"x", artifact_sha256="0", is_synthetic=True)
    # and a monthly review of the municipality's decided cases (the card's figures stand in for them)
    FairnessReview.objects.create(model_version=version, municipality=municipality, cases=120,
                                  period_from="2026-10-01", period_to="2026-10-31", report=card["at_thresholds"])
    # when anyone opens the register page (axe runs on it), then it shows the model, its figures,
    # the mitigation in use with its cost, and the municipality's review
    visit(page, f"/{municipality.slug}/algoritmer/")
    assert page.locator("h1").inner_text() == f"Algoritmeregister for {municipality.name}"
    assert page.get_by_test_id("register-version").inner_text() == "1 (i brug)"
    assert page.get_by_test_id("mitigation-cost").is_visible()
    assert page.get_by_test_id("municipal-review-table").is_visible()
    # and in English (axe again)
    page.context.add_cookies([{"name": "jobunivers_language", "value": "en", "url": page.url}])
    visit(page, f"/{municipality.slug}/algoritmer/")
    assert page.locator("h1").inner_text() == f"Algorithm register of {municipality.name}"
    # and on a phone-sized screen it is still accessible
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, f"/{municipality.slug}/algoritmer/")


def test_my_track_links_to_the_register_and_lists_the_inputs(page, visit, sign_in_as, municipality, member):
    citizen_user = member(Role.CITIZEN, municipality, first_name="Ida", last_name="Indsats")
    suggestion(citizen_user.citizen, level=2, tags=["wants_personal_contact"],
               inputs={"register": {"age_band": "30-39"}, "answers": {"self_assessed_chances": 3}})
    sign_in_as(page, citizen_user, municipality)
    visit(page, f"/{municipality.slug}/min-indsats/")
    assert "Dine svar på spørgsmålene om din situation" in page.get_by_test_id("inputs-used").inner_text()
    page.get_by_test_id("register-link").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").inner_text() == f"Algoritmeregister for {municipality.name}"


def test_second_review_page_records_a_review(page, visit, axe, sign_in_as, municipality, member):
    # given a decision drawn for a second review, and another adviser
    import datetime

    from jobunivers.segmentation.models import SecondReview
    from jobunivers.segmentation.tests.factories import decision

    deciding = member(Role.JOB_ADVISER, municipality, first_name="Dorte", last_name="Beslutter")
    reviewing = member(Role.JOB_ADVISER, municipality, first_name="Vera", last_name="Vurderer")
    citizen_user = member(Role.CITIZEN, municipality, first_name="Sif", last_name="Stikprøve")
    made = decision(suggestion(citizen_user.citizen), by=deciding)
    review = SecondReview.all_tenants.create(municipality=municipality, decision=made, citizen=made.citizen,
                                             month=datetime.date(2026, 10, 1))
    sign_in_as(page, reviewing, municipality)
    # when she opens the page (axe) and disagrees with a reason
    visit(page, f"/{municipality.slug}/segmentering/anden-vurdering/")
    page.get_by_label("Nej").check()
    page.get_by_label("Kommentar (skal udfyldes, hvis du er uenig)").fill("Borgeren har brug for fast kontakt.")
    page.get_by_role("button", name="Gem vurderingen").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    # then the review is recorded
    review.refresh_from_db()
    assert (review.agrees, review.reviewer_id) == (False, reviewing.pk)
    assert "Uenig i beslutningen" in page.get_by_test_id("review-result").inner_text()


def test_administrator_registers_a_fairness_group(page, visit, axe, sign_in_as, municipality, member):
    from jobunivers.segmentation.models import FairnessGroup

    admin = member(Role.MUNICIPALITY_ADMIN, municipality, first_name="Alma", last_name="Admin")
    sign_in_as(page, admin, municipality)
    # when the administrator opens the page (axe), tries without a name (axe on the error) and then adds one
    visit(page, f"/{municipality.slug}/segmentering/grupper/")
    page.get_by_label("Kolonnenavn i registerdata").fill("district")
    page.get_by_role("button", name="Tilføj gruppen").click()
    assert "Giv gruppen et dansk navn." in page.get_by_test_id("group-errors").inner_text()
    axe(page)
    page.get_by_label("Navn på dansk").fill("Bydel")
    page.get_by_role("button", name="Tilføj gruppen").click()
    # then the group is listed (axe) and stored for the municipality
    assert page.get_by_test_id("group-district").is_visible()
    axe(page)
    assert FairnessGroup.all_tenants.get(municipality=municipality).name_da == "Bydel"
    # and a group defined by the platform's data: a reversed postcode range is refused in Danish (axe),
    # then job seekers over 55 in 8210-8220 are added
    page.get_by_label("Kolonnenavn i registerdata").fill("over55_vest")
    page.get_by_label("Navn på dansk").fill("Ledige over 55 i Vest")
    page.get_by_label("Postnummer fra").fill("8220")
    page.get_by_label("Postnummer til").fill("8210")
    page.get_by_label("55-59 år").check()
    page.get_by_label("60 år eller derover").check()
    page.get_by_role("button", name="Tilføj gruppen").click()
    assert "Det første postnummer må ikke ligge efter det sidste." in page.get_by_test_id("group-errors").inner_text()
    axe(page)
    page.get_by_label("Kolonnenavn i registerdata").fill("over55_vest")
    page.get_by_label("Navn på dansk").fill("Ledige over 55 i Vest")
    page.get_by_label("Postnummer fra").fill("8210")
    page.get_by_label("Postnummer til").fill("8220")
    page.get_by_role("button", name="Tilføj gruppen").click()
    assert "postnumre 8210-8220; aldersgrupper: 55-59 år, 60 år eller derover" in \
        page.get_by_test_id("group-over55_vest").inner_text()
    axe(page)
