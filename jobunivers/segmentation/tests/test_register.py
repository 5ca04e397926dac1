"""The public algorithm register (issue 21): reachable without login for every municipality, its
figures equal to the active model card's, also as JSON; the monthly fairness review."""

import datetime

import numpy as np
import pytest
from django.utils import timezone

from jobunivers.segmentation import riskmodel, services
from jobunivers.segmentation.features import FEATURE_NAMES
from jobunivers.segmentation.models import FairnessReview, RiskModelVersion
from jobunivers.segmentation.simulator import simulate
from jobunivers.segmentation.tests.factories import decision, register_data, suggestion
from jobunivers.tenancy.roles import Role


def _da(value) -> str:
    """A figure as the Danish page prints it (decimal comma)."""
    return str(value).replace(".", ",")


@pytest.fixture(scope="module")
def card():
    population = simulate(3000, seed=4)
    return riskmodel.train_and_evaluate(
        population.features, population.still_unemployed, feature_names=list(FEATURE_NAMES),
        entry_times=population.registered_day.astype(float), event_times=population.outcome_day,
        groups={"gender": population.gender, "origin": population.origin, "age_band": population.age_band},
        bootstrap_rounds=100).card


def _version(card, *, version=1, status=RiskModelVersion.Status.ACTIVE):
    return RiskModelVersion.objects.create(
        version=version, status=status, model_card={**card, "source": "test", "training_period":
                                                    {"from": "2024-01-01", "to": "2025-12-31"}},
        artifact=b"x", artifact_sha256="0", is_synthetic=True,
        promoted_at=timezone.now() if status == RiskModelVersion.Status.ACTIVE else None)


@pytest.mark.django_db
def test_register_page_without_login_for_every_municipality_shows_the_cards_figures(
        client, municipality, other_municipality, card):
    # given an active model
    version = _version(card)
    for place in (municipality, other_municipality):
        # when anyone opens the register page without signing in
        response = client.get(f"/{place.slug}/algoritmer/")
        # then it answers with the municipality's page and the card's figures
        assert response.status_code == 200
        html = response.content.decode()
        assert f"Algoritmeregister for {place.name}" in html
        assert f'data-testid="register-version">{version.version} (i brug)' in html
        assert f'data-testid="register-roc-auc">{_da(card["roc_auc"])} (95 %-interval {_da(card["roc_auc_ci"][0])}' in html
        for level, values in card["at_thresholds"].items():
            for name, result in values["fairness"].items():
                assert f'data-testid="ratio-{level}-{name}">{_da(result["largest_ratio"])}<' in html


@pytest.fixture(scope="module")
def mitigated_card():
    population = simulate(4000, seed=7)
    return riskmodel.train_and_evaluate(
        population.features, population.still_unemployed, feature_names=list(FEATURE_NAMES),
        entry_times=population.registered_day.astype(float), event_times=population.outcome_day,
        groups={"gender": population.gender, "origin": population.origin, "age_band": population.age_band},
        model_kind="logistic", mitigate="age_band", compare=["origin"], bootstrap_rounds=100).card


@pytest.mark.django_db
def test_register_shows_the_mitigation_in_use_and_its_cost(client, municipality, mitigated_card):
    # given an active model with thresholds per age band (fairlearn) and reweighting by origin evaluated
    _version(mitigated_card)
    html = client.get(f"/{municipality.slug}/algoritmer/").content.decode()
    # then the page says which mitigation is used and what it costs, in the card's figures
    assert 'data-testid="mitigation-used"' in html and "fairlearn" in html
    for level, cost in mitigated_card["mitigation"]["accuracy_cost"].items():
        assert f'data-testid="mitigation-cost-{level}">{_da(round(cost * 100, 1))}<' in html
    assert 'data-testid="mitigations-evaluated"' in html and "omvægtning ved træning" in html
    entry = client.get(f"/{municipality.slug}/algoritmer/segmentering.json").json()
    assert entry["model"]["mitigation"]["thresholds"] == mitigated_card["mitigation"]["thresholds"]
    assert entry["model"]["at_thresholds"] == mitigated_card["at_thresholds"]
    assert [o["method"] for o in entry["model"]["mitigations_evaluated"]] == ["thresholds", "reweighting"]


