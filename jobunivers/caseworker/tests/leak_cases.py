"""Cross-municipality cases for the staff workspace: B's citizens, notes, conversations, pushes and
filters are 404 (objects) or absent (lists) for every member of A."""

from jobunivers.core.testing import LeakCase, ListLeakCase


def _other_citizen(world):
    return world.other_users["citizen"].citizen


def _citizen_case(world):
    return {"citizen_id": _other_citizen(world).pk}


def _marked_citizen(world):
    user = world.other_users["citizen"]
    user.first_name = "MARKEROTHERCITIZEN"
    user.save(update_fields=["first_name"])
    return user.citizen


def _assigned_marker(world):
    """B's citizen, with B's consultant as consultant and a reminder note: nothing of it may show in A."""
    from jobunivers.caseworker.tests.factories import CaseNoteFactory
    from jobunivers.segmentation.models import ConsultantAssignment

    citizen = _marked_citizen(world)
    ConsultantAssignment.all_tenants.create(
        municipality=world.other, citizen=citizen, consultant=world.other_users["personal_consultant"],
        started_at=citizen.created_at, reason="leak test",
    )
    CaseNoteFactory(citizen=citizen, author=world.other_users["personal_consultant"], text="MARKEROTHERNOTE")
    return "MARKEROTHER", {}


def _note_case(world):
    from jobunivers.caseworker.tests.factories import CaseNoteFactory

    note = CaseNoteFactory(citizen=_other_citizen(world), author=world.other_users["personal_consultant"],
                           due_on=None)
    return {"note_id": note.pk}


def _conversation_case(world):
    from jobunivers.caseworker.tests.factories import ConversationFactory

    conversation = ConversationFactory(citizen=_other_citizen(world),
                                       summoned_by=world.other_users["personal_consultant"])
    return {"conversation_id": conversation.pk}


def _push_case(world):
    from jobunivers.caseworker.tests.factories import PushFactory

    return {"push_id": PushFactory(municipality=world.other, sent_by=world.other_users["job_journey_assistant"]).pk}


def _push_marker(world):
    from jobunivers.caseworker.tests.factories import PushFactory

    PushFactory(municipality=world.other, sent_by=world.other_users["job_journey_assistant"],
                title="MARKEROTHERPUSH")
    return "MARKEROTHERPUSH", {}


def _filter_case(world):
    from jobunivers.caseworker.tests.factories import SavedFilterFactory

    return {"filter_id": SavedFilterFactory(municipality=world.other,
                                            owner=world.other_users["personal_consultant"]).pk}


def _population_marker(world):
    from jobunivers.citizens.models import Profile

    citizen = _other_citizen(world)
    Profile.all_tenants.update_or_create(citizen=citizen, defaults={"municipality": world.other,
                                                                    "occupation_text": "MARKEROTHEROCCUPATION"})
    return "MARKEROTHEROCCUPATION", {}


OBJECT_URLS = [
    LeakCase("caseworker:citizen", _citizen_case),
    LeakCase("caseworker:cue_card", _citizen_case),
    LeakCase("caseworker:note_add", _citizen_case),
    LeakCase("caseworker:note_add", _citizen_case, method="post", data={"text": "x"}),
    LeakCase("caseworker:activity_add", _citizen_case),
    LeakCase("caseworker:summon", _citizen_case),
    LeakCase("caseworker:send", _citizen_case),
    LeakCase("caseworker:note_done", _note_case, method="post"),
    LeakCase("caseworker:outcome", _conversation_case),
    LeakCase("caseworker:my_summons", _conversation_case),
    LeakCase("caseworker:push_detail", _push_case),
    LeakCase("caseworker:saved_filter_delete", _filter_case, method="post"),
]
LIST_URLS = [
    ListLeakCase("caseworker:home", _assigned_marker),
    ListLeakCase("caseworker:worklist", _assigned_marker),
    ListLeakCase("caseworker:search", _assigned_marker),
    ListLeakCase("caseworker:population", _population_marker),
    ListLeakCase("caseworker:find", _population_marker),
    ListLeakCase("caseworker:push_list", _push_marker),
]
EXEMPT = {
    "caseworker:worklist_bulk": "POST only; acts only on citizens in the actor's own caseload "
                                "(test_views: test_bulk_note_refuses_citizens_outside_the_caseload)",
    "caseworker:saved_filter_save": "POST only; saves the actor's own filter text, shows no data",
    "caseworker:push_create": "POST only; re-runs the search in the actor's municipality "
                              "(test_views: test_push_only_reaches_own_municipality)",
}
