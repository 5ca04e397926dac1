"""Liveness answers without dependencies; readiness checks the database, the cache and the broker."""

import json
import socket

import pytest
from django.db import connections
from django.db.utils import load_backend


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the socket is closed


@pytest.fixture
def unreachable_database(django_db_blocker):
    """The default connection pointed at a database that cannot be reached: a SQLite file in a
    folder that does not exist, or a PostgreSQL server on a port where nothing listens."""
    original = connections["default"]
    broken = dict(original.settings_dict)
    if original.vendor == "sqlite":
        broken["NAME"] = "/nonexistent-folder-for-readiness/jobunivers.sqlite3"
    else:
        broken.update(HOST="127.0.0.1", PORT=str(_closed_port()),
                      OPTIONS={**broken.get("OPTIONS", {}), "connect_timeout": 2})
    wrapper = load_backend(broken["ENGINE"]).DatabaseWrapper(broken, "default")
    connections["default"] = wrapper
    try:
        with django_db_blocker.unblock():
            yield
    finally:
        wrapper.close()
        connections["default"] = original


@pytest.mark.django_db
def test_readiness_answers_ok_when_everything_answers(client):
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok", "failed": [], "checks": {"database": "ok", "cache": "ok", "broker": "skipped"}}


def test_readiness_fails_when_the_database_is_unreachable(client, unreachable_database):
    # when the load balancer asks while the database cannot be reached
    response = client.get("/health/ready/")
    # then 503, naming the database check only
    body = json.loads(response.content)
    assert response.status_code == 503
    assert (body["status"], body["failed"]) == ("fail", ["database"])
    assert body["checks"]["database"] == "OperationalError"
    assert body["checks"]["cache"] == "ok"


def test_liveness_answers_while_the_database_is_unreachable(client, unreachable_database):
    # liveness never touches a dependency: a database outage must not restart every web process
    for path in ("/health/live/", "/health/"):
        response = client.get(path)
        assert (response.status_code, response.content) == (200, b"ok")


@pytest.mark.django_db
def test_readiness_fails_when_the_cache_does_not_keep_a_value(client, settings):
    # given a cache that stores nothing (Django's dummy backend: a real backend, not a mock)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    # when readiness is asked
    response = client.get("/health/ready/")
    # then the cache check fails
    assert response.status_code == 503
    assert json.loads(response.content)["failed"] == ["cache"]


@pytest.mark.django_db
def test_readiness_fails_when_a_redis_broker_is_unreachable(client, settings):
    # given a Redis broker on a port where nothing listens
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    # when readiness is asked
    response = client.get("/health/ready/")
    # then the broker check fails with the connection error
    body = json.loads(response.content)
    assert response.status_code == 503
    assert (body["failed"], body["checks"]["broker"]) == (["broker"], "ConnectionError")
