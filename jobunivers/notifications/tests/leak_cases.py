from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role


def _notification_in_other(world, title="MARKEROTHERNOTICE"):
    from jobunivers.notifications.contracts import Kind
    from jobunivers.notifications.services import notify

    citizen_user = world.other_users["citizen"]
    result = notify(municipality_id=world.other.pk, citizen_user_id=citizen_user.pk, kind=Kind.GENERAL,
                    subject_key="leak:1", title=title, body="MARKEROTHERBODY", link="/")
    return result.notification_id


def _inbox_marker(world):
    _notification_in_other(world)
    return "MARKEROTHERNOTICE", {}


def _open_case(world):
    return {"notification_id": _notification_in_other(world)}


def _unsubscribe_case(world):
    from jobunivers.notifications.channels import unsubscribe_token

    user = world.other_users["citizen"]
    return {"token": unsubscribe_token(user_id=user.pk, municipality_id=world.other.pk, kinds=["general"],
                                       channel="email")}


def _citizen_deliveries_case(world):
    _notification_in_other(world)
    return {"citizen_id": world.other_users["citizen"].citizen.pk}


OBJECT_URLS = [
    LeakCase("notifications:open", _open_case),
    LeakCase("notifications:open", _open_case, method="post"),
    LeakCase("notifications:unsubscribe", _unsubscribe_case),
    LeakCase("notifications:unsubscribe", _unsubscribe_case, method="post"),
    LeakCase("notifications:citizen_deliveries", _citizen_deliveries_case),
]
LIST_URLS = [ListLeakCase("notifications:inbox", _inbox_marker)]
EXEMPT = {
    "notifications:service_worker": "a static script, the same for everyone",
    "notifications:preferences": "shows only the signed-in citizen's own choices",
    "notifications:mark_all_read": "POST only; marks the signed-in citizen's own messages",
    "notifications:push_subscribe": "POST only; stores the signed-in citizen's own browser subscription",
    "notifications:push_unsubscribe": "POST only; removes the signed-in citizen's own subscriptions",
}


# --- Access log (audit/tests/test_access_log_coverage.py): data in A (world.home) --------------------


def _home_citizen(world):
    return {"citizen_id": world.users["citizen"].citizen.pk}


ACCESS_LOG_CASES = [AccessLogCase("notifications:citizen_deliveries", _home_citizen, Role.JOB_ADVISER)]
NO_CITIZEN_DATA = {
    "notifications:open": "the signed-in user's own notice only (anyone else's is 404); notices go to citizens, "
                          "so a staff member sees no citizen's notice here",
}
