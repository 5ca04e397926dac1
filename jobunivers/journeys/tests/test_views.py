import pytest
from django.db.models import Count

from jobunivers.audit.models import AccessLogEntry
from jobunivers.core.testing import client_for, murl
from jobunivers.journeys import engine
from jobunivers.journeys.models import (
    Assignment,
    Experiment,
    Journey,
    JourneyVersion,
    OptOut,
    Step,
    StepRun,
    Variant,
)
from jobunivers.journeys.tests.factories import journey, on_track, step, track_key, two_arms
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def test_the_administrator_builds_a_two_arm_journey_through_the_pages(municipality, admin):
    client = client_for(admin)
    # given a new journey
    response = client.post(murl(municipality, "journeys:journey_new"), {
        "name": "Velkomst", "why": "Du er ny som ledig.", "track_key": track_key(municipality)})
    made = Journey.all_tenants.get()
    assert response.status_code == 302
    version = JourneyVersion.all_tenants.get(journey=made)
    # when two steps and an experiment are added and the version is published
    for title in ("Velkommen", "Tjekliste"):
        response = client.post(murl(municipality, "journeys:step_new", version_id=version.pk), {
            "kind": "message", "title": title, "body": "Tekst", "wait_days": "1", "condition": "none",
            "condition_days": "7"})
        assert response.status_code == 302
    response = client.post(murl(municipality, "journeys:experiment_edit", version_id=version.pk), {
        "key": "velkomst-1", "name": "Kort eller lang", "step": "1", "holdout_percent": "10",
        "variant_1_key": "a", "variant_1_name": "Kort", "variant_1_weight": "50", "variant_1_title": "Kort",
        "variant_2_key": "b", "variant_2_name": "Lang", "variant_2_weight": "50", "variant_2_title": "Lang"})
    assert response.status_code == 302
    response = client.post(murl(municipality, "journeys:publish", version_id=version.pk))
    # then the version is published with its experiment running
    version.refresh_from_db()
    assert (response.status_code, version.status) == (302, "published")
    assert list(Step.all_tenants.filter(version=version).values_list("title", flat=True)) == ["Velkommen", "Tjekliste"]
    assert Experiment.all_tenants.get().status == "running"
    page = client.get(murl(municipality, "journeys:journey_detail", journey_id=made.pk)).content.decode()
    assert "Version 1 — Udgivet" in page and "Kort eller lang" in page


def test_a_negative_wait_on_the_page_shows_the_danish_error_and_writes_nothing(municipality, admin):
    _made, version = journey(municipality, admin, publish=False)
    response = client_for(admin).post(murl(municipality, "journeys:step_new", version_id=version.pk), {
        "kind": "message", "title": "X", "wait_days": "-2", "condition": "none", "condition_days": "7"})
    assert response.status_code == 400
    assert "Ventetiden skal være fra 0 til 365 dage; den kan ikke være negativ." in response.content.decode()
    assert Step.all_tenants.count() == 1


def test_weights_not_adding_up_show_the_error_on_the_page(municipality, admin):
    _made, version = journey(municipality, admin, publish=False)
    response = client_for(admin).post(murl(municipality, "journeys:experiment_edit", version_id=version.pk), {
        "key": "v", "name": "V", "step": "1", "holdout_percent": "0", "variant_1_key": "a", "variant_1_name": "A",
        "variant_1_weight": "60", "variant_2_key": "b", "variant_2_name": "B", "variant_2_weight": "60"})
    assert response.status_code == 400
    assert "Armenes vægte skal tilsammen give 100 (de giver nu 120)." in response.content.decode()
    assert (Experiment.all_tenants.count(), Variant.all_tenants.count()) == (0, 0)


def test_publishing_an_empty_journey_shows_the_error(municipality, admin):
    _made, version = journey(municipality, admin, publish=False)
    Step.all_tenants.all().delete()
    response = client_for(admin).post(murl(municipality, "journeys:publish", version_id=version.pk), follow=True)
    assert "Forløbet har ingen trin. Tilføj mindst ét trin, før du udgiver det." in response.content.decode()
    version.refresh_from_db()
    assert version.status == "draft"


