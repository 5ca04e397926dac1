"""jobs.services asks for embeddings with an event; jobs.tasks queues the work (no services -> tasks
import, tests/architecture/test_no_cycles.py)."""

import pytest

from jobunivers.jobs import services, tasks
from jobunivers.jobs.contracts import PostingEmbeddingsWanted

pytestmark = pytest.mark.django_db


def test_embeddings_are_queued_after_commit_through_the_event(monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    monkeypatch.setattr(tasks.embed_postings, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services._enqueue_embeddings([3, 5])
    assert queued == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert queued == [[3, 5]]


def test_the_handler_queues_the_ids_of_the_event(monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.embed_postings, "delay", queued.append)
    tasks.on_embeddings_wanted(PostingEmbeddingsWanted(posting_ids=(7,)))
    assert queued == [[7]]
