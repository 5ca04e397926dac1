"""Cross-municipality cases of courses and job clubs (ADR 0120). A group belongs to its owner municipality; an
enrolment and its attendance to the citizen's. Every member of A gets 404 for B's group, meetings,
enrolments and citizens, under every URL. (A cross-municipal club B shares with A is open to A's citizens
only, never to A's staff: test_views.)"""

from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role

MARKER = "MARKEROTHERGROUP"


def _teacher(world, municipality):
    return world.users[Role.JOB_ADVISER] if municipality == world.home else world.other_users[Role.JOB_ADVISER]


def _group(world, municipality, *, kind="course", title=MARKER):
    from jobunivers.groups.tests.helpers import group

    return group(_teacher(world, municipality), municipality, kind=kind, title=title, capacity=3)


def _enrolled(world, municipality, **kwargs):
    from jobunivers.groups.services import join
    from jobunivers.groups.tests.helpers import citizen

    made = _group(world, municipality, **kwargs)
    person = citizen(municipality, first_name="Bodil", last_name=MARKER)
    return made, join(actor=person.user, citizen=person, group_id=made.pk)


def _other_group(world):
    return {"group_id": _group(world, world.other).pk}


def _other_session(world):
    from jobunivers.groups.models import Session

    made = _group(world, world.other)
    return {"group_id": made.pk, "session_id": Session.all_tenants.filter(group=made).first().pk}


def _other_enrolment(world):
    made, enrolment = _enrolled(world, world.other)
    return {"group_id": made.pk, "enrolment_id": enrolment.pk}


def _vendor_taught(world, municipality):
    """A group of `municipality` taught with a vendor that has an offer there."""
    from jobunivers.groups.services import group_update
    from jobunivers.marketplace.tests import factories as market

    vendor = market.vendor("MARKEROTHERVENDOR ApS")
    market.vendor_course(vendor, municipality)
    made, _enrolment = _enrolled(world, municipality)
    return group_update(actor=_teacher(world, municipality), group=made, title=made.title, description="",
                        capacity=made.capacity, status=made.status, vendor_id=vendor.pk)


def _other_vendor_group(world):
    return {"group_id": _vendor_taught(world, world.other).pk}


def _other_vendor_session(world):
    from jobunivers.groups.models import Session

    made = _vendor_taught(world, world.other)
    return {"group_id": made.pk, "session_id": Session.all_tenants.filter(group=made).first().pk}


def _vendor_list_marker(world):
    _vendor_taught(world, world.other)
    return MARKER, {}


def _list_marker(world):
    _enrolled(world, world.other)
    return MARKER, {}


def _home_group(world):
    return {"group_id": _enrolled(world, world.home, title="Kursus")[0].pk}


def _home_session_started(world):
    from jobunivers.groups.models import Session

    made, _enrolment = _enrolled(world, world.home, title="Kursus")
    session = Session.all_tenants.filter(group=made).order_by("starts_at").first()
    Session.all_tenants.filter(pk=session.pk).update(starts_at=session.starts_at.replace(year=2020),
                                                     ends_at=session.ends_at.replace(year=2020))
    return {"group_id": made.pk, "session_id": session.pk}


def _home_enrolment(world):
    made, enrolment = _enrolled(world, world.home, title="Kursus")
    return {"group_id": made.pk, "enrolment_id": enrolment.pk}


def _home_citizen(world):
    return {"citizen_id": _enrolled(world, world.home, title="Kursus")[1].citizen_id}


LIST_URLS = [
    ListLeakCase("groups:list", _list_marker),
    ListLeakCase("groups:staff_list", _list_marker),
    # The vendor pages are national: under A's prefix they are 404 for everyone (cross-vendor: test_vendor).
    ListLeakCase("groups:vendor_list", _vendor_list_marker),
]

OBJECT_URLS = [
    LeakCase("groups:detail", _other_group),
    LeakCase("groups:join", _other_group, method="post"),
    LeakCase("groups:leave", lambda w: {"group_id": _other_enrolment(w)["group_id"]}, method="post"),
    LeakCase("groups:sharing", lambda w: {"group_id": _other_enrolment(w)["group_id"]}, method="post",
             data={"share": "on"}),
    LeakCase("groups:staff_group", _other_group),
    LeakCase("groups:staff_edit", _other_group, method="post",
             data={"title": "X", "description": "", "capacity": "1", "status": "closed"}),
    LeakCase("groups:staff_session_add", _other_group, method="post",
             data={"day": "2026-12-30", "starts": "10:00", "ends": "11:00", "place": "Lokale 1"}),
    LeakCase("groups:staff_task_add", _other_group, method="post", data={"title": "Opgave", "due_on": "2026-12-30"}),
    LeakCase("groups:staff_attendance", _other_session),
    LeakCase("groups:staff_attendance", _other_session, method="post", data={}),
    LeakCase("groups:staff_complete", _other_enrolment, method="post"),
    LeakCase("groups:staff_citizen", lambda w: {"citizen_id": _enrolled(w, w.other)[1].citizen_id}),
    LeakCase("groups:vendor_group", _other_vendor_group),
    LeakCase("groups:vendor_attendance", _other_vendor_session),
    LeakCase("groups:vendor_attendance", _other_vendor_session, method="post", data={}),
]

ACCESS_LOG_CASES = [
    AccessLogCase("groups:staff_group", _home_group, Role.JOB_ADVISER),
    AccessLogCase("groups:staff_attendance", _home_session_started, Role.JOB_ADVISER),
    AccessLogCase("groups:staff_complete", _home_enrolment, Role.JOB_ADVISER, method="post"),
    AccessLogCase("groups:staff_citizen", _home_citizen, Role.PERSONAL_CONSULTANT),
]

NO_CITIZEN_DATA = {
    "groups:list": "the signed-in citizen's own groups; anyone else gets 404",
    "groups:detail": "the signed-in citizen's own place and attendance; anyone else gets 404",
    "groups:join": "the signed-in citizen joins; anyone else gets 404",
    "groups:leave": "the signed-in citizen leaves; anyone else gets 404",
    "groups:sharing": "the signed-in citizen's own choice; anyone else gets 404",
    "groups:staff_list": "the municipality's groups with counts of places and waiting list, no citizen's identity",
    "groups:staff_create": "creates a group: no citizen data",
    "groups:staff_edit": "answers with a redirect; a refused form shows the roster through access_group_roster, "
                         "which logs each citizen listed (test_views)",
    "groups:staff_session_add": "answers with a redirect; a refused form shows the roster through "
                                "access_group_roster, which logs each citizen listed (test_views)",
    "groups:staff_task_add": "answers with a redirect; a refused form shows the roster through "
                             "access_group_roster, which logs each citizen listed (test_views)",
}

EXEMPT = {
    "groups:staff_create": "creates a group in the staff member's own municipality; shows only municipality names",
}
