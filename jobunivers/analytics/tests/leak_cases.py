"""Cross-municipality cases of analytics: a citizen's spells under another municipality are 404 for every
member of A; the citizen's own page shows only their own spells."""

from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role


def _other_spell(world):
    from jobunivers.analytics.tests.factories import SpellFactory
    from jobunivers.citizens.tests.factories import CitizenFactory

    spell = SpellFactory(citizen=CitizenFactory(municipality=world.other), reference="MARKEROTHERSPELL")
    return {"citizen_id": spell.citizen_id}


def _other_own_spell_marker(world):
    from jobunivers.analytics.tests.factories import SpellFactory
    from jobunivers.citizens.models import Citizen

    SpellFactory(citizen=Citizen.all_tenants.get(user=world.other_users["citizen"]), reference="MARKEROTHEROWN")
    return "MARKEROTHEROWN", {}


def _other_offer(world):
    """An offer used only in B: A does not know the service."""
    from jobunivers.citizens.tests.factories import CitizenFactory
    from jobunivers.marketplace.tests.factories import enabled, enrolment, offer

    course = enabled(world.other, offer(title="MARKEROTHEROFFER"))
    enrolment(CitizenFactory(municipality=world.other), course)
    return {"service_key": f"marketplace-{course.offer_id}"}


def _other_offer_marker(world):
    _other_offer(world)
    return "MARKEROTHEROFFER", {}


OBJECT_URLS = [
    LeakCase("analytics:effect", _other_offer),
    LeakCase("analytics:citizen_spells", _other_spell),
    LeakCase("analytics:citizen_spells", _other_spell, method="post",
             data={"started_on": "2026-01-05", "ended_on": "", "exit_reason": ""}),
]

LIST_URLS = [
    ListLeakCase("analytics:effects", _other_offer_marker),
    ListLeakCase("analytics:dashboard", _other_offer_marker),
    ListLeakCase("analytics:national", _other_offer_marker),
    ListLeakCase("analytics:own_job", _other_own_spell_marker),
]

def _home_citizen(world):
    from jobunivers.analytics.tests.factories import SpellFactory
    from jobunivers.citizens.tests.factories import CitizenFactory

    return {"citizen_id": SpellFactory(citizen=CitizenFactory(municipality=world.home)).citizen_id}


ACCESS_LOG_CASES = [
    AccessLogCase("analytics:citizen_spells", _home_citizen, Role.JOB_ADVISER),
    AccessLogCase("analytics:citizen_spells", _home_citizen, Role.JOB_ADVISER, method="post",
                  data={"started_on": "2026-01-05", "ended_on": "", "exit_reason": ""}),
]

NO_CITIZEN_DATA = {
    "analytics:dashboard": "the municipality's aggregates (citizens by track, shares in a job, bookings per "
                           "person, use of services), counts 1 to 4 suppressed",
    "analytics:dashboard_refresh": "POST only: schedules a new computation of the same aggregates; shows nothing "
                                   "but a notice",
    "analytics:national": "every municipality's aggregates, counts 1 to 4 suppressed (the same as the open data)",
    "analytics:effects": "services and how many of the municipality's citizens used each, 1 to 4 suppressed",
    "analytics:effect": "aggregates of users and non-users of one service (counts, shares, curves), groups "
                        "under 5 not shown; no citizen is named or can be singled out",
}

EXEMPT = {
    "analytics:dashboard_refresh": "POST only: schedules a refresh of the aggregates of the municipality in the URL, "
                                   "which only its staff and administrators may ask for (others, and every member "
                                   "of another municipality, get 404 and nothing is scheduled; "
                                   "analytics/tests/test_dashboard_snapshot.py)",
    "analytics:open_data_json": "public national open data: aggregates per municipality, counts 1 to 4 "
                                "suppressed; tested in analytics/tests/test_monitoring.py",
    "analytics:open_data_csv": "public national open data (the same figures as CSV)",
    "analytics:own_job_withdraw": "POST only, for the signed-in citizen's own report (the spell id is checked "
                                  "against the citizen); tested in analytics/tests/test_views.py",
    "analytics:people_like_you_consent": "POST only, the signed-in citizen's own consent; another municipality's "
                                         "citizen gets 404 and nothing is written "
                                         "(analytics/tests/test_people_like_you.py)",
}
