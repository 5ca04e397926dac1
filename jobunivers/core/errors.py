"""Errors shared by all apps."""

from django.http import Http404


class NotFound(Http404):
    """Raised by selectors for both missing and forbidden objects, so the two look alike."""


class ValidationFailed(Exception):
    """A service refused its input; `messages` maps field names (or "__all__") to translated texts."""

    def __init__(self, messages: dict[str, list[str]] | str):
        if isinstance(messages, str):
            messages = {"__all__": [messages]}
        self.messages = messages
        super().__init__("; ".join(m for ms in messages.values() for m in ms))


class ConflictError(Exception):
    """Someone else changed the object since it was read (optimistic locking)."""
