"""Event handlers of matching, wired in config/events.py. Postings that arrive or change are fanned
out by a task; jobs.services publishes these events after its transaction commits."""

from __future__ import annotations


def on_posting_created_or_changed(event) -> None:
    from .tasks import fanout_postings

    fanout_postings.delay([event.posting_id])
