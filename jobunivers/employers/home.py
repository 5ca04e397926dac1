"""The "Employers likely to hire" slot on the citizen's start page (citizens.contracts' slot registry):
the best few for the citizen's first occupation sought and home radius, each with its reason, "hvorfor
ser jeg dette?" and the one-step unsolicited application. Hidden for a citizen who seeks no occupation
yet (the diagnosis above asks them to choose one); the whole list is on employers:likely."""

from django.utils.translation import gettext_lazy as _

from jobunivers.citizens import selectors as citizens
from jobunivers.citizens.contracts import HomeSlot, register_home_slot

HOME_ITEMS = 3


def _likely(request, citizen):
    from . import selectors

    profile = citizens.profile_for(citizen_id=citizen.pk)
    if profile is None or not profile.occupations:
        return None
    occupation_id = profile.occupations[0].occupation_id
    municipality = getattr(request, "municipality", None)
    slug = municipality.slug if municipality is not None and municipality.pk == citizen.municipality_id else None
    items = selectors.likely_employers(citizen=citizen, occupation_id=occupation_id,
                                       place=selectors.default_place(profile), limit=HOME_ITEMS, profile=profile,
                                       municipality_slug=slug)
    return {"items": items, "occupation_id": occupation_id, "next": request.path}


def register() -> None:
    register_home_slot(HomeSlot(key="likely_employers", title=_("Employers likely to hire"), order=35,
                                template_name="employers/_home_likely.html", context=_likely, simple=False))
