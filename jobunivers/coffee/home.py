"""The "Coffee meetings" slot on the citizen's start page (citizens.contracts' slot registry): the newest
invitation waiting for the citizen's answer, with the same yes and no buttons as the coffee page. Hidden when
nothing waits."""

from django.utils.translation import gettext_lazy as _

from jobunivers.citizens.contracts import HomeSlot, register_home_slot


def _waiting(request, citizen):
    from . import selectors

    if not selectors.has_waiting_cards(citizen=citizen):
        return None
    waiting = selectors.waiting_cards(selectors.cards_for(citizen=citizen))
    if not waiting:
        return None
    return {"waiting": waiting, "shares": selectors.shares_text(selectors.visibility_of(citizen=citizen))}


def register() -> None:
    register_home_slot(HomeSlot(key="coffee", title=_("Coffee meetings"), order=25,
                                template_name="coffee/_home_cards.html", context=_waiting))
