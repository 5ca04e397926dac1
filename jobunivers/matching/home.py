"""The "Jobs for you" slot on the citizen's start page (citizens.registry), and the messages slot."""

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jobunivers.citizens.registry import HomeSlot, register_home_slot

HOME_ITEMS = 3


def _recommended(request, citizen):
    from . import selectors

    result = selectors.feed_for(citizen_id=citizen.pk, limit=HOME_ITEMS, citizen=citizen)
    language = get_language() or "da"
    return {"feed": result, "items": [{"item": item, "reasons": [(r.text(language), r.positive)
                                                                 for r in item.reasons[:2]]} for item in result.items]}


def register() -> None:
    register_home_slot(HomeSlot(key="recommended_jobs", title=_("Jobs for you"), order=30,
                                template_name="matching/_home_recommended.html", context=_recommended))
