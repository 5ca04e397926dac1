"""A whole-journey experiment whose arms word the journey's steps their own way (VariantText, docs/adr/0140):
the engine sends each arm its text (reminders too), the administrator writes the texts on the experiment form
with Danish errors and nothing half-written, staff read them on the results page, and another municipality
never reaches them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobunivers.core.errors import ValidationFailed
from jobunivers.core.testing import client_for, murl
from jobunivers.journeys import engine, services
from jobunivers.journeys.models import (
    BODY_MAX,
    TITLE_MAX,
    Enrolment,
    Experiment,
    JourneyVersion,
    Step,
    Variant,
    VariantText,
)
from jobunivers.journeys.tests.factories import (
    journey,
    next_monday,
    on_track,
    step,
    two_arms,
    whole_journey_arms,
)
from jobunivers.notifications.models import Notification
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db

MONDAY = next_monday()

PERSONAL = {2: {"title": "Hej, vi tænker på dig", "body": "Vi vil gerne høre,\nhvordan din uge er gået."}}


def _sent() -> dict[int, list[tuple[str, str]]]:
    sent: dict[int, list[tuple[str, str]]] = {}
    for user_id, title, body in (Notification.all_tenants.filter(kind="journey").order_by("created_at", "id")
                                 .values_list("recipient_id", "title", "body")):
        sent.setdefault(user_id, []).append((title, body))
    return sent


def _counts():
    return (Experiment.all_tenants.count(), Variant.all_tenants.count(), VariantText.all_tenants.count())


# --- The engine -------------------------------------------------------------------------------------------


def test_arm_b_gets_its_own_text_for_step_2_and_arm_a_the_steps_own(municipality, admin):
    # given two steps, the second waiting for a click with a reminder, and arm B's own wording of step 2
    journey(municipality, admin, steps=[
        step(title="Velkommen", body="Tre råd."),
        step(title="Hvordan går det?", body="Fortæl os om din uge.", wait_days=1, condition="clicked",
             condition_days=4, reminder_after_days=2)],
        experiment=whole_journey_arms(texts_b=PERSONAL))
    citizens = [on_track(municipality) for _ in range(16)]
    # when the engine runs over the days
    engine.enrol(municipality_id=municipality.pk, now=MONDAY)
    for day in range(0, 6):
        engine.advance(municipality_id=municipality.pk, now=MONDAY + datetime.timedelta(days=day, minutes=1))
    # then each arm got step 1 as written, and step 2 and its reminder in the arm's own words (B) or the step's (A)
    arms = dict(Enrolment.all_tenants.values_list("citizen_id", "arm"))
    assert set(arms.values()) == {"a", "b"}
    sent = _sent()
    personal = ("Hej, vi tænker på dig", "Vi vil gerne høre,\nhvordan din uge er gået.")
    own = ("Hvordan går det?", "Fortæl os om din uge.")
    for citizen in citizens:
        second = personal if arms[citizen.pk] == "b" else own
        assert sent[citizen.user_id] == [("Velkommen", "Tre råd."), second,
                                         (f"Påmindelse: {second[0]}", second[1])], arms[citizen.pk]


def test_an_arm_text_with_only_a_title_keeps_the_steps_own_text(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Velkommen", body="Tre råd.")],
                             experiment=whole_journey_arms(texts_a={1: {"title": "Godt at se dig"}},
                                                           texts_b={1: {"title": "Velkommen", "body": "Fire råd."}}))
    plan = engine._plans([version.pk])[version.pk]
    first = plan.steps[1]
    assert plan.text_of(first, "a") == ("Godt at se dig", "Tre råd.")
    assert plan.text_of(first, "b") == ("Velkommen", "Fire råd.")
    assert plan.text_of(first, "holdout") == ("Velkommen", "Tre råd.")


def test_a_step_experiment_still_changes_only_its_step(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To")],
                             experiment=two_arms(step_position=2))
    plan = engine._plans([version.pk])[version.pk]
    assert plan.text_of(plan.steps[1], "b") == ("Et", "Tre gode råd til din første uge.")
    assert plan.text_of(plan.steps[2], "b") == ("Lang velkomst", "En længere tekst.")


def test_plans_read_a_bounded_number_of_queries(municipality, admin):
    versions = []
    for number in range(3):
        _made, version = journey(municipality, admin, name=f"Forløb {number}",
                                 steps=[step(title=f"Trin {n}") for n in range(1, 6)],
                                 experiment=whole_journey_arms(key=f"tone-{number}", texts_b={
                                     n: {"title": f"B {n}"} for n in range(1, 6)}))
        versions.append(version.pk)
    with CaptureQueriesContext(connection) as one:
        engine._plans(versions[:1])
    with CaptureQueriesContext(connection) as three:
        plans = engine._plans(versions)
    assert len(one) == len(three) == 5  # versions, steps, experiments, arms, texts
    assert {plans[v].text_of(plans[v].steps[3], "b")[0] for v in versions} == {"B 3"}


# --- Saving -----------------------------------------------------------------------------------------------


def test_the_administrator_saves_and_replaces_arm_texts(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To")], publish=False)
    services.experiment_save(actor=admin, version=version, **whole_journey_arms(texts_b=PERSONAL))
    assert list(VariantText.all_tenants.values_list("variant__key", "step__position", "title")) == [
        ("b", 2, "Hej, vi tænker på dig")]
    assert VariantText.all_tenants.get().body == "Vi vil gerne høre,\nhvordan din uge er gået."  # lines kept
    # saved again with other texts: the old ones are gone, empty steps get no row
    services.experiment_save(actor=admin, version=version, **whole_journey_arms(
        texts_a={1: {"title": "  ", "body": ""}, 2: {"body": "Kort tekst"}}))
    assert list(VariantText.all_tenants.values_list("variant__key", "step__position", "title", "body")) == [
        ("a", 2, "", "Kort tekst")]
    assert VariantText.all_tenants.get().municipality_id == municipality.pk


@pytest.mark.parametrize(("texts_b", "field", "message"), [
    ({2: {"title": "x" * (TITLE_MAX + 1)}}, "variant_2_step_2_title",
     f"Skriv højst {TITLE_MAX} tegn (du skrev {TITLE_MAX + 1})."),
    ({2: {"body": "x" * (BODY_MAX + 1)}}, "variant_2_step_2_body",
     f"Skriv højst {BODY_MAX} tegn (du skrev {BODY_MAX + 1})."),
    ({3: {"title": "Findes ikke"}}, "variant_2_step_3_title", "Forløbet har ikke noget trin 3."),
    ({"to": {"title": "Hvilket trin?"}}, "variant_2_texts", "Armens tekster skal nævne forløbets trin med nummer."),
])
def test_bad_arm_texts_are_refused_in_danish_and_nothing_is_written(municipality, admin, texts_b, field, message):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To")], publish=False)
    services.experiment_save(actor=admin, version=version, **whole_journey_arms(key="foer", texts_b=PERSONAL))
    before = list(VariantText.all_tenants.values_list("pk", "title", "body"))
    with pytest.raises(ValidationFailed) as error:
        services.experiment_save(actor=admin, version=version, **whole_journey_arms(key="efter", texts_b=texts_b))
    assert error.value.messages == {field: [message]}
    assert list(VariantText.all_tenants.values_list("pk", "title", "body")) == before
    assert Experiment.all_tenants.get().key == "foer"


def test_per_step_texts_are_refused_on_a_step_experiment_and_arm_text_on_a_whole_journey(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To")], publish=False)
    arms = two_arms(step_position=1)
    arms["variants"][1]["texts"] = PERSONAL
    with pytest.raises(ValidationFailed) as error:
        services.experiment_save(actor=admin, version=version, **arms)
    assert list(error.value.messages) == ["variant_2_step_2_title"]
    assert "kun det trin" in error.value.messages["variant_2_step_2_title"][0]
    arms = whole_journey_arms()
    arms["variants"][0]["title"] = "Gælder hvilket trin?"
    with pytest.raises(ValidationFailed) as error:
        services.experiment_save(actor=admin, version=version, **arms)
    assert list(error.value.messages) == ["variant_1_title"]
    assert _counts() == (0, 0, 0)


def test_texts_of_a_published_version_cannot_change(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To")],
                             experiment=whole_journey_arms(texts_b=PERSONAL))
    with pytest.raises(ValidationFailed):
        services.experiment_save(actor=admin, version=version, **whole_journey_arms(
            texts_b={2: {"title": "Ændret"}}))
    assert list(VariantText.all_tenants.values_list("title", flat=True)) == ["Hej, vi tænker på dig"]


def test_a_new_draft_copies_the_steps_not_the_experiment_or_its_texts(municipality, admin):
    made, first = journey(municipality, admin, steps=[step(title="Et"), step(title="To")],
                          experiment=whole_journey_arms(texts_b=PERSONAL))
    draft = services.draft_create(actor=admin, journey=made)
    assert Step.all_tenants.filter(version=draft).count() == 2
    assert not Experiment.all_tenants.filter(version=draft).exists()
    # the published version keeps its arms' texts, on its own steps
    text = VariantText.all_tenants.get()
    assert (text.step.version_id, text.variant.experiment.version_id) == (first.pk, first.pk)


def test_removing_a_step_from_a_draft_removes_the_arms_texts_for_it_once_confirmed(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To"), step(title="Tre")],
                             publish=False)
    services.experiment_save(actor=admin, version=version, **whole_journey_arms(
        texts_b={2: {"title": "B to"}, 3: {"title": "B tre"}}))
    services.step_delete(actor=admin, step=Step.all_tenants.get(version=version, position=2), arm_texts_confirmed=1)
    assert list(VariantText.all_tenants.values_list("step__position", "title")) == [(2, "B tre")]


# --- Pages ------------------------------------------------------------------------------------------------


def _form_data(**extra) -> dict:
    data = {"key": "tone-1", "name": "Tone", "step": "", "holdout_percent": "0",
            "variant_1_key": "a", "variant_1_name": "Neutral", "variant_1_weight": "50",
            "variant_2_key": "b", "variant_2_name": "Personlig", "variant_2_weight": "50"}
    data.update(extra)
    return data


def test_the_administrator_writes_an_arms_text_on_the_form_and_staff_read_it(municipality, admin, member):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To")], publish=False)
    client = client_for(admin)
    url = murl(municipality, "journeys:experiment_edit", version_id=version.pk)
    page = client.get(url).content.decode()
    assert "Arm 2, trin 2: titel" in page and "Tom: trinnets egen titel, “To”." in page
    response = client.post(url, _form_data(variant_2_step_2_title="Hej, vi tænker på dig",
                                           variant_2_step_2_body="Hvordan går det?"))
    assert response.status_code == 302
    assert list(VariantText.all_tenants.values_list("variant__key", "step__position", "title", "body")) == [
        ("b", 2, "Hej, vi tænker på dig", "Hvordan går det?")]
    # the form shows the saved text again
    assert "Hej, vi tænker på dig" in client.get(url).content.decode()
    services.version_publish(actor=admin, version=version)
    experiment = Experiment.all_tenants.get()
    staff = member(Role.JOB_ADVISER, municipality)
    result = client_for(staff).get(murl(municipality, "journeys:experiment_result", experiment_id=experiment.pk))
    assert result.status_code == 200
    text = result.content.decode()
    assert "Hvad hver arm siger" in text and "Hej, vi tænker på dig" in text and "Hvordan går det?" in text


def test_a_too_long_arm_text_on_the_form_shows_the_danish_error_and_writes_nothing(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To")], publish=False)
    response = client_for(admin).post(murl(municipality, "journeys:experiment_edit", version_id=version.pk),
                                      _form_data(variant_1_step_1_title="x" * 121))
    assert response.status_code == 400
    assert "Skriv højst 120 tegn (du skrev 121)." in response.content.decode()
    assert _counts() == (0, 0, 0)


def test_another_municipalitys_administrator_cannot_write_or_read_arm_texts(municipality, other_municipality,
                                                                          admin, member):
    _made, version = journey(municipality, admin, steps=[step(title="Et"), step(title="To")], publish=False)
    services.experiment_save(actor=admin, version=version, **whole_journey_arms(texts_b=PERSONAL))
    other_admin = member(Role.MUNICIPALITY_ADMIN, other_municipality)
    client = client_for(other_admin)
    # under the other municipality's own prefix, and under ours
    for place in (other_municipality, municipality):
        response = client.post(murl(place, "journeys:experiment_edit", version_id=version.pk),
                               _form_data(variant_2_step_2_title="Overtaget"))
        assert response.status_code == 404
        assert client.get(murl(place, "journeys:experiment_edit", version_id=version.pk)).status_code == 404
    services.version_publish(actor=admin, version=version)
    experiment = Experiment.all_tenants.get()
    response = client.get(murl(other_municipality, "journeys:experiment_result", experiment_id=experiment.pk))
    assert response.status_code == 404 and "Hej, vi tænker på dig" not in response.content.decode()
    assert list(VariantText.all_tenants.values_list("title", flat=True)) == ["Hej, vi tænker på dig"]
    assert JourneyVersion.all_tenants.get().municipality_id == municipality.pk
