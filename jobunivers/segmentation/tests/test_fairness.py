"""Fairness as production uses the score (issue 21): error rates per group with intervals at the
production thresholds, the 1.25 bound that promotion requires, mitigation by group thresholds,
and model choice by cross-validation in segmentation_evaluate (issue 12, item 11)."""

import csv
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from jobunivers.core.errors import ValidationFailed
from jobunivers.segmentation import evaluation, riskmodel, services
from jobunivers.segmentation.features import FEATURE_NAMES
from jobunivers.segmentation.models import RiskModelVersion
from jobunivers.segmentation.simulator import simulate
from jobunivers.tenancy.roles import Role


def _by_hand():
    # group a: 40 not unemployed, 10 flagged at 0.6; group b: 40 not unemployed, 20 flagged
    y = np.array([0] * 80 + [1] * 20)
    p = np.array([0.7] * 10 + [0.1] * 30 + [0.7] * 20 + [0.1] * 20 + [0.9] * 5 + [0.2] * 5 + [0.9] * 10)
    groups = np.array(["a"] * 40 + ["b"] * 40 + ["a"] * 10 + ["b"] * 10)
    return y, p, groups


def test_group_error_rates_by_hand_with_sizes_and_intervals():
    y, p, groups = _by_hand()
    result = evaluation.group_error_rates(y, p, groups, threshold=0.6)
    a, b = result["groups"]["a"], result["groups"]["b"]
    assert (a["n"], a["n_not_unemployed"], a["n_unemployed"]) == (50, 40, 10)
    assert a["false_high_risk_rate"] == 0.25 and b["false_high_risk_rate"] == 0.5
    assert a["false_low_risk_rate"] == 0.5 and b["false_low_risk_rate"] == 0.0
    assert a["false_high_risk_ci"][0] < 0.25 < a["false_high_risk_ci"][1]
    assert result["largest_ratio"] == 2.0 and (result["highest"], result["lowest"]) == ("b", "a")
    assert result["ratio_ci"][0] < 2.0 < result["ratio_ci"][1]


def _status(flagged_a, flagged_b, n):
    y = np.zeros(2 * n, dtype=int)
    p = np.array([0.9] * flagged_a + [0.1] * (n - flagged_a) + [0.9] * flagged_b + [0.1] * (n - flagged_b))
    groups = np.array(["a"] * n + ["b"] * n)
    return evaluation.group_error_rates(y, p, groups, threshold=0.6)["status"]


def test_status_within_inconclusive_and_exceeds():
    assert _status(1200, 1400, 4000) == "within"  # ratio 1.17
    assert _status(800, 1600, 4000) == "exceeds"  # ratio 2 with narrow intervals
    assert _status(4, 6, 40) == "inconclusive"  # ratio 1.5, but 40 people cannot tell


def test_a_small_group_is_reported_but_left_out_of_the_ratio():
    y, p, groups = _by_hand()
    y, p, groups = np.append(y, [0] * 5), np.append(p, [0.9] * 5), np.append(groups, ["c"] * 5)
    result = evaluation.group_error_rates(y, p, groups, threshold=0.6)
    assert result["groups"]["c"]["too_small"] is True and result["groups"]["c"]["false_high_risk_rate"] == 1.0
    assert result["largest_ratio"] == 2.0


def test_fit_group_thresholds_equalises_false_high_risk_on_the_data_it_is_fitted_on():
    rng = np.random.default_rng(2)
    groups = np.array(["young"] * 2000 + ["old"] * 2000)
    p = np.concatenate([rng.uniform(0, 0.8, 2000), rng.uniform(0.2, 1.0, 2000)])
    y = (rng.random(4000) < p).astype(int)
    fitted = evaluation.fit_group_thresholds(y, p, groups)
    assert fitted["high"]["old"] > 0.6 > fitted["high"]["young"]
    report = evaluation.at_thresholds(y, p, {"age": groups},
                                      group_thresholds={level: {"age": v} for level, v in fitted.items()})
    assert report["medium"]["fairness"]["age"]["largest_ratio"] < 1.05
    assert report["high"]["fairness"]["age"]["largest_ratio"] < 1.05


def test_fit_group_thresholds_meets_where_the_production_threshold_stands():
    # fairlearn's ThresholdOptimizer, weighted by the threshold's cost ratio, chooses a common
    # false-high-risk rate; with one group it is the production threshold's own operating point
    rng = np.random.default_rng(3)
    groups = np.array(["a"] * 3000 + ["b"] * 3000)
    p = rng.uniform(0, 1, 6000)
    y = (rng.random(6000) < p).astype(int)
    fitted = evaluation.fit_group_thresholds(y, p, groups)
    for level, threshold in evaluation.PRODUCTION_THRESHOLDS.items():
        assert set(fitted[level]) == {"a", "b"}
        for value in fitted[level].values():
            assert abs(value - threshold) < 0.06


