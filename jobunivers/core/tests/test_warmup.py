"""A new web worker builds what the apps keep in memory before its first request (core.warmup)."""

import importlib
import logging

import pytest

from jobunivers.core import warmup
from jobunivers.employers import selectors as employers
from jobunivers.jobs import catalogue
from jobunivers.jobs.search import JobQuery, search_postings
from jobunivers.matching.tests.helpers import occupation, posting

pytestmark = pytest.mark.django_db


def test_the_warm_up_builds_the_catalogue_so_the_first_search_does_not(monkeypatch):
    # given three active postings and a process that has read nothing yet
    carpenter = occupation("tømrer", "7115")
    ids = sorted(posting(f"Tømrer {n}", carpenter).pk for n in range(3))
    catalogue.clear()
    employers.clear_history_memo()
    # when the worker warms up
    took = warmup.warm_worker()
    # then each app's warmer ran and the catalogue and the employers' publications are in memory
    assert sorted(took) == ["employers history", "jobs search"]
    assert all(isinstance(seconds, float) for seconds in took.values())
    assert catalogue._current is not None and catalogue._current.ids.tolist() == ids
    assert len(employers._publications_memo) == 1
    # and the first search reads the catalogue without building it
    builds = []
    monkeypatch.setattr(catalogue, "build", lambda token: builds.append(token))
    assert search_postings(JobQuery(text="tømrer")).total == 3
    assert builds == []


def test_a_failing_warmer_is_logged_and_the_others_still_run(monkeypatch, caplog):
    # given a warmer that fails
    ran = []

    def broken():
        raise RuntimeError("no database yet")

    monkeypatch.setitem(warmup.warmers._items, "a broken one", broken)
    monkeypatch.setitem(warmup.warmers._items, "b working one", lambda: ran.append(True))
    # when the worker warms up
    with caplog.at_level(logging.ERROR, logger="jobunivers.core.warmup"):
        took = warmup.warm_worker()
    # then the failure is logged, its time is None, and the next warmer ran
    assert took["a broken one"] is None
    assert ran == [True]
    assert "worker warm-up a broken one failed" in caplog.text


def test_gunicorn_warms_a_worker_before_freezing_what_is_alive(monkeypatch):
    # given the gunicorn settings
    config = importlib.import_module("config.gunicorn")
    calls = []
    monkeypatch.setattr(warmup, "warm_worker", lambda: calls.append("warm"))
    monkeypatch.setattr("gc.freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr("gc.set_threshold", lambda *limits: calls.append(("thresholds", limits)))
    monkeypatch.setattr("django.db.connections.close_all", lambda: calls.append("close"))
    # when a worker has loaded the application
    config.post_worker_init(worker=None)
    # then it warmed up, closed the main thread's connection, froze, and raised the collector's thresholds
    assert calls == ["warm", "close", "freeze", ("thresholds", (10_000, 10, 10))]
