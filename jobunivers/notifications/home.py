"""The "messages" slot on the citizen's start page (citizens.registry): unread notices, newest first."""

from django.utils.translation import gettext_lazy as _

from jobunivers.citizens.registry import HomeSlot, register_home_slot


def _messages(request, citizen):
    from . import selectors

    latest = list(selectors.inbox_for(user=request.user, limit=3))
    return {"latest": latest, "unread": selectors.unread_count(user=request.user)}


def register() -> None:
    register_home_slot(HomeSlot(key="messages", title=_("Messages"), order=40,
                                template_name="notifications/_home_messages.html", context=_messages))