def test_fit_group_thresholds_leaves_groups_it_cannot_fit_at_the_production_threshold():
    # a group with too few people who left unemployment, or nobody who stayed, is not fitted
    rng = np.random.default_rng(4)
    p = rng.uniform(0, 1, 1000)
    y = (rng.random(1000) < p).astype(int)
    groups = np.array(["a"] * 500 + ["b"] * 490 + ["tiny"] * 10)
    y[500:990] = 0  # "b": nobody stayed unemployed
    fitted = evaluation.fit_group_thresholds(y, p, groups)
    assert fitted == {"medium": {}, "high": {}}
    assert evaluation.thresholds_for({"mitigation": {"attribute": "age_band", "thresholds": fitted}},
                                     {"register": {"age_band": "tiny"}}) == evaluation.PRODUCTION_THRESHOLDS


def test_mitigations_are_compared_on_the_same_holdout_with_their_cost():
    population = simulate(4000, seed=6)
    card = riskmodel.train_and_evaluate(
        population.features, population.still_unemployed, feature_names=list(FEATURE_NAMES),
        entry_times=population.registered_day.astype(float), event_times=population.outcome_day,
        groups={"age_band": population.age_band, "origin": population.origin}, model_kind="logistic",
        bootstrap_rounds=50, mitigate="age_band", compare=["age_band", "origin"]).card
    options = [(o["method"], o["attribute"], o["allowed_in_decisions"]) for o in card["mitigations_evaluated"]]
    # thresholds by age band may be used in decisions; by origin, and reweighting, only evaluated
    assert options == [("thresholds", "age_band", True), ("reweighting", "age_band", False),
                       ("thresholds", "origin", False), ("reweighting", "origin", False)]
    applied = card["mitigations_evaluated"][0]
    assert applied["thresholds"] == card["mitigation"]["thresholds"]
    for level in ("medium", "high"):
        unmitigated = card["mitigation"]["unmitigated"][level]["accuracy"]
        assert applied["at_thresholds"][level]["accuracy"] == card["at_thresholds"][level]["accuracy"]
        for option in card["mitigations_evaluated"]:
            values = option["at_thresholds"][level]
            assert values["accuracy_cost"] == round(unmitigated - values["accuracy"], 4)
            assert set(values["fairness"]) == {"age_band", "origin"}


def test_thresholds_for_a_citizen_use_only_an_input_attribute():
    card = {"mitigation": {"attribute": "age_band", "thresholds": {"high": {"60+": 0.7}, "medium": {"60+": 0.45}}}}
    older = {"register": {"age_band": "60+"}}
    assert evaluation.thresholds_for(card, older) == {"medium": 0.45, "high": 0.7}
    assert evaluation.thresholds_for(card, {"register": {"age_band": "30-39"}}) == {"medium": 0.35, "high": 0.6}
    origin_card = {"mitigation": {"attribute": "origin", "thresholds": {"high": {"danish": 0.9}}}}
    assert evaluation.thresholds_for(origin_card, {"register": {"origin": "danish"}}) == {"medium": 0.35, "high": 0.6}


def test_explain_uses_the_citizens_thresholds():
    inputs = {"register": {"age_band": "60+", "weeks_since_last_job": 2}, "answers": {"self_assessed_chances": 3}}
    assert "high_risk_score" in services.explain(inputs, 0.65, "")[1]
    assert "medium_risk_score" in services.explain(inputs, 0.65, "", {"medium": 0.45, "high": 0.7})[1]


@pytest.fixture(scope="module")
def age_gap():
    """Age has a real effect in the simulator, so the calibrated score flags older people who
    leave unemployment more often: the false-high-risk ratio by age band exceeds 1.25."""
    population = simulate(40000, seed=5)
    common = dict(feature_names=list(FEATURE_NAMES), entry_times=population.registered_day.astype(float),
                  event_times=population.outcome_day, groups={"age_band": population.age_band},
                  model_kind="logistic", bootstrap_rounds=300)
    plain = riskmodel.train_and_evaluate(population.features, population.still_unemployed, **common)
    mitigated = riskmodel.train_and_evaluate(population.features, population.still_unemployed,
                                             mitigate="age_band", **common)
    return plain, mitigated


def test_the_card_reports_rates_with_intervals_at_the_production_thresholds(age_gap):
    plain, _mitigated = age_gap
    card = plain.card
    assert card["production_thresholds"] == {"medium": 0.35, "high": 0.6}
    assert set(card["at_thresholds"]) == {"medium", "high"}
    row = card["at_thresholds"]["high"]["fairness"]["age_band"]["groups"]["60+"]
    assert {"n", "n_not_unemployed", "false_high_risk_rate", "false_high_risk_ci", "false_low_risk_rate",
            "false_low_risk_ci"} <= set(row)
    assert card["roc_auc_ci"][0] < card["roc_auc"] < card["roc_auc_ci"][1]


