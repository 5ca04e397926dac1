"""config/gunicorn.py's worker hook: a warm worker's objects leave the garbage collector's full passes."""

from __future__ import annotations

import gc
import importlib.util
import sys
from pathlib import Path

import pytest
from django.conf import settings


def _config():
    spec = importlib.util.spec_from_file_location("gunicorn_config", Path(settings.BASE_DIR) / "config" / "gunicorn.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.django_db
def test_a_worker_imports_its_views_and_freezes_what_is_alive(monkeypatch):
    from jobunivers.jobs import catalogue

    config = _config()
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)  # the test's own transaction stays open
    thresholds = gc.get_threshold()
    gc.unfreeze()
    try:
        # when a worker has loaded the application
        config.post_worker_init(worker=None)
        # then every view module is imported, the apps' warm-up built the postings catalogue, and the
        # objects alive now are out of the collector's passes
        assert "jobunivers.jobs.views" in sys.modules
        assert catalogue._current is not None
        assert gc.get_freeze_count() > 10_000
        assert len(gc.get_objects(generation=2)) < gc.get_freeze_count()
        # and the young generation is collected after 10,000 new objects, not Python's 700
        assert gc.get_threshold() == (10_000, 10, 10)
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
