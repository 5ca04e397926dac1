import datetime

import pytest
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.caseworker.models import CaseNote, Conversation
from jobunivers.caseworker.tests.factories import CaseNoteFactory, ConversationFactory
from jobunivers.citizens.models import JobLogEntry, PlanItem
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.context import tenant_context
from jobunivers.core.testing import client_for, murl
from jobunivers.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _busy_citizen(municipality, consultant):
    citizen = CitizenFactory(municipality=municipality, user__first_name="Ida", user__last_name="Holm",
                             registered_on=timezone.localdate() - datetime.timedelta(days=50))
    for index in range(5):
        JobLogEntry.all_tenants.create(municipality=municipality, citizen=citizen, employer=f"Firma {index}",
                                       job_title="Lagerarbejder", occurred_on=timezone.localdate())
        PlanItem.all_tenants.create(municipality=municipality, citizen=citizen, item_type="own_activity",
                                    title=f"Aktivitet {index}", created_by_kind="staff")
        CaseNoteFactory(citizen=citizen, author=consultant, text=f"Notat {index}")
        ConversationFactory(citizen=citizen, summoned_by=consultant)
    return citizen


def test_citizen_page_shows_everything_in_time_order_and_is_logged_with_purpose(municipality, member):
    consultant = member("personal_consultant", municipality)
    citizen = _busy_citizen(municipality, consultant)
    client = client_for(consultant)
    # when the consultant opens the page
    page = client.get(murl(municipality, "caseworker:citizen", citizen_id=citizen.pk)).content.decode()
    # then profile, plan, job log, notes, conversations and the timeline are there
    for text in ("Ida Holm", "Aktivitet 4", "Firma 3", "Notat 2", "Alt hvad der er sket", "Ansøgninger pr. uge"):
        assert text in page
    assert page.count("<h1") == 1
    # and it is logged as help (the personal diagnosis and the journeys on the page have entries of their own,
    # issues 19 and 20)
    entry = AccessLogEntry.all_tenants.exclude(what__in=["personal diagnosis", "journeys"]).get()
    assert (entry.citizen_id, entry.purpose, entry.action) == (citizen.pk, "help", "read")
    for what in ("personal diagnosis", "journeys"):
        assert list(AccessLogEntry.all_tenants.filter(what=what).values_list("citizen_id", "purpose")) == [
            (citizen.pk, "help")]
    # when opened from availability control, it is labelled and logged as availability control
    page = client.get(murl(municipality, "caseworker:citizen", citizen_id=citizen.pk) + "?purpose=availability")
    assert "det du ser og gør her, registreres som rådighedskontrol" in page.content.decode()
    assert AccessLogEntry.all_tenants.order_by("-sequence").first().purpose == "availability"


def test_citizen_page_has_a_bounded_number_of_queries(municipality, member, django_assert_max_num_queries):
    consultant = member("personal_consultant", municipality)
    citizen = _busy_citizen(municipality, consultant)
    for index in range(20):
        CaseNoteFactory(citizen=citizen, author=consultant, text=f"Mere {index}")
    client = client_for(consultant)
    # 48: the permission check and the access-log entry (role, chain head) run inside the selector;
    # 25 more for the personal diagnosis (issue 20): its own access check and entry, and its facts gathered
    # when no stored diagnosis exists yet (a fixed number, whatever the citizen's data); 10 more for the journeys
    # section (issue 19): its access check, its own entry and the citizen's enrolments
    with django_assert_max_num_queries(83):
        assert client.get(murl(municipality, "caseworker:citizen", citizen_id=citizen.pk)).status_code == 200


