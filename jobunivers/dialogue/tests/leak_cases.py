"""Cross-municipality cases of the dialogue app: B's threads are absent from A's team inbox, and B's
threads and files are 404 for every member of A."""

from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role


def _citizen(municipality, user):
    from jobunivers.citizens.models import Citizen

    return Citizen.all_tenants.get(user=user, municipality=municipality)


def _thread(municipality, user, subject="Et spørgsmål"):
    from jobunivers.dialogue.tests.factories import thread_for

    return thread_for(_citizen(municipality, user), subject=subject)


def _attachment(municipality, user):
    from jobunivers.dialogue.models import Attachment
    from jobunivers.dialogue.tests.factories import PNG, thread_for, upload

    thread = thread_for(_citizen(municipality, user), attachments=[upload("billede.png", PNG)])
    return Attachment.all_tenants.get(message__thread=thread)


def _other_thread_marker(world):
    _thread(world.other, world.other_users["citizen"], "MARKEROTHERTHREAD")
    return "MARKEROTHERTHREAD", {}


def _other(world):
    return world.other, world.other_users["citizen"]


LIST_URLS = [
    ListLeakCase("dialogue:team_inbox", _other_thread_marker),
    ListLeakCase("dialogue:inbox", _other_thread_marker),
]

OBJECT_URLS = [
    LeakCase("dialogue:thread", lambda w: {"thread_id": _thread(*_other(w)).pk}),
    LeakCase("dialogue:thread", lambda w: {"thread_id": _thread(*_other(w)).pk}, method="post",
             data={"text": "Fra A"}),
    LeakCase("dialogue:attachment", lambda w: {"attachment_id": _attachment(*_other(w)).pk}),
    LeakCase("dialogue:staff_thread", lambda w: {"thread_id": _thread(*_other(w)).pk}),
    LeakCase("dialogue:staff_thread", lambda w: {"thread_id": _thread(*_other(w)).pk}, method="post",
             data={"text": "Fra A"}),
    LeakCase("dialogue:staff_assign", lambda w: {"thread_id": _thread(*_other(w)).pk}, method="post"),
    LeakCase("dialogue:staff_archive", lambda w: {"thread_id": _thread(*_other(w)).pk}, method="post"),
    LeakCase("dialogue:staff_attachment", lambda w: {"attachment_id": _attachment(*_other(w)).pk}),
    LeakCase("dialogue:staff_new", lambda w: {"citizen_id": _citizen(*_other(w)).pk}),
]

EXEMPT = {
    "dialogue:new": "creates the signed-in citizen's own thread in the request's municipality",
}


def _home(world):
    return world.home, world.users["citizen"]


ACCESS_LOG_CASES = [
    AccessLogCase("dialogue:team_inbox", lambda w: (_thread(*_home(w)), {})[1], Role.JOB_ADVISER),
    AccessLogCase("dialogue:staff_thread", lambda w: {"thread_id": _thread(*_home(w)).pk}, Role.JOB_ADVISER),
    AccessLogCase("dialogue:staff_assign", lambda w: {"thread_id": _thread(*_home(w)).pk}, Role.JOB_ADVISER,
                  method="post"),
    AccessLogCase("dialogue:staff_archive", lambda w: {"thread_id": _thread(*_home(w)).pk}, Role.JOB_ADVISER,
                  method="post"),
    AccessLogCase("dialogue:staff_attachment", lambda w: {"attachment_id": _attachment(*_home(w)).pk},
                  Role.JOB_ADVISER),
    AccessLogCase("dialogue:staff_new", lambda w: {"citizen_id": _citizen(*_home(w)).pk}, Role.JOB_ADVISER),
]

NO_CITIZEN_DATA = {
    "dialogue:thread": "the signed-in citizen's own thread; staff get 404 here (they use the team inbox)",
    "dialogue:attachment": "a file in the signed-in citizen's own thread; staff get 404 here",
}
