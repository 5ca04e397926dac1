"""Pages: the citizen's track with reasons and one-click disagreement, the staff decision page,
override statistics, the caseload, and the model registry."""

import pytest

from jobunivers.audit.models import AccessLogEntry, ProfilingObjection
from jobunivers.core.context import tenant_context
from jobunivers.core.testing import client_for, murl, nurl
from jobunivers.segmentation import selectors
from jobunivers.segmentation.models import Decision, Disagreement, RiskModelVersion
from jobunivers.segmentation.tests.factories import assignment, decision, suggestion, tracks
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def test_citizen_sees_the_suggested_track_and_the_reasons_in_danish(municipality, member):
    citizen_user = member(Role.CITIZEN, municipality)
    suggestion(citizen_user.citizen, level=3, tags=["needs_digital_help", "wants_personal_contact"])
    response = client_for(citizen_user).get(murl(municipality, "segmentation:my_track"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Personlig jobkonsulent fra start" in page
    assert "Du har fortalt, at du har brug for hjælp til at bruge digitale værktøjer" in page
    assert "Du ønsker selv personlig kontakt" in page
    assert page.count("<h1") == 1


def test_citizen_who_objects_is_told_that_no_score_was_calculated(municipality, member):
    citizen_user = member(Role.CITIZEN, municipality)
    suggestion(citizen_user.citizen, tags=["profiling_objected"], risk_omitted="objected")
    ProfilingObjection.objects.create(user=citizen_user, objected=True)
    page = client_for(citizen_user).get(murl(municipality, "segmentation:my_track")).content.decode()
    assert "Du gør indsigelse mod profilering. Derfor beregnes der ingen risikoscore for dig" in page


def test_citizen_disagrees_with_one_click_and_a_comment(municipality, member):
    citizen_user = member(Role.CITIZEN, municipality)
    made = suggestion(citizen_user.citizen)
    client = client_for(citizen_user)
    response = client.post(murl(municipality, "segmentation:my_track_disagree"), {"comment": "Jeg vil have hjælp."})
    assert response.status_code == 302
    [task] = Disagreement.all_tenants.all()
    assert (task.suggestion_id, task.comment, task.status) == (made.pk, "Jeg vil have hjælp.", "open")
    assert "Du fortalte os den" in client.get(murl(municipality, "segmentation:my_track")).content.decode()


def test_disagreement_without_comment_shows_a_danish_error_and_writes_nothing(municipality, member):
    citizen_user = member(Role.CITIZEN, municipality)
    suggestion(citizen_user.citizen)
    response = client_for(citizen_user).post(murl(municipality, "segmentation:my_track_disagree"), {"comment": ""})
    assert response.status_code == 400
    assert "Dette felt skal udfyldes." in response.content.decode()
    assert Disagreement.all_tenants.count() == 0


def test_staff_decide_on_the_page_and_the_access_is_logged(municipality, member):
    citizen_user = member(Role.CITIZEN, municipality)
    adviser = member(Role.JOB_ADVISER, municipality)
    made = suggestion(citizen_user.citizen, level=1)
    url = murl(municipality, "segmentation:suggestion_detail", suggestion_id=made.pk)
    client = client_for(adviser)
    assert client.get(url).status_code == 200
    # changing without a reason is refused with a translated message
    refused = client.post(url, {"track": tracks(municipality)[2].pk, "reason": ""})
    assert refused.status_code == 400
    assert "Giv en begrundelse, når du ændrer det foreslåede forløb." in refused.content.decode()
    assert Decision.all_tenants.count() == 0
    # with a reason it is saved
    response = client.post(url, {"track": tracks(municipality)[2].pk, "reason": "Borgeren ønsker støtte."})
    assert response.status_code == 302
    with tenant_context(municipality):
        assert selectors.current_track(citizen_id=citizen_user.citizen.pk).support_level == 2
    what = list(AccessLogEntry.all_tenants.filter(citizen_id=citizen_user.citizen.pk).values_list("what", flat=True))
    assert "segmentation: decided the track" in what
    assert "segmentation: suggestion, inputs and decisions" in what


def test_a_citizen_may_not_open_the_staff_decision_page(municipality, member):
    citizen_user = member(Role.CITIZEN, municipality)
    made = suggestion(citizen_user.citizen)
    url = murl(municipality, "segmentation:suggestion_detail", suggestion_id=made.pk)
    assert client_for(citizen_user).get(url).status_code == 403


def test_worklist_lists_open_tasks_and_pending_suggestions(municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    citizen_user = member(Role.CITIZEN, municipality, first_name="Karen", last_name="Dissens")
    made = suggestion(citizen_user.citizen)
    Disagreement.all_tenants.create(municipality=municipality, suggestion=made, citizen=citizen_user.citizen,
                                    comment="Uenig")
    page = client_for(adviser).get(murl(municipality, "segmentation:worklist")).content.decode()
    assert page.count("Karen Dissens") == 2


def test_override_statistics_page_shows_the_warning(municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    for _number in range(25):
        decision(suggestion(member(Role.CITIZEN, municipality).citizen), by=adviser)
    page = client_for(admin).get(murl(municipality, "segmentation:override_statistics")).content.decode()
    assert 'data-testid="override-warning"' in page
    assert "Kun 0,0 % af 25 forslag blev ændret" in page or "Kun 0.0 % af 25 forslag blev ændret" in page


def test_override_rate_per_staff_member_with_both_warnings(municipality, member):
    # given one adviser who accepted all 20 suggestions and one who changed 15 of 20
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    accepting = member(Role.JOB_ADVISER, municipality, first_name="Anne", last_name="Accept")
    changing = member(Role.JOB_ADVISER, municipality, first_name="Carl", last_name="Change")
    for _number in range(20):
        decision(suggestion(member(Role.CITIZEN, municipality).citizen), by=accepting)
    for number in range(20):
        decision(suggestion(member(Role.CITIZEN, municipality).citizen, level=1), by=changing,
                 level=2 if number < 15 else None, reason="Borgeren ønsker samtaler")
    # when the statistics are read, then each staff member has a rate and the right warning
    rows = {row["name"]: row for row in selectors.override_statistics_by_staff(municipality_id=municipality.pk)}
    assert (rows["Anne Accept"]["percent"], rows["Anne Accept"]["warn_low"], rows["Anne Accept"]["warn_high"]) == \
        (0.0, True, False)
    assert (rows["Carl Change"]["percent"], rows["Carl Change"]["warn_low"], rows["Carl Change"]["warn_high"]) == \
        (75.0, False, True)
    page = client_for(admin).get(murl(municipality, "segmentation:override_statistics")).content.decode()
    assert 'data-testid="override-by-staff"' in page and "Carl Change" in page


def test_override_warning_above_half(municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    for _number in range(20):
        decision(suggestion(member(Role.CITIZEN, municipality).citizen, level=1), by=adviser, level=3,
                 reason="Borgeren har brug for fast kontakt")
    page = client_for(admin).get(murl(municipality, "segmentation:override_statistics")).content.decode()
    assert 'data-testid="override-warning-high"' in page and 'data-testid="override-warning"' not in page


def test_caseload_shows_the_consultants_citizens(municipality, member):
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    citizen_user = member(Role.CITIZEN, municipality, first_name="Bo", last_name="Følges")
    assignment(citizen_user.citizen, consultant, automatic=True)
    page = client_for(consultant).get(murl(municipality, "segmentation:caseload")).content.decode()
    assert "Bo Følges" in page and "Automatisk efter inaktivitet" in page


def test_operator_promotes_a_candidate_on_the_registry_page(member):
    from jobunivers.segmentation import riskmodel
    from jobunivers.segmentation.features import FEATURE_NAMES
    from jobunivers.segmentation.services import model_register
    from jobunivers.segmentation.simulator import simulate

    population = simulate(1000, seed=2)
    result = riskmodel.train_and_evaluate(population.features, population.still_unemployed,
                                          feature_names=list(FEATURE_NAMES),
                                          entry_times=population.registered_day.astype(float),
                                          groups={"origin": population.origin})
    version = model_register(result=result, horizon_weeks=26, is_synthetic=True,
                             training_period=("2024-01-01", "2025-12-31"), source="test")
    client = client_for(member(Role.PLATFORM_OPERATOR))
    assert "SYNTETISK" in client.get(nurl("segmentation:model_card", version_id=version.pk)).content.decode()
    response = client.post(nurl("segmentation:model_registry"), {"version_id": version.pk})
    assert response.status_code == 302
    assert RiskModelVersion.objects.get(pk=version.pk).status == "active"
