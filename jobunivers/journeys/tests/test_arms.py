"""Experiments with two, three or four arms (issue 19, docs/adr/0165): the administrator adds a third and a
fourth arm on the form without JavaScript, the service refuses bad arms in Danish with nothing written,
assignment splits three weighted arms deterministically, the results page compares every arm, and removing a
step whose arms have their own texts asks first."""

import re
from collections import Counter

import pytest

from jobunivers.core.errors import ValidationFailed
from jobunivers.core.testing import client_for, murl
from jobunivers.journeys import engine, services
from jobunivers.journeys.assignment import arm_for
from jobunivers.journeys.models import Assignment, Experiment, Step, Variant, VariantText
from jobunivers.journeys.tests.factories import journey, on_track, step, whole_journey_arms
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def _arm(key, name, weight, **extra) -> dict:
    return {"key": key, "name": name, "weight": weight, "title": "", "body": "", "wait_days": "", **extra}


def three_arms(key="tre-arme", *, holdout=0, weights=(40, 30, 30), step_position=None) -> dict:
    return {"key": key, "name": "Tre toner", "step_position": step_position, "holdout_percent": holdout,
            "variants": [_arm("x", "Neutral", weights[0]), _arm("y", "Personlig", weights[1]),
                         _arm("z", "Direkte", weights[2])]}


def _written():
    return (list(Experiment.all_tenants.values_list("key", "holdout_percent")),
            list(Variant.all_tenants.values_list("key", "weight")), VariantText.all_tenants.count())


# --- The service ------------------------------------------------------------------------------------------


