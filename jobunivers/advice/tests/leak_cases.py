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


def _other_statistics_marker(world):
    """B has seven citizens whose diagnosis has "no_cv" and one who marked its step done; A has none,
    so A's page says 0 (and B's 7 never appears in the module's row)."""
    from django.utils import timezone

    from jobunivers.advice.models import Diagnosis
    from jobunivers.citizens.tests.factories import CitizenFactory

    for _n in range(7):
        citizen = CitizenFactory(municipality=world.other)
        Diagnosis.all_tenants.create(municipality=world.other, citizen=citizen, computed_at=timezone.now(),
                                     findings=[{"module": "no_cv"}], facts={})
    return '<tr data-module="no_cv"><th scope="row">Intet CV</th><td>CV og profil</td>\n    <td>7</td>', {}


LIST_URLS = [
    ListLeakCase("advice:why", _other_citizen_marker),
    ListLeakCase("advice:market", _other_citizen_marker),
    ListLeakCase("advice:module_statistics", _other_statistics_marker),
]

NO_CITIZEN_DATA = {
    "advice:module_statistics": "counts per advice module in the staff member's own municipality, 1 to 4 "
                                "suppressed; no citizen is named or can be singled out",
}

EXEMPT = {
    "advice:answer": "POST only, for the signed-in citizen's own steps (no object id); tested in "
                     "advice/tests/test_views.py: other roles get 404/403 and nothing is written",
}
