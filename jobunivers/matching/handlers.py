"""Event handlers of matching, wired in config/events.py. Postings that arrive or change are fanned
out by tasks, one per batch of a whole write (an import run), so the per-citizen cap holds across
the run; jobs.services publishes PostingsPublished after its transaction commits."""

from __future__ import annotations


def on_postings_published(event) -> None:
    from .tasks import enqueue_fanout

    if event.created_ids:
        enqueue_fanout(posting_ids=event.created_ids, only_new=True)
    changed = set(event.changed_ids) - set(event.created_ids)
    if changed:
        enqueue_fanout(posting_ids=changed, only_new=False)


def on_profile_changed(event) -> None:
    """The citizen changed what they seek or offer: embed the profile's text in the background (vectors)."""
    from .tasks import refresh_profile_vector

    refresh_profile_vector.delay(event.citizen_id, event.municipality_id)
