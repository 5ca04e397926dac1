"""The one place where events are wired to their handlers (see core/events.py).

    from jobunivers.core.events import subscribe
    subscribe(PostingPublished, matching_handlers.on_posting_published)
"""
