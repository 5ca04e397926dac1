"""Cross-municipality cases of internships. Cards and applications belong to the citizen's municipality: an id of
municipality B's card or application answers 404 to every member of A, and the worklist of A never shows B's
applications. The employer pages are national; another organisation's place or applicant is 404 (test_views:
cross-employer cases for every employer URL)."""

from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role


def _card(world, municipality, title="Tømrerhjælper"):
    from django.utils import timezone

    from jobunivers.internships.models import Suggestion
    from jobunivers.internships.services import place_offer, place_publish
    from jobunivers.internships.tests.helpers import carpenter, employer, place, place_data, seeker

    place("8000")
    occupation = carpenter()
    citizen = seeker(municipality, occupation, first_name="Bodil")
    boss, membership = employer()
    today = timezone.localdate()
    internship = place_publish(actor=boss, membership=membership, data=place_data(occupation, title=title, today=today),
                               today=today)
    place_offer(place_id=internship.pk, today=today)
    return Suggestion.all_tenants.get(citizen=citizen, place=internship)


def _application(world, municipality, title="Tømrerhjælper"):
    from jobunivers.internships.services import application_submit

    card = _card(world, municipality, title=title)
    return application_submit(actor=card.citizen.user, citizen=card.citizen, suggestion_id=card.pk,
                              motivation="MARKEROTHERMOTIVATION", fields=["name"])


def _other_card(world):
    return _card(world, world.other, title="MARKEROTHERINTERNSHIP")


def _other_application(world):
    return _application(world, world.other, title="MARKEROTHERINTERNSHIP")


def _marker(world):
    _other_application(world)
    return "MARKEROTHERINTERNSHIP", {}


LIST_URLS = [
    ListLeakCase("internships:list", _marker),
    ListLeakCase("internships:staff_worklist", _marker),
]

OBJECT_URLS = [
    LeakCase("internships:apply", lambda w: {"suggestion_id": _other_card(w).pk}),
    LeakCase("internships:apply", lambda w: {"suggestion_id": _other_card(w).pk}, method="post",
             data={"motivation": "Hej", "shares": ["name"]}),
    LeakCase("internships:withdraw", lambda w: {"application_id": _other_application(w).pk}, method="post"),
    LeakCase("internships:staff_application", lambda w: {"application_id": _other_application(w).pk}),
    LeakCase("internships:staff_application", lambda w: {"application_id": _other_application(w).pk},
             method="post", data={"decision": "approve"}),
    LeakCase("internships:staff_application", lambda w: {"application_id": _other_application(w).pk},
             method="post", data={"action": "outcome", "outcome": "job"}),
]

ACCESS_LOG_CASES = [
    AccessLogCase("internships:staff_application", lambda w: {"application_id": _application(w, w.home).pk},
                  Role.JOB_ADVISER),
    AccessLogCase("internships:staff_worklist", lambda w: (_application(w, w.home), {})[1], Role.JOB_ADVISER),
]

NO_CITIZEN_DATA = {
    "internships:list": "the signed-in citizen's own cards and applications; anyone else gets 404",
    "internships:apply": "the signed-in citizen's own card; anyone else gets 404",
    "internships:withdraw": "the signed-in citizen's own application; anyone else gets 404",
}

EXEMPT = {
    "internships:employer_list": "national employer page: the employer's own places only",
    "internships:employer_create": "national employer page: creates the employer's own place",
    "internships:employer_place": "national employer page; another organisation's place is 404 (test_views); "
                                  "each applicant shown is access-logged in the citizen's municipality",
    "internships:employer_edit": "national employer page; another organisation's place is 404 (test_views)",
    "internships:employer_withdraw": "national employer page; another organisation's place is 404 (test_views)",
    "internships:employer_outcome": "national employer page; another organisation's place or applicant is 404 "
                                    "(test_views)",
}
