"""The diagnosis slot on the citizen's start page (citizens.registry), above everything but the plan."""

from django.utils.translation import gettext_lazy as _

from jobunivers.citizens.contracts import HomeSlot, register_home_slot


def _diagnosis(request, citizen):
    from . import selectors

    return {"diagnosis": selectors.own_diagnosis(actor=request.user, citizen=citizen), "next": request.path}


def register() -> None:
    register_home_slot(HomeSlot(key="diagnosis", title=_("Your situation and what you can do"), order=10,
                                template_name="advice/_home_diagnosis.html", context=_diagnosis))
