"""Stored results of experiments (journeys.snapshots, docs/adr/0160): the first view computes and stores, later
views read the stored result, "Beregn igen" asks for a new one, the nightly task refreshes each experiment on its
own, and only the newest few are kept."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone, translation

from jobunivers.core.context import tenant_context
from jobunivers.core.testing import client_for, murl
from jobunivers.journeys import engine, results, selectors, snapshots, tasks
from jobunivers.journeys.models import Experiment, ExperimentStatus, ResultSnapshot
from jobunivers.journeys.tests.factories import journey, on_track, step, two_arms
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db

# The tables only an analysis reads: a view of a stored result must touch none of them.
HEAVY_TABLES = ("journeys_steprun", "journeys_exposure", "notifications_", "citizens_joblog", "booking_booking",
                "analytics_unemploymentspell")


@pytest.fixture(autouse=True)
def _no_leftover_locks():
    cache.clear()
    yield
    cache.clear()


def _assigned(municipality, admin, n, *, key="velkomst-test", level=1):
    journey(municipality, admin, steps=[step()], experiment=two_arms(key=key, holdout=10), level=level)
    for _n in range(n):
        on_track(municipality, level=level)
    engine.enrol(municipality_id=municipality.pk)
    return Experiment.all_tenants.get(key=key)


def _page(client, municipality, experiment):
    return client.get(murl(municipality, "journeys:experiment_result", experiment_id=experiment.pk))


def test_the_first_view_computes_and_stores_and_later_views_read_it_without_the_heavy_queries(municipality, admin,
                                                                                               member):
    # given an experiment with 40 citizens assigned and no stored result
    experiment = _assigned(municipality, admin, 40)
    adviser = client_for(member(Role.JOB_ADVISER, municipality))
    assert ResultSnapshot.all_tenants.count() == 0
    # when staff open the results page
    first = _page(adviser, municipality, experiment).content.decode()
    # then the result is computed and stored, and the page says when
    snapshot = ResultSnapshot.all_tenants.get()
    assert (snapshot.experiment_id, snapshot.units, snapshot.municipality_id) == (experiment.pk, 40, municipality.pk)
    assert snapshot.analysis["format"] == 1
    with translation.override("da"):
        when = formats.date_format(timezone.localtime(snapshot.computed_at), "DATETIME_FORMAT")
    assert f"Resultatet er beregnet {when}." in first
    assert ">Beregn igen</button>" in first
    assert 'data-testid="srm-passed"' in first
    # when they open it again
    with CaptureQueriesContext(connection) as queries:
        again = _page(adviser, municipality, experiment).content.decode()
    # then nothing is computed: the same stored result, and none of the tables an analysis reads
    assert ResultSnapshot.all_tenants.count() == 1
    assert [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in HEAVY_TABLES)] == []
    assert f"Resultatet er beregnet {when}." in again
    assert again.count('data-testid="comparison"') == first.count('data-testid="comparison"') > 0


def test_reading_a_stored_result_takes_two_queries(municipality, admin, django_assert_num_queries):
    # given an experiment whose result is stored, opened the way the view opens it
    experiment = _assigned(municipality, admin, 20)
    snapshots.result_compute(experiment=experiment)
    with tenant_context(municipality):  # as the request's middleware sets it
        opened = selectors.access_experiment(actor=admin, municipality_id=municipality.pk,
                                             experiment_id=experiment.pk)
        # when the page's context is built: the live counts per arm and the newest stored result, nothing else
        with django_assert_num_queries(2):
            context = results.page(experiment=opened)
    # then
    assert context["total"] == 20 and context["analysis"] is not None and context["assigned_since"] == 0


def test_citizens_assigned_since_the_computation_are_counted_apart(municipality, admin, member):
    # given a stored result of 20 citizens, and 5 more assigned since
    experiment = _assigned(municipality, admin, 20)
    snapshots.result_compute(experiment=experiment)
    for _n in range(5):
        on_track(municipality)
    engine.enrol(municipality_id=municipality.pk)
    # when staff open the page
    page = _page(client_for(member(Role.JOB_ADVISER, municipality)), municipality, experiment).content.decode()
    # then the stored result shows the 20 and the page says 5 more were assigned since
    assert "Siden er 5 borgere mere blevet tildelt; de tæller med fra næste beregning." in page
    assert ResultSnapshot.all_tenants.count() == 1


@pytest.mark.parametrize("stored", [{"format": 99, "result": {}}, {"format": 1, "result": {"control": "a"}}])
def test_a_stored_result_this_code_cannot_read_is_computed_again(municipality, admin, member, stored):
    # given a stored result of another format (or one missing fields)
    experiment = _assigned(municipality, admin, 20)
    old = snapshots.result_compute(experiment=experiment)
    ResultSnapshot.all_tenants.filter(pk=old.pk).update(analysis=stored)
    # when staff open the page
    page = _page(client_for(member(Role.JOB_ADVISER, municipality)), municipality, experiment).content.decode()
    # then it is computed again and stored, and the page shows the new result
    assert ResultSnapshot.all_tenants.count() == 2
    assert 'data-testid="srm-passed"' in page


def test_an_unknown_format_version_is_computed_again(municipality, admin, member):
    experiment = _assigned(municipality, admin, 20)
    old = snapshots.result_compute(experiment=experiment)
    ResultSnapshot.all_tenants.filter(pk=old.pk).update(format_version=99)
    _page(client_for(member(Role.JOB_ADVISER, municipality)), municipality, experiment)
    assert ResultSnapshot.all_tenants.count() == 2


def test_beregn_igen_computes_again_and_says_so(municipality, admin, member, django_capture_on_commit_callbacks):
    # given a stored result
    experiment = _assigned(municipality, admin, 20)
    snapshots.result_compute(experiment=experiment)
    adviser = client_for(member(Role.JOB_ADVISER, municipality))
    # when staff press "Beregn igen" (the task runs eagerly in tests)
    with django_capture_on_commit_callbacks(execute=True):
        response = adviser.post(murl(municipality, "journeys:experiment_refresh", experiment_id=experiment.pk))
    # then they are back on the page with a DKFDS alert, and a new result is stored
    assert response.status_code == 302
    assert response.url == murl(municipality, "journeys:experiment_result", experiment_id=experiment.pk)
    page = adviser.get(response.url).content.decode()
    assert 'class="alert alert-success" role="status"' in page
    assert "Resultatet bliver beregnet igen. Genindlæs siden om et minut for at se det." in page
    assert ResultSnapshot.all_tenants.count() == 2


def test_beregn_igen_is_a_post_with_csrf(municipality, admin, member):
    from django.test import Client

    experiment = _assigned(municipality, admin, 5)
    user = member(Role.JOB_ADVISER, municipality)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    url = murl(municipality, "journeys:experiment_refresh", experiment_id=experiment.pk)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert ResultSnapshot.all_tenants.count() == 0


def test_a_citizen_cannot_ask_for_a_computation(municipality, admin, member, django_capture_on_commit_callbacks):
    experiment = _assigned(municipality, admin, 5)
    citizen = member(Role.CITIZEN, municipality)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(citizen).post(murl(municipality, "journeys:experiment_refresh",
                                                 experiment_id=experiment.pk))
    assert response.status_code == 404
    assert callbacks == []
    assert ResultSnapshot.all_tenants.count() == 0


def test_staff_of_another_municipality_cannot_ask_for_a_computation(municipality, other_municipality, admin, member,
                                                                     django_capture_on_commit_callbacks):
    # given an experiment of Aarhus, and an administrator of København
    experiment = _assigned(municipality, admin, 5)
    theirs = member(Role.MUNICIPALITY_ADMIN, other_municipality)
    # when they post to it under their own prefix, and under Aarhus's
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        own = client_for(theirs).post(murl(other_municipality, "journeys:experiment_refresh",
                                           experiment_id=experiment.pk))
        foreign = client_for(theirs).post(murl(municipality, "journeys:experiment_refresh",
                                               experiment_id=experiment.pk))
    # then neither is found, and nothing is queued or stored
    assert own.status_code == 404
    assert foreign.status_code in (302, 403, 404)
    assert callbacks == []
    assert ResultSnapshot.all_tenants.count() == 0


def test_a_refresh_while_one_runs_does_nothing(municipality, admin, member, django_capture_on_commit_callbacks):
    # given a stored result, and a computation of the experiment running (its lock held)
    experiment = _assigned(municipality, admin, 5)
    snapshots.result_compute(experiment=experiment)
    cache.add(snapshots._lock_key(experiment.pk), 1)
    # when the task runs, and when staff press "Beregn igen"
    outcome = tasks.refresh_experiment_result.apply(args=[experiment.pk]).get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(member(Role.JOB_ADVISER, municipality)).post(
            murl(municipality, "journeys:experiment_refresh", experiment_id=experiment.pk), follow=True)
    # then neither computes; staff are told it is already being computed
    assert outcome == "busy"
    assert callbacks == []
    assert "Resultatet bliver allerede beregnet." in response.content.decode()
    assert ResultSnapshot.all_tenants.count() == 1


def test_only_the_newest_results_are_kept(municipality, admin):
    experiment = _assigned(municipality, admin, 5)
    made = [snapshots.result_compute(experiment=experiment).pk for _n in range(snapshots.KEEP + 2)]
    assert sorted(ResultSnapshot.all_tenants.values_list("pk", flat=True)) == made[-snapshots.KEEP:]


def test_the_nightly_task_is_scheduled():
    from config.celery import app
    from config.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["journeys.refresh_experiment_results"]
    assert entry["task"] == "jobunivers.journeys.tasks.refresh_experiment_results"
    assert entry["task"] in app.tasks
    assert "jobunivers.journeys.tasks.refresh_experiment_result" in app.tasks


def test_the_nightly_task_refreshes_running_and_recently_stopped_experiments(municipality, admin):
    # given a running experiment, one stopped last month and one stopped a year ago
    running = _assigned(municipality, admin, 3, key="running", level=1)
    recent = _assigned(municipality, admin, 3, key="recent", level=2)
    old = _assigned(municipality, admin, 3, key="old", level=3)
    now = timezone.now()
    Experiment.all_tenants.filter(pk=recent.pk).update(status=ExperimentStatus.STOPPED,
                                                       stopped_at=now - datetime.timedelta(days=30))
    Experiment.all_tenants.filter(pk=old.pk).update(status=ExperimentStatus.STOPPED,
                                                    stopped_at=now - datetime.timedelta(days=365))
    # when the nightly task runs
    outcome = tasks.refresh_experiment_results.apply().get()
    # then the first two have a stored result, the old one none
    assert outcome == {"queued": 2, "failed": 0}
    assert set(ResultSnapshot.all_tenants.values_list("experiment_id", flat=True)) == {running.pk, recent.pk}


def test_one_failing_experiment_does_not_stop_the_others(municipality, admin, monkeypatch, caplog):
    # given two running experiments, the first of which fails to compute
    first = _assigned(municipality, admin, 3, key="first", level=1)
    second = _assigned(municipality, admin, 3, key="second", level=2)
    real = snapshots.result_compute

    def failing(*, experiment):
        if experiment.pk == first.pk:
            raise RuntimeError("boom")
        return real(experiment=experiment)

    monkeypatch.setattr(snapshots, "result_compute", failing)
    # when the nightly task runs
    outcome = tasks.refresh_experiment_results.apply().get()
    # then the second is stored, the first is logged, and the first's lock is free for the next run
    assert outcome == {"queued": 1, "failed": 1}
    assert list(ResultSnapshot.all_tenants.values_list("experiment_id", flat=True)) == [second.pk]
    assert f"experiment result refresh failed: experiment={first.pk}" in caplog.text
    assert cache.get(snapshots._lock_key(first.pk)) is None
