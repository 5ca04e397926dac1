"""Cross-municipality cases of employers. Organisations and their postings are national; what is a
municipality's is a citizen's follows (and their own follow state on the pages): B's follows never show
in A, and B's follow ids are 404 in A for every role."""

from jobunivers.core.testing import LeakCase, ListLeakCase


def _other_follow(world, name="MARKEROTHERFOLLOW"):
    from jobunivers.citizens.models import Citizen

    from . import factories

    citizen = Citizen.all_tenants.get(user=world.other_users["citizen"], municipality=world.other)
    return factories.follow(citizen, factories.organisation(name))


def _follow_marker(world):
    follow = _other_follow(world)
    return f"following-{follow.pk}", {}


def _follow_marker_on_employer(world):
    follow = _other_follow(world)
    return f"following-{follow.pk}", {"organisation_id": follow.organisation_id}


def _follows_list_marker(world):
    _other_follow(world)
    return "MARKEROTHERFOLLOW", {}


LIST_URLS = [
    ListLeakCase("employers:follows", _follows_list_marker),
    ListLeakCase("employers:likely", _follow_marker),
    ListLeakCase("employers:employer", _follow_marker_on_employer),
    ListLeakCase("employers:why", _follow_marker_on_employer),
]

OBJECT_URLS = [
    LeakCase("employers:unfollow", lambda w: {"follow_id": _other_follow(w).pk}, method="post"),
    LeakCase("employers:follow_notify", lambda w: {"follow_id": _other_follow(w).pk}, method="post",
             data={"notify": "off"}),
]

EXEMPT = {
    "employers:follow": "creates the signed-in citizen's own follow of a national employer or occupation field; "
                        "no municipal object in the URL (bad and foreign ids: test_views)",
    "employers:unsolicited": "logs in the signed-in citizen's own job log; the employer is national "
                             "(bad ids: test_views)",
}

NO_CITIZEN_DATA = {
    "employers:employer": "a national employer's jobs and posting history; the viewer's own follow state only",
    "employers:likely": "national posting history ranked for the viewer's own occupation and place",
    "employers:why": "the criteria of a national employer's score for the viewer's own occupation",
    "employers:follows": "the signed-in citizen's own follows only",
    "employers:unfollow": "the citizen's own follow; anyone else gets 404",
    "employers:follow_notify": "the citizen's own follow; anyone else gets 404",
    "employers:follow": "creates the signed-in citizen's own follow; staff have no citizen record (404)",
    "employers:unsolicited": "writes the signed-in citizen's own job log; staff have no citizen record (404)",
}
