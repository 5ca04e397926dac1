"""The metrics endpoint: the named series after a few requests and a task, and refused without leave."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from jobunivers.jobs.models import JobImportRun, JobPosting
from jobunivers.jobs.tests.factories import JobPostingFactory
from jobunivers.notifications.services import notify
from jobunivers.notifications.tests.factories import citizen_with_contacts

from .tasks_for_tests import always_fails, retried_once

pytestmark = pytest.mark.django_db

TOKEN = "a-long-metrics-token-for-the-tests"


def _scrape(client, **headers) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def _value(samples, name, **labels) -> float | None:
    return samples.get((name, tuple(sorted(labels.items()))))


def test_the_endpoint_answers_with_the_named_series_after_requests_and_tasks(client, settings, municipality):
    # given a token, and figures as they were before
    settings.METRICS_TOKEN = TOKEN
    before = _scrape(client)
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    requests_before = _value(before, latency, view="core:privacy", method="GET") or 0
    database_before = _value(before, "jobunivers_request_database_seconds_count", view="core:privacy") or 0
    # ... two requests, a task that fails and one retried once
    assert client.get(reverse("core:privacy")).status_code == 200
    assert client.get(reverse("core:privacy")).status_code == 200
    always_fails.apply(throw=False)
    retried_once.apply(throw=False)
    # ... a queued e-mail, one failed and one successful import run, and a posting not yet fanned out
    citizen = citizen_with_contacts(municipality)
    notify(municipality_id=municipality.pk, citizen_id=citizen.pk, kind="message", subject_key="thread:1",
           title="Ny besked", channels=["email"])
    JobImportRun.objects.create(source="jobnet", location="feed.xml", failed="")
    JobImportRun.objects.create(source="jobnet", location="feed.xml", failed="The file could not be read")
    posting = JobPostingFactory()
    JobPosting.objects.filter(pk=posting.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=30))

    # when Prometheus scrapes
    after = _scrape(client)

    # then request latency and database time per view have counted the two requests
    assert _value(after, latency, view="core:privacy", method="GET") == requests_before + 2
    assert _value(after, "jobunivers_request_database_seconds_count", view="core:privacy") == database_before + 2
    # ... the task failure and the retry are counted by task
    assert _value(after, "jobunivers_celery_task_failures_total", task="jobunivers.observability.tests.always_fails") == 1
    assert _value(after, "jobunivers_celery_task_retries_total", task="jobunivers.observability.tests.retried_once") == 1
    assert _value(after, "jobunivers_celery_task_failures_total", task="jobunivers.observability.tests.retried_once") is None
    # ... the outbox backlog, the import runs and the fan-out lag come from the database
    assert _value(after, "jobunivers_outbox_backlog", status="queued", channel="email") == 1
    assert _value(after, "jobunivers_job_import_runs_total", source="jobnet", outcome="succeeded") == 1
    assert _value(after, "jobunivers_job_import_runs_total", source="jobnet", outcome="failed") == 1
    assert _value(after, "jobunivers_job_import_last_success_timestamp_seconds", source="jobnet") is not None
    assert _value(after, "jobunivers_fanout_pending_postings") == 1
    assert 29 * 60 <= _value(after, "jobunivers_fanout_lag_seconds") <= 31 * 60
    # ... and no source failed (the queue length is Redis-only: in-memory broker here)
    assert {labels: value for (name, labels), value in after.items() if name == "jobunivers_scrape_errors"} == {
        (("source", "fanout"),): 0, (("source", "imports"),): 0, (("source", "outbox"),): 0,
        (("source", "queues"),): 0, (("source", "tasks"),): 0}


def test_without_the_token_the_endpoint_refuses(client, settings):
    # given a token is configured
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_NETWORKS = []
    # when a caller sends no token, a wrong one, or the right one under another scheme
    answers = [client.get("/metrics").status_code,
               client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code,
               client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code]
    # then every one is refused, and nothing about the figures is shown
    assert answers == [403, 403, 403]
    assert b"jobunivers_" not in client.get("/metrics").content


def test_with_nothing_configured_nobody_may_read_the_metrics(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = []
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_an_allowed_network_may_read_without_a_token(client, settings):
    # given only a network list
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["10.1.0.0/16"]
    # when callers inside and outside it ask
    inside = client.get("/metrics", REMOTE_ADDR="10.1.2.3")
    outside = client.get("/metrics", REMOTE_ADDR="10.2.0.1")
    # then only the one inside is answered
    assert (inside.status_code, outside.status_code) == (200, 403)
    assert b"jobunivers_scrape_errors" in inside.content


def test_a_failing_source_is_reported_and_does_not_hide_the_others(client, settings, monkeypatch):
    # given the outbox query fails (as when its table is locked away)
    settings.METRICS_TOKEN = TOKEN
    from jobunivers.notifications import selectors as notifications

    def broken(**_kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(notifications, "outbox_backlog", broken)
    # when Prometheus scrapes
    samples = _scrape(client)
    # then the outbox is marked failed and the other figures are there
    assert _value(samples, "jobunivers_scrape_errors", source="outbox") == 1
    assert _value(samples, "jobunivers_scrape_errors", source="fanout") == 0
    assert _value(samples, "jobunivers_fanout_pending_postings") == 0


@pytest.mark.celery_worker
def test_the_queue_length_and_readiness_come_from_a_real_redis_broker(client, settings):
    # given a Redis broker (make test-celery) with two messages waiting and no worker
    from config.celery import app

    assert settings.CELERY_BROKER_URL.startswith("redis://")
    settings.METRICS_TOKEN = TOKEN
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        app.control.purge()
        from .tasks_for_tests import logs_a_line

        logs_a_line.delay()
        logs_a_line.delay()
        # when Prometheus scrapes and the load balancer asks for readiness
        samples = _scrape(client)
        ready = client.get("/health/ready/")
    finally:
        app.control.purge()
        app.conf.task_always_eager = previous
    # then the default queue holds the two messages, and the broker check passed
    assert _value(samples, "jobunivers_celery_queue_length", queue="celery") == 2
    assert _value(samples, "jobunivers_scrape_errors", source="queues") == 0
    assert (ready.status_code, ready.json()["checks"]["broker"]) == (200, "ok")
