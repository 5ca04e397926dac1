from jobunivers.core.testing import ListLeakCase
from jobunivers.tenancy.roles import Role


def _lookup_in_other(world):
    from jobunivers.audit.services import access_log_record
    from jobunivers.citizens.models import Citizen

    citizen = Citizen.all_tenants.get(user=world.other_users[Role.CITIZEN])
    marker = "LEAK-MARKER-lookup-in-B"
    access_log_record(actor=world.other_users[Role.JOB_ADVISER], municipality_id=world.other.pk,
                      citizen_id=citizen.pk, action="read", purpose="help", what=marker, role=Role.JOB_ADVISER)
    return marker, {}


LIST_URLS = [
    ListLeakCase("audit:my_data", _lookup_in_other),
    ListLeakCase("audit:my_data_printable", _lookup_in_other),
    ListLeakCase("audit:my_data_json", _lookup_in_other),
]

EXEMPT = {
    "audit:my_consents": "POST of the signed-in citizen's own consents; shows nothing",
    "audit:my_erasure": "the signed-in citizen's own erasure; lists only what the law keeps, no data",
}