def test_the_timeline_names_tracks_in_the_viewers_language_from_one_read_of_the_segmentation(
        municipality, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jobunivers.segmentation.tests import factories as seg

    consultant = member("personal_consultant", municipality)
    citizen = _busy_citizen(municipality, consultant)
    made = seg.suggestion(citizen, level=1)
    seg.decision(made, by=consultant)
    seg.assignment(citizen, consultant)
    track = made.track
    track.name_da, track.name_en = "Jobparat", "Job-ready"
    track.save(update_fields=["name_da", "name_en"])
    client = client_for(consultant)
    url = murl(municipality, "caseworker:citizen", citizen_id=citizen.pk)
    # when the page is read in English
    client.cookies["jobunivers_language"] = "en"
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # then the timeline names the track in English, as the track panel does
    assert "Track suggested: Job-ready" in page and "Track decided: Job-ready" in page
    assert "Jobparat" not in page
    # and the suggestions and decisions were read once for the panel and the timeline together
    for table in ("segmentation_suggestion", "segmentation_decision", "segmentation_consultantassignment"):
        assert sum(f'FROM "{table}"' in q["sql"] for q in queries.captured_queries) == 1, table


def test_cue_card_fits_a_short_conversation(municipality, member):
    adviser = member("job_adviser", municipality)
    citizen = CitizenFactory(municipality=municipality, user__first_name="Bo")
    PlanItem.all_tenants.create(municipality=municipality, citizen=citizen, item_type="search_agreement",
                                title="To ansøgninger om ugen", created_by_kind="staff", agreed_with_job_centre=True,
                                weekly_target=2)
    page = client_for(adviser).get(murl(municipality, "caseworker:cue_card", citizen_id=citizen.pk)).content.decode()
    for text in ("Stikordskort: Bo", "Hvad borgeren ønsker", "Bedst matchende job", "Mangler der blokerer for match",
                 "Åbne aftaler", "To ansøgninger om ugen", "Indkald til samtale"):
        assert text in page
    assert list(AccessLogEntry.all_tenants.order_by("sequence").values_list("what", flat=True)) == [
        "cue card", "personal diagnosis"]


def test_summons_tells_the_citizen_once_and_puts_the_meeting_in_the_plan(municipality, member,
                                                                           django_capture_on_commit_callbacks):
    consultant = member("personal_consultant", municipality)
    citizen = CitizenFactory(municipality=municipality)
    day = timezone.localdate() + datetime.timedelta(days=3)
    data = {"date": day.isoformat(), "time": "10:30", "duration_minutes": 30, "mode": "in_person",
            "place": "Jobcentret, Værkmestergade 25", "video_link": "", "agenda": "Status på jobsøgningen",
            "purpose": "help"}
    client = client_for(consultant)
    # when the consultant summons the citizen
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(murl(municipality, "caseworker:summon", citizen_id=citizen.pk), data)
    # then there is a conversation, a meeting in the plan and one notice in the inbox
    assert response.status_code == 302
    conversation = Conversation.all_tenants.get()
    item = PlanItem.all_tenants.get(pk=conversation.plan_item_id)
    assert (item.item_type, item.starts_on, item.location) == ("meeting", day, "Jobcentret, Værkmestergade 25")
    notice = Notification.all_tenants.get(recipient=citizen.user)
    assert notice.kind == "summons" and notice.title.startswith("Du er indkaldt til samtale")
    assert notice.link == murl(municipality, "caseworker:my_summons", conversation_id=conversation.pk)
    # and the citizen can see it and answer
    citizen_client = client_for(citizen.user)
    assert "Status på jobsøgningen" in citizen_client.get(notice.link).content.decode()
    citizen_client.post(notice.link, {"response": "asked_to_move", "message": "Jeg er til jobsamtale den dag"})
    conversation.refresh_from_db()
    assert conversation.citizen_response == "asked_to_move"


def test_a_refused_summons_writes_nothing(municipality, member):
    consultant = member("personal_consultant", municipality)
    citizen = CitizenFactory(municipality=municipality)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for(consultant).post(murl(municipality, "caseworker:summon", citizen_id=citizen.pk), {
        "date": yesterday.isoformat(), "time": "10:00", "duration_minutes": 30, "mode": "video", "video_link": "",
        "agenda": "Opfølgning", "purpose": "help"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Samtalen skal ligge i fremtiden." in page
    assert Conversation.all_tenants.count() == 0 and PlanItem.all_tenants.count() == 0
    assert Notification.all_tenants.count() == 0


def test_recording_the_outcome_closes_the_meeting_in_the_plan(municipality, member, django_capture_on_commit_callbacks):
    from jobunivers.caseworker import services

    consultant = member("personal_consultant", municipality)
    citizen = CitizenFactory(municipality=municipality)
    with django_capture_on_commit_callbacks(execute=True), tenant_context(municipality):
        conversation = services.conversation_summon(
            actor=consultant, citizen=citizen, starts_at=timezone.now() + datetime.timedelta(hours=2),
            mode="video", video_link="https://video.example.dk/rum/1", agenda="Opfølgning", purpose="availability")
    response = client_for(consultant).post(murl(municipality, "caseworker:outcome", conversation_id=conversation.pk),
                                           {"status": "held", "outcome": "Aftalt to ansøgninger om ugen"})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert (conversation.status, conversation.outcome) == ("held", "Aftalt to ansøgninger om ugen")
    assert PlanItem.all_tenants.get(pk=conversation.plan_item_id).status == "done"
    assert AccessLogEntry.all_tenants.get(action="change", what="conversation outcome").purpose == "availability"


def test_note_with_colour_and_reminder(municipality, member):
    consultant = member("personal_consultant", municipality)
    citizen = CitizenFactory(municipality=municipality)
    client = client_for(consultant)
    due = timezone.localdate() + datetime.timedelta(days=7)
    client.post(murl(municipality, "caseworker:note_add", citizen_id=citizen.pk),
                {"text": "Ring om praktik", "colour": "yellow", "due_on": due.isoformat()})
    note = CaseNote.all_tenants.get()
    assert (note.text, note.colour, note.due_on, note.author_id) == ("Ring om praktik", "yellow", due, consultant.pk)
    client.post(murl(municipality, "caseworker:note_done", note_id=note.pk))
    note.refresh_from_db()
    assert note.done_at is not None
    response = client.post(murl(municipality, "caseworker:note_add", citizen_id=citizen.pk), {"text": " ", "colour": "pink"})
    assert response.status_code == 200 and CaseNote.all_tenants.count() == 1


def test_agreed_activity_is_added_to_the_plan(municipality, member):
    adviser = member("job_adviser", municipality)
    citizen = CitizenFactory(municipality=municipality)
    client_for(adviser).post(murl(municipality, "caseworker:activity_add", citizen_id=citizen.pk), {
        "item_type": "search_agreement", "title": "Søg tre job om ugen", "weekly_target": 3})
    item = PlanItem.all_tenants.get()
    assert (item.title, item.agreed_with_job_centre, item.weekly_target, item.created_by_kind) == (
        "Søg tre job om ugen", True, 3, "staff")


def test_citizens_cannot_use_staff_pages(municipality, member):
    citizen_user = member("citizen", municipality)
    other = CitizenFactory(municipality=municipality)
    for name in ("caseworker:citizen", "caseworker:cue_card", "caseworker:summon"):
        # the selector refuses: forbidden looks like missing, and no access-log entry is written
        assert client_for(citizen_user).get(murl(municipality, name, citizen_id=other.pk)).status_code == 404
    assert AccessLogEntry.all_tenants.count() == 0
