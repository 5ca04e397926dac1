"""Cross-municipality cases of the marketplace: B's own offers, B's curation, B's enrolments and citizens are
absent from A's lists and 404 as objects, for every role; the staff citizen page writes an access-log entry."""

from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role


def _citizen(municipality, user):
    from jobunivers.citizens.models import Citizen

    return Citizen.all_tenants.get(user=user, municipality=municipality)


def _own_offer(municipality, title="MARKEROTHEROFFER"):
    from . import factories

    return factories.offer(provider_kind="municipality", municipality=municipality, kind="job_club", title=title,
                           summary_da=f"{title} resumé")


def _curated(municipality, title="MARKEROTHEROFFER"):
    from . import factories

    return factories.enabled(municipality, _own_offer(municipality, title), local_text="MARKEROTHERLOCAL")


def _other_marker(world):
    _curated(world.other)
    return "MARKEROTHER", {}


def _other_enrolment(world):
    from . import factories

    return factories.enrolment(_citizen(world.other, world.other_users["citizen"]), _curated(world.other))


def _other_rating(world, text="MARKEROTHERRATING"):
    from jobunivers.marketplace.models import Rating

    citizen = _citizen(world.other, world.other_users["citizen"])
    enrolment = _other_enrolment(world)
    return Rating.all_tenants.create(municipality=world.other, offer=enrolment.offer, citizen=citizen,
                                     enrolment=enrolment, score=2, text=text)


def _rating_marker(world):
    _other_rating(world)
    return "MARKEROTHERRATING", {}


def _usage_marker(world):
    from . import factories

    curated = _curated(world.other, "MARKEROTHERUSED")
    factories.enrolment(_citizen(world.other, world.other_users["citizen"]), curated)
    return "MARKEROTHERUSED", {}


def _own_draft_marker(world):
    _own_offer(world.other, "MARKEROTHERDRAFT")
    return "MARKEROTHERDRAFT", {}


LIST_URLS = [
    ListLeakCase("marketplace:usage", _usage_marker),
    ListLeakCase("marketplace:own_offer_new", _own_draft_marker),
    ListLeakCase("marketplace:ratings_moderation", _rating_marker),
    ListLeakCase("marketplace:catalogue", _other_marker),
    ListLeakCase("marketplace:curation", _other_marker),
]

OBJECT_URLS = [
    LeakCase("marketplace:detail", lambda w: {"entry_id": _curated(w.other).pk}),
    LeakCase("marketplace:start", lambda w: {"entry_id": _curated(w.other).pk}, method="post"),
    LeakCase("marketplace:leave", lambda w: {"enrolment_id": _other_enrolment(w).pk}, method="post"),
    LeakCase("marketplace:enable", lambda w: {"offer_id": _own_offer(w.other).pk}, method="post"),
    LeakCase("marketplace:rate", lambda w: {"entry_id": _curated(w.other).pk}, method="post", data={"score": "4"}),
    LeakCase("marketplace:rating_moderate", lambda w: {"rating_id": _other_rating(w).pk}, method="post",
             data={"decision": "approve"}),
    LeakCase("marketplace:curate", lambda w: {"curated_id": _curated(w.other).pk}),
    LeakCase("marketplace:own_offer", lambda w: {"offer_id": _own_offer(w.other).pk}),
    LeakCase("marketplace:own_offer", lambda w: {"offer_id": _own_offer(w.other).pk}, method="post",
             data={"action": "publish"}),
    LeakCase("marketplace:staff_citizen",
             lambda w: {"citizen_id": _citizen(w.other, w.other_users["citizen"]).pk}),
]

EXEMPT: dict[str, str] = {}

ACCESS_LOG_CASES = [
    AccessLogCase("marketplace:staff_citizen",
                  lambda w: {"citizen_id": _citizen(w.home, w.users["citizen"]).pk}, Role.JOB_ADVISER),
]

NO_CITIZEN_DATA = {
    "marketplace:detail": "an offer shown to the citizen; the citizen's own enrolment only to them",
    "marketplace:start": "the citizen's own launch; anyone else gets 404",
    "marketplace:leave": "the citizen's own enrolment; anyone else gets 404",
    "marketplace:curation": "the municipality's choice of offers, no citizen's data",
    "marketplace:enable": "the municipality's choice of offers, no citizen's data",
    "marketplace:curate": "the municipality's choice of offers, no citizen's data",
    "marketplace:rate": "the citizen's own rating; anyone else gets 404",
    "marketplace:ratings_moderation": "ratings' score and text without who wrote them (ADR 0084, ratings)",
    "marketplace:rating_moderate": "approves or rejects a rating; no citizen's identity",
    "marketplace:own_offer_new": "the municipality writes an offer of its own; no citizen's data",
    "marketplace:own_offer": "the municipality's own offer and its versions; no citizen's data",
    "marketplace:usage": "counts of use and ratings per offer; no single citizen's data",
}

# National pages of providers: no municipality's data. A vendor sees only its own offers (another vendor
# gets 404), tested in test_provider_views.
EXEMPT.update({
    "marketplace:provider_offers": "national page: the vendor's own offers, or the national library for the operator",
    "marketplace:provider_offer_new": "national page: a provider writes a new offer",
    "marketplace:provider_offer": "national page: one offer for its provider or reviewer; others get 404",
    "marketplace:vendor_ratings": "national page: approved ratings of the vendor's own offers (cross-vendor in "
                                  "test_ratings)",
    "marketplace:rating_reply": "national page: the vendor replies to a rating of its own offer; others get 404",
    "api:report_use": "national API for a vendor's server, signed with the vendor's reporting key, not a session; "
                      "another vendor's offer or pseudonym is 404 and each enrolment is found in its own "
                      "municipality (test_reporting)",
    "marketplace:vendor_keys": "national page: the vendor's own reporting keys (cross-vendor in test_reporting_views)",
    "marketplace:vendor_key_change": "national page: rotates or revokes one of the vendor's own keys; another "
                                     "vendor's key is refused (test_reporting_views)",
    "marketplace:vendor_launch_key": "national page: makes a new launch key for the vendor the user acts for, "
                                     "never another's (test_reporting_views)",
})
NO_CITIZEN_DATA.update({
    "marketplace:provider_offer": "an offer's content and review; no citizen's data",
    "marketplace:rating_reply": "a reply to a rating; the vendor never sees who wrote it",
    "api:report_use": "a vendor's server reports progress by the citizen's pseudonym and reads nothing back; the "
                      "write is in the citizen's access log (reporting.record_reported_use)",
})