def test_staff_cannot_build(municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    response = client_for(adviser).get(murl(municipality, "journeys:admin_list"))
    assert response.status_code == 403


def test_the_citizen_sees_the_journey_and_why_and_opts_out(municipality, admin):
    made, _version = journey(municipality, admin, steps=[step(title="Velkommen"), step(title="Skal", mandatory=True,
                                                                                     wait_days=3)])
    citizen = on_track(municipality)
    engine.enrol(municipality_id=municipality.pk)
    engine.advance(municipality_id=municipality.pk)
    client = client_for(citizen.user)
    page = client.get(murl(municipality, "journeys:mine")).content.decode()
    assert "Velkomstforløb" in page and "Du er ny som ledig, så vi sender dig nogle råd." in page
    assert "Sig nej til de valgfrie trin" in page
    response = client.post(murl(municipality, "journeys:opt_out", journey_id=made.pk), {"fravalg": "1"})
    assert response.status_code == 302
    assert OptOut.all_tenants.filter(citizen=citizen, journey=made).count() == 1


def test_following_the_link_records_the_click_once(municipality, admin):
    journey(municipality, admin, steps=[step(kind="jobs", title="Se dine job")])
    citizen = on_track(municipality)
    engine.enrol(municipality_id=municipality.pk)
    engine.advance(municipality_id=municipality.pk)
    run = StepRun.all_tenants.get()
    client = client_for(citizen.user)
    response = client.get(murl(municipality, "journeys:follow", enrolment_id=run.enrolment_id, step_id=run.step_id))
    assert response.status_code == 302 and response["Location"].endswith("/job-til-dig/")
    first = StepRun.all_tenants.get().clicked_at
    client.get(murl(municipality, "journeys:follow", enrolment_id=run.enrolment_id, step_id=run.step_id))
    assert first is not None and StepRun.all_tenants.get().clicked_at == first


def test_staff_see_the_journey_on_the_citizen_page_and_the_read_is_logged(municipality, admin, member):
    journey(municipality, admin, steps=[step(title="Velkommen")])
    citizen = on_track(municipality)
    engine.enrol(municipality_id=municipality.pk)
    engine.advance(municipality_id=municipality.pk)
    adviser = member(Role.JOB_ADVISER, municipality)
    page = client_for(adviser).get(murl(municipality, "caseworker:citizen", citizen_id=citizen.pk)).content.decode()
    assert "Velkomstforløb" in page and "1. Velkommen" in page
    assert AccessLogEntry.all_tenants.filter(citizen_id=citizen.pk, what="journeys").count() == 1


def _assigned(municipality, admin, n, *, holdout=10):
    journey(municipality, admin, steps=[step()], experiment=two_arms(holdout=holdout))
    for _n in range(n):
        on_track(municipality)
    engine.enrol(municipality_id=municipality.pk)
    return Experiment.all_tenants.get()


def _arm_rows(page: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'<tr data-arm="([a-z]+)"><th scope="row">[^<]*(?:<[^>]*>[^<]*)*?</th><td>[^<]*</td>'
                           r'<td>(\d+)</td>', page))


def test_the_results_page_shows_counts_per_arm_and_the_split_check(municipality, admin, member):
    experiment = _assigned(municipality, admin, 60)
    counts = dict(Assignment.all_tenants.values("arm").annotate(n=Count("id")).values_list("arm", "n"))
    adviser = member(Role.JOB_ADVISER, municipality)
    response = client_for(adviser).get(murl(municipality, "journeys:experiment_result", experiment_id=experiment.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert _arm_rows(page) == {arm: str(n) for arm, n in counts.items()}
    assert sum(counts.values()) == 60
    assert 'data-testid="srm-passed"' in page and 'data-testid="srm-failed"' not in page


def test_a_skewed_split_blocks_the_result(municipality, admin, member):
    # given an assignment broken so that nearly everyone is in arm a
    experiment = _assigned(municipality, admin, 200, holdout=0)
    Assignment.all_tenants.update(arm="b")
    Assignment.all_tenants.filter(pk__in=list(Assignment.all_tenants.order_by("pk").values_list("pk", flat=True)[:180])
                                  ).update(arm="a")
    # when staff open the results
    response = client_for(admin).get(murl(municipality, "journeys:experiment_result", experiment_id=experiment.pk))
    page = response.content.decode()
    # then the split check fails and no difference is shown
    assert 'data-testid="srm-failed"' in page
    assert _arm_rows(page) == {"a": "180", "b": "20"}


def test_with_a_holdout_as_control_the_arms_are_compared_on_engagement_with_the_first_arm(municipality, admin, member):
    # given a two-arm experiment with a holdout: the holdout is the control, but it gets no notices by design
    experiment = _assigned(municipality, admin, 60)
    # when staff open the results
    page = client_for(admin).get(murl(municipality, "journeys:experiment_result",
                                      experiment_id=experiment.pk)).content.decode()
    # then engagement compares arm b with arm a (not "too few" against the holdout), and the page says why
    import re

    opened = re.search(r'<section aria-labelledby="metric-opened-h" data-metric="opened">(.*?)</section>', page, re.S)
    assert opened is not None
    arms = re.findall(r'data-testid="comparison" data-arm="([a-z]+)"', opened.group(1))
    assert arms == ["b"]
    assert "ikke får nogen af forløbets beskeder; varianterne sammenlignes i stedet med" in opened.group(1)
    # and an outcome is still compared with the holdout, for both arms
    booked = re.search(r'data-metric="booked">(.*?)</section>', page, re.S)
    assert re.findall(r'data-testid="comparison" data-arm="([a-z]+)"', booked.group(1)) == ["a", "b"]
