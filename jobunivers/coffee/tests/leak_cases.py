"""Cross-municipality cases of coffee meetings. Cards, answers and attendance belong to the citizen's
municipality: an id of municipality B's card answers 404 to every member of A, and staff of A get 404 for
B's citizens. The employer pages are national; another organisation's invitation, card or posting is 404
(test_views: cross-employer cases for every employer URL)."""

from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role


def _card(world, municipality, user=None, title="Tømrer til renovering"):
    from jobunivers.coffee.models import Offer
    from jobunivers.coffee.services import invitation_offer, invitation_publish, visibility_set
    from jobunivers.coffee.tests.helpers import carpenter, employer, invitation_data, place, seeker

    place("8000")
    occupation = carpenter()
    citizen = seeker(municipality, occupation, first_name="Bodil")
    visibility_set(actor=citizen.user, citizen=citizen, is_open=True, job_kinds=["7"], fields=["name"])
    boss, membership = employer()
    invitation = invitation_publish(actor=boss, membership=membership,
                                    data=invitation_data(occupation, title=title))
    invitation_offer(invitation_id=invitation.pk)
    return Offer.all_tenants.get(citizen=citizen, invitation=invitation)


def _other_offer(world):
    return _card(world, world.other, title="MARKEROTHERCOFFEE")


def _cards_marker(world):
    from jobunivers.coffee.services import answer_give

    offer = _other_offer(world)
    answer_give(actor=offer.citizen.user, citizen=offer.citizen, offer_id=offer.pk, choice="yes")
    return "MARKEROTHERCOFFEE", {}


def _home_citizen_with_card(world):
    return {"citizen_id": _card(world, world.home).citizen_id}


LIST_URLS = [
    ListLeakCase("coffee:cards", _cards_marker),
    ListLeakCase("coffee:funnel", _cards_marker),
]

OBJECT_URLS = [
    LeakCase("coffee:answer", lambda w: {"offer_id": _other_offer(w).pk}, method="post", data={"choice": "yes"}),
    LeakCase("coffee:attendance", lambda w: {"offer_id": _other_offer(w).pk}, method="post",
             data={"attendance": "met"}),
    LeakCase("coffee:staff_citizen", lambda w: {"citizen_id": _other_offer(w).citizen_id}),
    LeakCase("coffee:staff_citizen", lambda w: {"citizen_id": _other_offer(w).citizen_id}, method="post",
             data={"choice": "yes", "reason": "Borgeren bad om det i telefonen."}),
]

ACCESS_LOG_CASES = [
    AccessLogCase("coffee:staff_citizen", _home_citizen_with_card, Role.JOB_ADVISER),
]

NO_CITIZEN_DATA = {
    "coffee:cards": "the signed-in citizen's own cards; anyone else gets 404",
    "coffee:answer": "the signed-in citizen's own answer; anyone else gets 404",
    "coffee:attendance": "the signed-in citizen's own meeting; anyone else gets 404",
    "coffee:visibility": "the signed-in citizen's own choice; anyone else gets 404",
    "coffee:funnel": "counts per step only, no citizen's identity",
}

EXEMPT = {
    "coffee:visibility": "the signed-in citizen's own choice of what employers may see; no one else's data",
    "coffee:employer_list": "national employer page: the employer's own invitations only",
    "coffee:employer_create": "national employer page: creates the employer's own invitation",
    "coffee:employer_invitation": "national employer page; another organisation's invitation is 404 (test_views)",
    "coffee:employer_close": "national employer page; another organisation's invitation is 404 (test_views)",
    "coffee:employer_accept": "national employer page; another organisation's card is 404 (test_views)",
    "coffee:employer_attendance": "national employer page; another organisation's card is 404 (test_views)",
    "coffee:employer_outcome": "national employer page; another organisation's card is 404 (test_views)",
    "coffee:posting_candidates": "national employer page; another organisation's posting is 404 (test_views); "
                                 "citizens of every municipality who chose to be seen, each look access-logged in "
                                 "the citizen's municipality",
}