@pytest.mark.django_db
def test_promotion_is_refused_above_1_25_and_allowed_after_mitigation(member, age_gap):
    # given a candidate whose false-high-risk ratio by age band exceeds 1.25
    plain, mitigated = age_gap
    operator = member(Role.PLATFORM_OPERATOR)
    assert plain.card["at_thresholds"]["medium"]["fairness"]["age_band"]["status"] == "exceeds"
    unfair = services.model_register(result=plain, horizon_weeks=26, is_synthetic=True,
                                     training_period=("2024-01-01", "2025-12-31"), source="test")
    # when an operator promotes it, then it is refused and nothing is active
    with pytest.raises(ValidationFailed, match="fairness_ratio age_band@medium"):
        services.model_promote(actor=operator, version_id=unfair.pk)
    assert not RiskModelVersion.objects.filter(status=RiskModelVersion.Status.ACTIVE).exists()
    # given the same model with thresholds per age band, judged on the same holdout
    for level in ("medium", "high"):
        assert mitigated.card["at_thresholds"][level]["fairness"]["age_band"]["status"] in {"within", "inconclusive"}
    assert set(mitigated.card["mitigation"]["accuracy_cost"]) == {"medium", "high"}
    fair = services.model_register(result=mitigated, horizon_weeks=26, is_synthetic=True,
                                   training_period=("2024-01-01", "2025-12-31"), source="test")
    # then it is promoted
    assert services.model_promote(actor=operator, version_id=fair.pk).status == RiskModelVersion.Status.ACTIVE


@pytest.mark.django_db
def test_a_mitigation_by_origin_is_never_registered(age_gap):
    _plain, mitigated = age_gap
    mitigated.card = {**mitigated.card, "mitigation": {**mitigated.card["mitigation"], "attribute": "origin"}}
    with pytest.raises(ValidationFailed):
        services.model_register(result=mitigated, horizon_weeks=26, is_synthetic=True,
                                training_period=("2024-01-01", "2025-12-31"), source="test")
    assert RiskModelVersion.objects.count() == 0


def _unemployment_spells(path, *, n=2241, seed=0, extra=None):
    """A generated table shaped like a public unemployment-duration data set: 2,241 spells, six
    register-like columns, a spell length and censoring indicator (leaky: known only afterwards)."""
    rng = np.random.default_rng(seed)
    age = rng.integers(20, 62, n)
    ui = rng.random(n) < 0.55
    reprate = rng.uniform(0.1, 2.0, n).round(3)
    disrate = rng.uniform(0.05, 1.0, n).round(3)
    logwage = rng.normal(5.7, 0.55, n).round(3)
    tenure = rng.poisson(4, n)
    logit = -0.2 + 0.035 * (age - 40) + 0.9 * ui - 0.6 * (logwage - 5.7) + 0.4 * disrate - 0.05 * tenure
    long = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    spell = np.where(long == 1, rng.integers(14, 28, n), rng.integers(1, 14, n))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["spell", "censor1", "age", "ui", "reprate", "disrate", "logwage", "tenure", "long",
                         *(extra or {}).keys()])
        for i in range(n):
            writer.writerow([spell[i], int(long[i] == 0), age[i], "yes" if ui[i] else "no", reprate[i],
                             disrate[i], logwage[i], tenure[i], long[i],
                             *[values[i] for values in (extra or {}).values()]])
    return long


def test_evaluate_chooses_by_cross_validation_and_reports_both(tmp_path, capsys):
    # given a table shaped like the public unemployment-duration data, with leaky columns
    path = tmp_path / "spells.csv"
    _unemployment_spells(path, extra={"gender": np.where(np.arange(2241) % 2, "f", "m")})
    # when it is evaluated with the leaky columns excluded and gender as a group
    call_command("segmentation_evaluate", "--table", str(path), "--label", "long", "--exclude", "spell", "censor1",
                 "--group", "gender", "--bootstrap", "200", "--json")
    card = json.loads(capsys.readouterr().out)
    # then both kinds are reported, the better by cross-validation is chosen
    selection = card["model_selection"]
    assert set(selection["cv_roc_auc"]) == {"logistic", "boosting"} == set(selection["holdout"])
    assert selection["chosen"] == max(selection["cv_roc_auc"], key=selection["cv_roc_auc"].get)
    assert card["roc_auc"] == selection["holdout"][selection["chosen"]]
    assert card["roc_auc_ci"][0] < card["roc_auc"] < card["roc_auc_ci"][1]
    assert card["features"] == ["age", "ui", "reprate", "disrate", "logwage", "tenure"]
    assert card["excluded_columns"] == ["spell", "censor1"] and card["group_columns"] == ["gender"]
    assert set(card["at_thresholds"]["high"]["fairness"]) == {"gender"}


