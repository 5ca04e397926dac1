"""The "Internships" slot on the citizen's start page (citizens.contracts' slot registry): the newest open place
the citizen fits and has not applied for, with a link to apply. Hidden when none waits; one EXISTS first, as
coffee meetings do, because most citizens have none."""

from django.utils.translation import gettext_lazy as _

from jobunivers.citizens.contracts import HomeSlot, register_home_slot


def _open_places(request, citizen):
    from . import selectors

    if not selectors.has_open_suggestions(citizen=citizen):
        return None
    waiting = [c for c in selectors.cards_for(citizen=citizen) if c.application is None and c.is_open]
    return {"waiting": waiting} if waiting else None


def register() -> None:
    register_home_slot(HomeSlot(key="internships", title=_("Internships"), order=26,
                                template_name="internships/_home.html", context=_open_places))