@pytest.mark.django_db
def test_register_explains_a_gap_above_the_bound_in_plain_words(client, municipality, card):
    # given a candidate whose ratio by origin at 0.6 exceeds the bound
    high = card["at_thresholds"]["high"]
    origin = {**high["fairness"]["origin"], "status": "exceeds", "largest_ratio": 2.2, "ratio_ci": [1.6, 2.9],
              "highest": "non_western", "lowest": "danish"}
    unfair = {**card, "fairness_within_bound": False,
              "at_thresholds": {**card["at_thresholds"], "high": {**high, "fairness": {**high["fairness"],
                                                                                  "origin": origin}}}}
    _version(unfair, status=RiskModelVersion.Status.CANDIDATE)
    html = client.get(f"/{municipality.slug}/algoritmer/").content.decode()
    assert ("Ved tærsklen 0,6 blev personer med ikke-vestlig oprindelse, der fik arbejde, fejlagtigt markeret "
            "2,2 gange så ofte som personer med dansk oprindelse (95 %-interval 1,6–2,9)") in html
    english = client.get(f"/{municipality.slug}/algoritmer/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "people of non-Western origin who did find work were wrongly flagged 2.2 times as often" in english


@pytest.mark.django_db
def test_register_json_equals_the_active_card(client, municipality, card):
    _version(card)
    response = client.get(f"/{municipality.slug}/algoritmer/segmentering.json")
    assert response.status_code == 200
    entry = response.json()
    model = entry["model"]
    assert model["in_use"] is True and model["version"] == 1
    for key in ("roc_auc", "roc_auc_ci", "brier", "calibration_slope", "calibration_intercept", "at_thresholds",
                "production_thresholds", "fairness_within_bound"):
        assert model[key] == card[key]
    assert [row["name"] for row in entry["inputs"]] == list(FEATURE_NAMES)
    assert "gender" in entry["never_used"] and "origin" in entry["never_used"]
    assert entry["legal_basis"].startswith("Jobcentrets opgaver")


@pytest.mark.django_db
def test_register_says_when_no_model_is_in_use(client, municipality, card):
    # given only a candidate that was not promoted
    _version(card, status=RiskModelVersion.Status.CANDIDATE)
    html = client.get(f"/{municipality.slug}/algoritmer/").content.decode()
    assert 'data-testid="not-in-use"' in html
    RiskModelVersion.objects.all().delete()
    html = client.get(f"/{municipality.slug}/algoritmer/").content.decode()
    assert 'data-testid="no-model"' in html


@pytest.mark.django_db
def test_register_of_an_unknown_municipality_is_404(client):
    assert client.get("/ingen-kommune/algoritmer/").status_code == 404


def _decided_cases(municipality, member, version, *, count, today, seed=0):
    """`count` decided suggestions of the version: the first 20 left unemployment, the last 10
    have no known outcome yet."""
    adviser = member(Role.JOB_ADVISER, municipality)
    rng = np.random.default_rng(seed)
    for index in range(count):
        citizen = member(Role.CITIZEN, municipality).citizen
        registered = today - datetime.timedelta(weeks=40 if index < count - 10 else 4)
        left = registered + datetime.timedelta(weeks=8) if index < 20 else None
        register_data(citizen, registered_on=registered, outcome="job" if left else "", outcome_on=left,
                      age_band="60+" if index % 2 else "30-39", origin="danish" if index % 3 else "non_western")
        made = suggestion(citizen, risk_score=round(float(rng.random()), 3), model_version=version,
                          inputs={"register": {"age_band": "60+" if index % 2 else "30-39"}, "answers": None})
        decision(made, by=adviser)


@pytest.mark.django_db
def test_monthly_review_on_decided_cases_with_known_outcomes(municipality, member, card):
    # given an active model and 60 decided suggestions: 20 left unemployment, 30 did not, 10 unknown
    version = _version(card)
    today = datetime.date(2026, 11, 1)
    _decided_cases(municipality, member, version, count=60, today=today)
    # when the monthly review runs
    review = services.fairness_review_run(today=today)
    # then it counts the 50 cases with a known outcome, per group, at both production thresholds
    assert review.cases == 50 and review.municipality_id is None
    medium = review.report["medium"]["fairness"]
    assert medium["age_band"]["groups"]["60+"]["n"] + medium["age_band"]["groups"]["30-39"]["n"] == 50
    assert medium["age_band"]["groups"]["60+"]["n_not_unemployed"] == 10
    assert set(review.report) == {"medium", "high"}
    # and the municipality has its own review of the same cases
    own = FairnessReview.objects.get(municipality=municipality)
    assert own.cases == 50 and own.report == review.report


@pytest.mark.django_db
def test_monthly_review_per_municipality_and_each_register_shows_its_own(
        client, municipality, other_municipality, member, card):
    # given decided cases in two municipalities: 50 known outcomes in one, 30 in the other
    version = _version(card)
    today = datetime.date(2026, 11, 1)
    _decided_cases(municipality, member, version, count=60, today=today)
    _decided_cases(other_municipality, member, version, count=40, today=today, seed=1)
    # when the monthly review runs
    national = services.fairness_review_run(today=today)
    # then there is one review for all together and one per municipality, each of its own cases
    assert national.cases == 80
    assert {r.municipality_id: r.cases for r in FairnessReview.objects.exclude(municipality=None)} == {
        municipality.pk: 50, other_municipality.pk: 30}
    # and each municipality's public register shows its own review and the national one, never the other's
    for place, own_cases in ((municipality, 50), (other_municipality, 30)):
        entry = client.get(f"/{place.slug}/algoritmer/segmentering.json").json()
        assert entry["municipal_review"]["cases"] == own_cases
        assert entry["monthly_review"]["cases"] == 80
        html = client.get(f"/{place.slug}/algoritmer/").content.decode()
        assert f"I {place.name}: gennemgået" in html and f"på {own_cases} afgjorte sager" in html


@pytest.mark.django_db
def test_a_municipal_review_says_too_few_to_judge_with_the_interval_of_small_groups(client, municipality, member,
                                                                                     card):
    # given a municipality's review where the 60+ group has 10 people who left unemployment (< 30)
    # and 30-39 has 20: no two groups are large enough for a ratio
    version = _version(card)
    today = datetime.date(2026, 11, 1)
    _decided_cases(municipality, member, version, count=60, today=today)
    services.fairness_review_run(today=today)
    stored = FairnessReview.objects.get(municipality=municipality).report["high"]["fairness"]["age_band"]
    assert stored["status"] == "not_measurable" and stored["largest_ratio"] is None
    entry = client.get(f"/{municipality.slug}/algoritmer/segmentering.json").json()
    # then the public figures of that group show its size and interval, not its rates
    row = entry["municipal_review"]["at_thresholds"]["high"]["fairness"]["age_band"]["groups"]["60+"]
    assert row["n"] == 25 and row["n_not_unemployed"] == 10 and row["too_small"] is True
    assert row["false_high_risk_rate"] is None and row["false_low_risk_rate"] is None
    low, high = stored["groups"]["60+"]["false_high_risk_ci"]
    assert row["false_high_risk_ci"] == [low, high] and low is not None
    # and the page says "too few to judge" instead of a ratio, with each group's interval
    html = client.get(f"/{municipality.slug}/algoritmer/").content.decode()
    cell = html.split('data-testid="municipal-review-table-high-age_band"')[1].split("</tr>")[0]
    assert "<td>for få til at vurdere</td>" in cell
    assert f"personer på 60 år eller mere: 25, for få til at vurdere ({low}–{high})".replace(".", ",") in cell
    # while the national review (all municipalities pooled) keeps them
    national = entry["monthly_review"]["at_thresholds"]["high"]["fairness"]["age_band"]["groups"]["60+"]
    assert national["false_high_risk_rate"] is not None


@pytest.mark.django_db
def test_monthly_review_without_an_active_model_writes_nothing():
    assert services.fairness_review_run() is None
    assert FairnessReview.objects.count() == 0


@pytest.mark.django_db
def test_ai_act_figures_are_generated_from_the_active_card(tmp_path, card):
    from django.core.management import call_command

    _version(card)
    out = tmp_path / "generated.md"
    call_command("segmentation_ai_act_docs", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert f"ROC-AUC {card['roc_auc']} (95 % interval {card['roc_auc_ci']})" in text
    origin = card["at_thresholds"]["high"]["fairness"]["origin"]
    assert f"### origin: largest ratio {origin['largest_ratio']} {origin['ratio_ci']} ({origin['status']})" in text


def test_a_municipal_review_shows_no_interval_for_a_group_of_a_handful_of_people():
    # given a stored municipal review where one group has 4 people who left unemployment and one has 40
    from jobunivers.segmentation import selectors

    def group(n_not_unemployed):
        return {"n": n_not_unemployed + 5, "n_not_unemployed": n_not_unemployed, "n_unemployed": 5,
                "false_high_risk_rate": 0.0, "false_high_risk_ci": [0.0, 0.0], "false_low_risk_rate": 0.2,
                "false_low_risk_ci": [0.0, 0.6], "too_small": n_not_unemployed < 30}

    report = {"high": {"threshold": 0.6, "fairness": {"age_band": {"groups": {"60+": group(4), "30-39": group(40)}}}}}
    review = FairnessReview(report=report, cases=54, period_from=datetime.date(2026, 10, 1),
                            period_to=datetime.date(2026, 10, 31), created_at=timezone.now())
    # when it is made public for the municipality, and for all municipalities pooled
    public = selectors._review_entry(review, suppress_small=True)["at_thresholds"]["high"]["fairness"]["age_band"]
    pooled = selectors._review_entry(review, suppress_small=False)["at_thresholds"]["high"]["fairness"]["age_band"]
    # then the handful shows its size only; the larger group keeps its rate and interval
    assert public["groups"]["60+"] == {**group(4), "false_high_risk_rate": None, "false_low_risk_rate": None,
                                       "false_high_risk_ci": [None, None], "false_low_risk_ci": [None, None]}
    assert public["groups"]["30-39"] == group(40)
    assert pooled["groups"]["60+"] == group(4)
    # and the stored review is unchanged
    assert review.report["high"]["fairness"]["age_band"]["groups"]["60+"] == group(4)