def test_three_and_four_arms_are_saved_with_their_weights(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To")], publish=False)
    arms = three_arms(holdout=10)
    arms["variants"][2]["texts"] = {2: {"title": "Kort og direkte"}}
    services.experiment_save(actor=admin, version=version, **arms)
    assert _written() == ([("tre-arme", 10)], [("x", 40), ("y", 30), ("z", 30)], 1)
    assert list(VariantText.all_tenants.values_list("variant__key", "step__position", "title")) == [
        ("z", 2, "Kort og direkte")]
    four = three_arms(key="fire-arme", weights=(25, 25, 25), step_position=1)
    four["variants"].append(_arm("w", "Med billede", 25, title="Se her"))
    services.experiment_save(actor=admin, version=version, **four)
    assert _written() == ([("fire-arme", 0)], [("w", 25), ("x", 25), ("y", 25), ("z", 25)], 0)


def _with(arms: dict, index: int, **changes) -> dict:
    arms["variants"][index] = {**arms["variants"][index], **changes}
    return arms


def _five() -> dict:
    arms = three_arms(weights=(20, 20, 20))
    arms["variants"] += [_arm("v", "Fire", 20), _arm("u", "Fem", 20)]
    return arms


@pytest.mark.parametrize(("arms", "messages"), [
    ({**three_arms(), "variants": [_arm("x", "Alene", 100)]},
     {"variants": ["Et eksperiment skal have mindst to arme."]}),
    (_five(), {"variants": ["Et eksperiment kan højst have 4 arme."]}),
    (_with(three_arms(), 2, key="x"), {"variant_3_key": ["To arme kan ikke have samme nøgle."]}),
    (_with(three_arms(), 2, key="holdout"),
     {"variant_3_key": ["Giv armen en kort nøgle af små bogstaver og tal, f.eks. “a”."]}),
    (_with(three_arms(), 2, key="Z Z"),
     {"variant_3_key": ["Giv armen en kort nøgle af små bogstaver og tal, f.eks. “a”."]}),
    (_with(three_arms(weights=(40, 60, 0)), 2, weight=0),
     {"variant_3_weight": ["Vægten skal være et helt tal fra 1 til 100."]}),
    (_with(three_arms(), 2, weight="29.5"), {"variant_3_weight": ["Skriv et helt tal."]}),
    (three_arms(weights=(40, 30, 20), holdout=10),
     {"variants": ["Armenes vægte skal tilsammen give 100 (de giver nu 90)."]}),
    (_with(three_arms(), 2, name="  "),
     {"variants": ["Arm 3 er ikke udfyldt helt: giv den en nøgle, et navn og en vægt, eller fjern armen."],
      "variant_3_name": ["Dette felt skal udfyldes."]}),
    (_with(three_arms(), 2, weight="", number=4),
     {"variants": ["Arm 4 er ikke udfyldt helt: giv den en nøgle, et navn og en vægt, eller fjern armen."],
      "variant_4_weight": ["Dette felt skal udfyldes."]}),
])
def test_bad_arms_are_refused_in_danish_and_nothing_is_written(municipality, admin, arms, messages):
    # given a saved two-arm experiment
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To")], publish=False)
    services.experiment_save(actor=admin, version=version, **whole_journey_arms(key="foer", texts_b={
        2: {"title": "Gemt"}}))
    before = _written()
    # when it is replaced with bad arms
    with pytest.raises(ValidationFailed) as error:
        services.experiment_save(actor=admin, version=version, **arms)
    # then the service says what is wrong, in Danish, and the saved experiment is untouched
    assert error.value.messages == messages
    assert _written() == before


# --- Assignment -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("holdout", [0, 10])
def test_three_arms_at_40_30_30_are_split_deterministically_and_in_proportion(holdout):
    weights = [("x", 40), ("y", 30), ("z", 30)]
    n = 10_000
    first = [arm_for(experiment_key="tre-arme", citizen_id=cid, holdout_percent=holdout, weights=weights)
             for cid in range(1, n + 1)]
    # the same ids give the same arms again, whatever order the arms are listed in
    again = [arm_for(experiment_key="tre-arme", citizen_id=cid, holdout_percent=holdout,
                     weights=list(reversed(weights))) for cid in range(1, n + 1)]
    assert first == again
    counts = Counter(first)
    expected = {key: (100 - holdout) / 100 * weight / 100 for key, weight in weights}
    if holdout:
        expected["holdout"] = holdout / 100
    assert set(counts) == set(expected)
    for key, share in expected.items():
        tolerance = 4 * (share * (1 - share) / n) ** 0.5  # four standard errors of a binomial share
        assert abs(counts[key] / n - share) < tolerance, (key, counts[key] / n, share)


def test_three_arm_assignment_is_stored_once_and_kept(municipality, admin):
    journey(municipality, admin, steps=[step()], experiment=three_arms(key="klistret-3", step_position=1))
    for _n in range(24):
        on_track(municipality)
    engine.enrol(municipality_id=municipality.pk)
    before = dict(Assignment.all_tenants.values_list("citizen_id", "arm"))
    # the stored arm is each citizen's computed arm
    weights = [("x", 40), ("y", 30), ("z", 30)]
    assert before == {cid: arm_for(experiment_key="klistret-3", citizen_id=cid, holdout_percent=0, weights=weights)
                      for cid in before}
    Variant.all_tenants.filter(key="x").update(weight=98)
    Variant.all_tenants.filter(key__in=["y", "z"]).update(weight=1)
    engine.enrol(municipality_id=municipality.pk)
    assert dict(Assignment.all_tenants.values_list("citizen_id", "arm")) == before
    assert len(before) == 24


# --- The results page -------------------------------------------------------------------------------------


def _comparisons(page: str, metric: str) -> list[str]:
    found = re.search(rf'data-metric="{metric}">(.*?)</section>', page, re.S)
    assert found is not None, metric
    return re.findall(r'data-testid="comparison" data-arm="([a-z]+)"', found.group(1))


def test_the_results_page_lists_three_arms_and_the_holdout_and_compares_each(municipality, admin, member):
    # given three arms and a holdout, with citizens assigned
    journey(municipality, admin, steps=[step()], experiment=three_arms(holdout=10, step_position=1))
    for _n in range(60):
        on_track(municipality)
    engine.enrol(municipality_id=municipality.pk)
    counts = Counter(Assignment.all_tenants.values_list("arm", flat=True))
    experiment = Experiment.all_tenants.get()
    # when staff open the results
    adviser = member(Role.JOB_ADVISER, municipality)
    response = client_for(adviser).get(murl(municipality, "journeys:experiment_result", experiment_id=experiment.pk))
    page = response.content.decode()
    # then each arm and the holdout has its row with its count, the split check passes, and every arm is compared
    assert response.status_code == 200
    rows = dict(re.findall(r'<tr data-arm="([a-z]+)">.*?</td><td>(\d+)</td>', page))
    assert rows == {arm: str(counts[arm]) for arm in ("holdout", "x", "y", "z")}
    assert 'data-testid="srm-passed"' in page and 'data-testid="srm-failed"' not in page
    assert _comparisons(page, "booked") == ["x", "y", "z"]  # against the holdout
    assert _comparisons(page, "opened") == ["y", "z"]  # engagement: against the first arm
    for key in ("x", "y", "z"):
        assert f'data-testid="wording-{key}"' in page


# --- The form ---------------------------------------------------------------------------------------------


def _form(**extra) -> dict:
    data = {"key": "tre-toner", "name": "Tre toner", "step": "", "holdout_percent": "10", "arm_count": "3",
            "variant_1_key": "a", "variant_1_name": "Neutral", "variant_1_weight": "40",
            "variant_2_key": "b", "variant_2_name": "Personlig", "variant_2_weight": "30",
            "variant_3_key": "c", "variant_3_name": "Direkte", "variant_3_weight": "30"}
    data.update(extra)
    return {name: value for name, value in data.items() if value is not None}


def _arm_legends(page: str) -> list[str]:
    return re.findall(r'<fieldset class="journey-arm" id="arm-(\d)"', page)


def test_the_form_starts_with_two_arms_and_adds_a_third_and_fourth_without_saving(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Et")], publish=False)
    client = client_for(admin)
    url = murl(municipality, "journeys:experiment_edit", version_id=version.pk)
    page = client.get(url).content.decode()
    assert _arm_legends(page) == ["1", "2"] and "Tilføj en arm" in page and "Fjern arm" not in page
    assert 'name="arm_action" value="add" formaction="#arm-3"' in page  # the page opens at the new arm
    # when "Add an arm" is pressed with the first arms filled in
    typed = {"key": "tre-toner", "name": "Tre toner", "step": "", "holdout_percent": "0", "arm_count": "2",
             "variant_1_key": "a", "variant_1_name": "Neutral", "variant_1_weight": "40",
             "variant_2_key": "b", "variant_2_name": "Personlig", "variant_2_weight": "30", "arm_action": "add"}
    response = client.post(url, typed)
    page = response.content.decode()
    # then the form comes back with a third arm keyed "c", what was typed kept, no error, nothing saved
    assert response.status_code == 200
    assert _arm_legends(page) == ["1", "2", "3"]
    assert 'name="variant_3_key" value="c"' in page and 'value="Personlig"' in page
    assert 'name="arm_count" value="3"' in page and "Fjern arm 3" in page
    assert "alert-error" not in page and "Dette felt skal udfyldes" not in page
    assert _written() == ([], [], 0)
    # and a fourth arm, after which none more can be added
    page = client.post(url, {**typed, "arm_count": "3", "arm_action": "add"}).content.decode()
    assert _arm_legends(page) == ["1", "2", "3", "4"] and "Tilføj en arm" not in page
    assert "Arm 4, trin 1: titel" in page  # the whole-journey texts for each arm
    page = client.post(url, {**typed, "arm_count": "4", "arm_action": "add"}).content.decode()
    assert _arm_legends(page) == ["1", "2", "3", "4"]
    # and "Remove arm 4" takes the last one away again, with what it held
    page = client.post(url, {**typed, "arm_count": "4", "variant_4_name": "Væk", "arm_action": "remove"}
                       ).content.decode()
    assert _arm_legends(page) == ["1", "2", "3"] and "Væk" not in page
    page = client.post(url, {**typed, "arm_count": "2", "arm_action": "remove"}).content.decode()
    assert _arm_legends(page) == ["1", "2"]


def test_the_administrator_saves_three_arms_and_sees_all_three_when_editing(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To")], publish=False)
    client = client_for(admin)
    url = murl(municipality, "journeys:experiment_edit", version_id=version.pk)
    response = client.post(url, _form(variant_3_step_2_title="Kort og direkte"))
    assert response.status_code == 302
    assert _written() == ([("tre-toner", 10)], [("a", 40), ("b", 30), ("c", 30)], 1)
    page = client.get(url).content.decode()
    assert _arm_legends(page) == ["1", "2", "3"]
    assert 'value="Direkte"' in page and "Kort og direkte" in page
    detail = client.get(murl(municipality, "journeys:journey_detail", journey_id=version.journey_id)).content.decode()
    assert "Direkte (c): 30 %" in detail


def test_an_empty_third_arm_is_left_out_and_a_partly_filled_one_is_named(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Et")], publish=False)
    client = client_for(admin)
    url = murl(municipality, "journeys:experiment_edit", version_id=version.pk)
    # an added arm with nothing in it (its suggested key cleared) is left out
    response = client.post(url, _form(holdout_percent="0", variant_1_weight="50", variant_2_weight="50",
                                      variant_3_key="", variant_3_name="", variant_3_weight=""))
    assert response.status_code == 302
    assert _written() == ([("tre-toner", 0)], [("a", 50), ("b", 50)], 0)
    # one with only a name is refused, naming the arm, and the saved experiment stays
    response = client.post(url, _form(key="nyt", variant_3_weight=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Arm 3 er ikke udfyldt helt: giv den en nøgle, et navn og en vægt, eller fjern armen." in page
    assert _written() == ([("tre-toner", 0)], [("a", 50), ("b", 50)], 0)
    # and so is an added arm left with only its suggested key
    response = client.post(url, _form(key="nyt", variant_3_name="", variant_3_weight=""))
    assert response.status_code == 400 and "Arm 3 er ikke udfyldt helt" in response.content.decode()
    assert _written() == ([("tre-toner", 0)], [("a", 50), ("b", 50)], 0)


def test_weights_of_three_arms_not_adding_up_show_the_error_and_keep_the_third_arm(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Et")], publish=False)
    response = client_for(admin).post(murl(municipality, "journeys:experiment_edit", version_id=version.pk),
                                      _form(variant_3_weight="20"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Armenes vægte skal tilsammen give 100 (de giver nu 90)." in page
    assert _arm_legends(page) == ["1", "2", "3"] and 'value="Direkte"' in page
    assert _written() == ([], [], 0)


def test_another_municipalitys_administrator_cannot_add_arms_or_remove_steps(municipality, other_municipality,
                                                                           admin, member):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To")], publish=False)
    services.experiment_save(actor=admin, version=version, **whole_journey_arms(texts_b={
        2: {"title": "MARKERARMTEXT"}}))
    second = Step.all_tenants.get(version=version, position=2)
    client = client_for(member(Role.MUNICIPALITY_ADMIN, other_municipality))
    for place in (other_municipality, municipality):
        response = client.post(murl(place, "journeys:experiment_edit", version_id=version.pk),
                               _form(arm_count="2", arm_action="add"))
        assert response.status_code == 404
        for method, data in (("get", {}), ("post", {}), ("post", {"arm_texts": "1"})):
            response = getattr(client, method)(murl(place, "journeys:step_delete", step_id=second.pk), data)
            assert response.status_code == 404 and "MARKERARMTEXT" not in response.content.decode()
    assert Step.all_tenants.filter(version=version).count() == 2
    assert VariantText.all_tenants.count() == 1


# --- Removing a step with arm texts -----------------------------------------------------------------------


def test_removing_a_step_with_arm_texts_without_confirming_is_refused_and_nothing_changes(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To")], publish=False)
    arms = three_arms()
    arms["variants"][1]["texts"] = {2: {"title": "Y to"}}
    arms["variants"][2]["texts"] = {2: {"body": "Z to"}}
    services.experiment_save(actor=admin, version=version, **arms)
    second = Step.all_tenants.get(version=version, position=2)
    for confirmed in (0, 1, 3):
        with pytest.raises(ValidationFailed) as error:
            services.step_delete(actor=admin, step=second, arm_texts_confirmed=confirmed)
        assert error.value.messages == {"arm_texts": [
            "Trin 2 har 2 tekster skrevet til eksperimentets arme. Bekræft, at de fjernes sammen med trinnet."]}
    assert Step.all_tenants.filter(version=version).count() == 2
    assert VariantText.all_tenants.count() == 2
    services.step_delete(actor=admin, step=second, arm_texts_confirmed=2)
    assert (Step.all_tenants.filter(version=version).count(), VariantText.all_tenants.count()) == (1, 0)


def test_the_administrator_is_told_how_many_arm_texts_go_with_a_step_and_confirms(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To"), step(title="Tre")],
                             publish=False)
    arms = three_arms()
    arms["variants"][1]["texts"] = {2: {"title": "Y to"}}
    arms["variants"][2]["texts"] = {2: {"body": "Z to"}, 3: {"title": "Z tre"}}
    services.experiment_save(actor=admin, version=version, **arms)
    client = client_for(admin)
    url = murl(municipality, "journeys:step_delete", step_id=Step.all_tenants.get(version=version, position=2).pk)
    # the "Remove" button on the journey page posts without a confirmation: the page asks first
    response = client.post(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fjern trin 2, “To”?" in page
    assert "Eksperimentet har 2 tekster, som armene har skrevet til dette trin. De fjernes sammen med trinnet:" in page
    assert "Personlig: “Y to”" in page and "Direkte: Z to" in page
    assert 'name="arm_texts" value="2"' in page and "Fjern trinnet og dets 2 armtekster" in page
    assert Step.all_tenants.filter(version=version).count() == 3
    # a confirmation of another number (a text added meanwhile) asks again
    assert client.post(url, {"arm_texts": "1"}).status_code == 200
    assert VariantText.all_tenants.count() == 3
    # when the administrator confirms
    response = client.post(url, {"arm_texts": "2"})
    # then the step and its two texts are gone, the third step's text stays on the step now second
    assert response.status_code == 302
    assert list(Step.all_tenants.filter(version=version).values_list("position", "title")) == [(1, "Et"), (2, "Tre")]
    assert list(VariantText.all_tenants.values_list("variant__key", "step__position", "title")) == [
        ("z", 2, "Z tre")]
    # a step without arm texts is removed at once, as before
    response = client.post(murl(municipality, "journeys:step_delete",
                                step_id=Step.all_tenants.get(version=version, position=1).pk))
    assert response.status_code == 302
    assert list(Step.all_tenants.filter(version=version).values_list("title", flat=True)) == ["Tre"]
