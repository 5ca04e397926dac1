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

    def add_to_form(self, form) -> None:
        """Show the service's messages on a Django form: on their field, or on the form when the field
        is not one of its own ("__all__" and fields the form does not have)."""
        for field, texts in self.messages.items():
            for text in texts:
                form.add_error(field if field in form.fields else None, text)

    def flash(self, request) -> None:
        """Show the service's messages on the next page, for an action posted from a page with no form."""
        from django.contrib import messages

        for texts in self.messages.values():
            for text in texts:
                messages.error(request, text)


class ConflictError(Exception):
    """Someone else changed the object since it was read (optimistic locking)."""
