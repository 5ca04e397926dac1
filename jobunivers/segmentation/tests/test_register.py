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


@pytest.mark.django_db
def test_monthly_review_on_decided_cases_with_known_outcomes(municipality, member, card):
    # given an active model and 60 decided suggestions: 20 left unemployment, 30 did not, 10 unknown
    version = _version(card)
    adviser = member(Role.JOB_ADVISER, municipality)
    today = datetime.date(2026, 11, 1)
    rng = np.random.default_rng(0)
    for index in range(60):
        citizen = member(Role.CITIZEN, municipality).citizen
        registered = today - datetime.timedelta(weeks=40 if index < 50 else 4)
        left = registered + datetime.timedelta(weeks=8) if index < 20 else None
        register_data(citizen, registered_on=registered, outcome="job" if left else "", outcome_on=left,
                      age_band="60+" if index % 2 else "30-39", origin="danish" if index % 3 else "non_western")
        made = suggestion(citizen, risk_score=round(float(rng.random()), 3), model_version=version,
                          inputs={"register": {"age_band": "60+" if index % 2 else "30-39"}, "answers": None})
        decision(made, by=adviser)
    # when the monthly review runs
    review = services.fairness_review_run(today=today)
    # then it counts the 50 cases with a known outcome, per group, at both production thresholds
    assert review.cases == 50 and FairnessReview.objects.count() == 1
    medium = review.report["medium"]["fairness"]
    assert medium["age_band"]["groups"]["60+"]["n"] + medium["age_band"]["groups"]["30-39"]["n"] == 50
    assert medium["age_band"]["groups"]["60+"]["n_not_unemployed"] == 10
    assert set(review.report) == {"medium", "high"}


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
