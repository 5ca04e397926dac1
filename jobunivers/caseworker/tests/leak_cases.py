"""Cross-municipality cases for the staff workspace: B's citizens, notes, conversations, pushes and
filters are 404 (objects) or absent (lists) for every member of A."""

from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role


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


def _today_marker(world):
    """B's citizen with a conversation today that they asked to move: nothing of it may show in A."""
    from django.utils import timezone

    from jobunivers.caseworker.tests.factories import ConversationFactory

    citizen = _marked_citizen(world)
    ConversationFactory(citizen=citizen, summoned_by=world.other_users["job_adviser"],
                        starts_at=timezone.now().replace(hour=12, minute=0), citizen_response="asked_to_move",
                        citizen_message="MARKEROTHERMESSAGE")
    return "MARKEROTHER", {}


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


def _offer_in(municipality, title="MARKEROTHEROFFER"):
    from jobunivers.marketplace.tests import factories

    return factories.enabled(municipality, factories.offer(provider_kind="municipality", municipality=municipality,
                                                           kind="job_club", title=title))


OBJECT_URLS = [
    LeakCase("caseworker:offer_push", lambda w: {"curated_id": _offer_in(w.other).pk}),
    LeakCase("caseworker:offer_push", lambda w: {"curated_id": _offer_in(w.other).pk}, method="post",
             data={"query": "cap=10", "idempotency_key": "leak"}),
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
    ListLeakCase("caseworker:today", _today_marker),
    ListLeakCase("caseworker:overview", _push_marker),
    ListLeakCase("caseworker:overview", _population_marker),
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


# --- Access log (audit/tests/test_access_log_coverage.py) -------------------------------------------
# Every case builds its data in A (world.home). POST bodies that need ids or dates known only after
# build are filled in by build: the coverage test calls build(world) before it sends case.data.


_BULK_DATA: dict = {"action": "note", "bulk-text": "Husk CV", "bulk-colour": "green"}
_SUMMON_DATA: dict = {"time": "10:00", "duration_minutes": 30, "mode": "in_person", "place": "Jobcentret",
                      "video_link": "", "agenda": "Opfølgning", "purpose": "help"}


def _home_citizen(world):
    return world.users["citizen"].citizen


def _home_citizen_case(world):
    return {"citizen_id": _home_citizen(world).pk}


def _home_summon_case(world):
    import datetime

    from django.utils import timezone

    _SUMMON_DATA["date"] = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    return _home_citizen_case(world)


def _home_note_case(world):
    from jobunivers.caseworker.tests.factories import CaseNoteFactory

    note = CaseNoteFactory(citizen=_home_citizen(world), author=world.users[Role.PERSONAL_CONSULTANT], due_on=None)
    return {"note_id": note.pk}


def _home_conversation_case(world):
    from jobunivers.caseworker.tests.factories import ConversationFactory

    conversation = ConversationFactory(citizen=_home_citizen(world), summoned_by=world.users[Role.PERSONAL_CONSULTANT])
    return {"conversation_id": conversation.pk}


def _home_caseload(world):
    """The home citizen in the consultant's caseload; the bulk note names them in the POST."""
    from jobunivers.segmentation.models import ConsultantAssignment

    citizen = _home_citizen(world)
    ConsultantAssignment.all_tenants.create(municipality=world.home, citizen=citizen,
                                            consultant=world.users[Role.PERSONAL_CONSULTANT],
                                            started_at=citizen.created_at, reason="access log test")
    _BULK_DATA["citizen"] = [citizen.pk]
    return {}


def _home_push_case(world):
    from jobunivers.caseworker.tests.factories import PushFactory

    _home_citizen(world)
    return {"push_id": PushFactory(municipality=world.home, sent_by=world.users[Role.JOB_JOURNEY_ASSISTANT]).pk}


def _nothing(world):
    _home_citizen(world)
    return {}


def _home_offer_case(world):
    _home_citizen(world)
    return {"curated_id": _offer_in(world.home, "Jobklub").pk}


ACCESS_LOG_CASES = [
    AccessLogCase("caseworker:citizen", _home_citizen_case, Role.PERSONAL_CONSULTANT),
    AccessLogCase("caseworker:cue_card", _home_citizen_case, Role.JOB_ADVISER),
    AccessLogCase("caseworker:note_add", _home_citizen_case, Role.PERSONAL_CONSULTANT, method="post",
                  data={"text": "Ring om praktik", "colour": "yellow"}),
    AccessLogCase("caseworker:note_done", _home_note_case, Role.PERSONAL_CONSULTANT, method="post"),
    AccessLogCase("caseworker:activity_add", _home_citizen_case, Role.JOB_ADVISER, method="post",
                  data={"item_type": "search_agreement", "title": "Søg tre job om ugen", "weekly_target": 3}),
    AccessLogCase("caseworker:summon", _home_summon_case, Role.PERSONAL_CONSULTANT, method="post", data=_SUMMON_DATA),
    AccessLogCase("caseworker:outcome", _home_conversation_case, Role.PERSONAL_CONSULTANT, method="post",
                  data={"status": "held", "outcome": "Aftalt to ansøgninger om ugen"}),
    AccessLogCase("caseworker:send", _home_citizen_case, Role.JOB_ADVISER, method="post",
                  data={"kind": "content", "title": "Jobmesse", "link": "", "message": "", "idempotency_key": "al"}),
    AccessLogCase("caseworker:search", _nothing, Role.JOB_ADVISER, method="post", data={"q": "a"}),
    AccessLogCase("caseworker:worklist", _nothing, Role.PERSONAL_CONSULTANT),
    AccessLogCase("caseworker:today", _nothing, Role.JOB_ADVISER),
    AccessLogCase("caseworker:worklist_bulk", _home_caseload, Role.PERSONAL_CONSULTANT, method="post",
                  data=_BULK_DATA),
    AccessLogCase("caseworker:find", _nothing, Role.JOB_JOURNEY_ASSISTANT, data={"cap": 10}),
    AccessLogCase("caseworker:push_create", _nothing, Role.JOB_JOURNEY_ASSISTANT, method="post",
                  data={"query": "cap=10", "idempotency_key": "al", "kind": "content", "title": "Jobmesse",
                        "link": "", "message": ""}),
    AccessLogCase("caseworker:push_detail", _home_push_case, Role.JOB_JOURNEY_ASSISTANT),
    AccessLogCase("caseworker:offer_push", _home_offer_case, Role.MUNICIPALITY_ADMIN, data={"cap": 10}),
    AccessLogCase("caseworker:offer_push", _home_offer_case, Role.MUNICIPALITY_ADMIN, method="post",
                  data={"query": "cap=10", "idempotency_key": "al"}),
]

NO_CITIZEN_DATA = {
    "caseworker:overview": "the assistant's overview: aggregate counts and pushes (title, sender, counts); "
                           "recipients only on push_detail, which logs",
    "caseworker:home": "start page: links and the signed-in employee's own name, no citizen's data",
    "caseworker:population": "aggregate counts per track, time unemployed, occupation and area; no person is "
                             "named or listed",
    "caseworker:push_list": "pushes: title, kind, sender (staff) and counts; recipients only on push_detail, "
                            "which logs",
    "caseworker:saved_filter_save": "POST of the actor's own filter name and query text; shows no data",
    "caseworker:saved_filter_delete": "POST deleting the actor's own saved filter; shows no data",
    "caseworker:my_summons": "the signed-in citizen's own summons; staff get 404 (not their conversation)",
}
