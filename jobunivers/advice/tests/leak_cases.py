"""Cross-municipality cases of advice: every URL is the signed-in citizen's own (no object id in the
URL), so members of municipality A, whatever their role, never reach B's citizen's diagnosis: the
pages answer for A's citizen only and refuse every other role; B's citizen's facts never show."""

from jobunivers.core.testing import ListLeakCase


def _other_citizen_marker(world):
    """B's citizen has a stored diagnosis and a job log entry with the marker; A's pages must not show it."""
    from jobunivers.advice.tests.helpers import log_entry, seeker, store_diagnoses

    citizen = seeker(world.other, user=world.other_users["citizen"])
    log_entry(citizen, employer="MARKEROTHERADVICE")
    store_diagnoses([citizen.pk])
    return "MARKEROTHERADVICE", {}


LIST_URLS = [
    ListLeakCase("advice:why", _other_citizen_marker),
    ListLeakCase("advice:market", _other_citizen_marker),
]

EXEMPT = {
    "advice:answer": "POST only, for the signed-in citizen's own steps (no object id); tested in "
                     "advice/tests/test_views.py: other roles get 404/403 and nothing is written",
}