def test_evaluate_prints_the_columns_used(tmp_path, capsys):
    path = tmp_path / "spells.csv"
    _unemployment_spells(path)
    call_command("segmentation_evaluate", "--table", str(path), "--label", "long", "--exclude", "spell", "censor1",
                 "--bootstrap", "100")
    out = capsys.readouterr().out
    assert "age, ui, reprate, disrate, logwage, tenure" in out
    assert "spell, censor1" in out


@pytest.mark.parametrize("column", ["gender", "Køn", "country_of_origin", "statsborgerskab", "herkomst",
                                    "nationality", "ethnicity", "religion", "sex"])
def test_evaluate_refuses_a_protected_attribute_as_a_feature(tmp_path, column):
    path = tmp_path / "spells.csv"
    _unemployment_spells(path, n=300, extra={column: np.where(np.arange(300) % 2, "x", "y")})
    with pytest.raises(CommandError, match=column):
        call_command("segmentation_evaluate", "--table", str(path), "--label", "long")


def test_protected_names_do_not_catch_ordinary_columns():
    assert evaluation_protected(["age", "tenure", "logwage", "reprate", "original_wage_band", "ui"]) == []


def evaluation_protected(names):
    from jobunivers.segmentation.management.commands.segmentation_evaluate import protected_columns

    return protected_columns(names)


def test_mitigation_figures_are_exact_on_a_fixed_synthetic_set():
    # 3,000 simulated job seekers (seed 6), the logistic model, 50 bootstrap rounds: the card's
    # unmitigated figures, fairlearn's ThresholdOptimizer by age band (the applied mitigation) and
    # reweighting by age band, each with its largest ratios and accuracy cost on the same holdout
    population = simulate(3000, seed=6)
    card = riskmodel.train_and_evaluate(
        population.features, population.still_unemployed, feature_names=list(FEATURE_NAMES),
        entry_times=population.registered_day.astype(float), event_times=population.outcome_day,
        groups={"age_band": population.age_band, "origin": population.origin, "gender": population.gender},
        model_kind="logistic", bootstrap_rounds=50, mitigate="age_band", compare=["age_band"]).card
    assert card["mitigation"]["library"].startswith("fairlearn")
    assert card["mitigation"]["thresholds"] == {
        "medium": {"18-24": 0.295007, "25-29": 0.297442, "30-39": 0.325091, "40-49": 0.355619, "50-54": 0.390363,
                   "55-59": 0.420249, "60+": 0.396765},
        "high": {"18-24": 0.549724, "25-29": 0.522152, "30-39": 0.586021, "40-49": 0.598604, "50-54": 0.604143,
                 "55-59": 0.639487, "60+": 0.716426}}

    def ratios(fairness):
        return {name: (result["largest_ratio"], result["status"]) for name, result in fairness.items()}

    unmitigated = card["mitigation"]["unmitigated"]
    assert (unmitigated["medium"]["accuracy"], ratios(unmitigated["medium"]["fairness"])) == (
        0.6467, {"age_band": (2.143, "exceeds"), "origin": (2.286, "exceeds"), "gender": (1.099, "within")})
    assert (unmitigated["high"]["accuracy"], {k: v[0] for k, v in ratios(unmitigated["high"]["fairness"]).items()}) \
        == (0.7083, {"age_band": 2.0, "origin": 2.827, "gender": 1.193})
    thresholds, reweighting = card["mitigations_evaluated"]
    assert (thresholds["method"], reweighting["method"]) == ("thresholds", "reweighting")
    figures = {option["method"]: {level: (values["accuracy"], values["accuracy_cost"], ratios(values["fairness"]))
                                  for level, values in option["at_thresholds"].items()}
               for option in (thresholds, reweighting)}
    assert figures == {
        "thresholds": {
            "medium": (0.6217, 0.025, {"age_band": (1.697, "inconclusive"), "origin": (1.817, "inconclusive"),
                                       "gender": (1.183, "within")}),
            "high": (0.7, 0.0083, {"age_band": (1.336, "inconclusive"), "origin": (4.571, "exceeds"),
                                   "gender": (1.042, "within")})},
        "reweighting": {
            "medium": (0.6267, 0.02, {"age_band": (1.852, "inconclusive"), "origin": (2.362, "exceeds"),
                                      "gender": (1.066, "within")}),
            "high": (0.71, -0.0017, {"age_band": (2.864, "inconclusive"), "origin": (4.19, "exceeds"),
                                     "gender": (1.382, "inconclusive")})},
    }
