from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase
from jobunivers.tenancy.roles import Role


def _other_citizen(world):
    return {"citizen_id": world.other_users["citizen"].citizen.pk}


OBJECT_URLS = [LeakCase("matching:citizen_feed", _other_citizen)]
EXEMPT = {
    "matching:feed": "shows only the signed-in citizen's own feed; job ads are national",
    "matching:job": "a national job ad with the signed-in citizen's own reasons",
    "matching:save": "POST only; acts for the signed-in citizen on a national job ad",
    "matching:dismiss": "POST only; acts for the signed-in citizen on a national job ad",
    "matching:applied": "POST only; acts for the signed-in citizen on a national job ad",
}


# --- Access log (audit/tests/test_access_log_coverage.py): data in A (world.home) --------------------


def _home_citizen(world):
    return {"citizen_id": world.users["citizen"].citizen.pk}


ACCESS_LOG_CASES = [AccessLogCase("matching:citizen_feed", _home_citizen, Role.JOB_ADVISER)]
