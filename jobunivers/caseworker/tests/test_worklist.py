import datetime

import pytest
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.caseworker.models import AvailabilityMirror, CaseNote, SavedFilter
from jobunivers.caseworker.tests.factories import CaseNoteFactory, ConversationFactory
from jobunivers.citizens.models import JobLogEntry
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl
from jobunivers.segmentation.tests.factories import assignment
from jobunivers.tenancy.services import membership_grant

pytestmark = pytest.mark.django_db


def _caseload(municipality, consultant, n, **kwargs):
    citizens = []
    for index in range(n):
        citizen = CitizenFactory(municipality=municipality, user__first_name=f"Borger{index:02d}", **kwargs)
        assignment(citizen, consultant)
        citizens.append(citizen)
    return citizens


def _log(citizen, days_ago):
    entry = JobLogEntry.all_tenants.create(municipality=citizen.municipality, citizen=citizen, employer="Arla",
                                           job_title="Mejerist", occurred_on=timezone.localdate())
    JobLogEntry.all_tenants.filter(pk=entry.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))


def _age(citizen, days):
    type(citizen).all_tenants.filter(pk=citizen.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))


def test_consultant_filters_to_no_job_log_for_30_days(municipality, member):
    # given a consultant with three citizens: logged 3 days ago, logged 40 days ago, never logged (registered 35 days ago)
    consultant = member("personal_consultant", municipality)
    recent, stale, never = _caseload(municipality, consultant, 3)
    for citizen in (recent, stale, never):
        _age(citizen, 35)
    _log(recent, 3)
    _log(stale, 40)
    # and someone else's citizen who never logged
    other = CitizenFactory(municipality=municipality, user__first_name="Fremmed")
    _age(other, 60)
    # when the consultant filters to "no job log entry for 30 days"
    page = client_for(consultant).get(murl(municipality, "caseworker:worklist") + "?alert=no_job_log_30").content.decode()
    # then exactly the two without a recent entry are listed, from their own caseload only
    assert "Borger01" in page and "Borger02" in page
    assert "Borger00" not in page and "Fremmed" not in page
    assert "2 borgere vist" in page
    # and the look-up is in the access log as a search
    entry = AccessLogEntry.all_tenants.get()
    assert (entry.action, entry.purpose, entry.criterion) == ("search", "help", "alert=no_job_log_30")


def test_alerts_cover_meeting_waiting_reminder_overdue_and_availability(municipality, member):
    consultant = member("personal_consultant", municipality)
    meeting, asked, reminder, late, plain = _caseload(municipality, consultant, 5)
    ConversationFactory(citizen=meeting, starts_at=timezone.now() + datetime.timedelta(minutes=5),
                        summoned_by=consultant)
    ConversationFactory(citizen=asked, citizen_response="asked_to_move", summoned_by=consultant)
    CaseNoteFactory(citizen=reminder, author=consultant, due_on=timezone.localdate(), colour="red")
    AvailabilityMirror.all_tenants.create(municipality=municipality, citizen=late, state="deadline_passed",
                                          changed_at=timezone.now())
    client = client_for(consultant)

    def shown(alert):
        page = client.get(murl(municipality, "caseworker:worklist") + f"?alert={alert}&sort=name").content.decode()
        return sorted(name for name in ("Borger00", "Borger01", "Borger02", "Borger03", "Borger04") if name in page)

    assert shown("waiting_for_citizen") == ["Borger00"]
    assert shown("waiting_for_us") == ["Borger01"]
    assert shown("reminder_due") == ["Borger02"]
    assert shown("availability_passed") == ["Borger03"]
    assert shown("new_to_me") == ["Borger00", "Borger01", "Borger02", "Borger03", "Borger04"]
    # once opened, a citizen is no longer new to the consultant
    client.get(murl(municipality, "caseworker:citizen", citizen_id=plain.pk))
    assert "Borger04" not in shown("new_to_me")


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context.captured_queries)


def test_worklist_of_60_citizens_has_a_bounded_number_of_queries(municipality, member, django_assert_max_num_queries):
    # given a consultant with a full caseload of 60 citizens, each with a log entry, a note and a meeting
    consultant = member("personal_consultant", municipality)
    small = member("personal_consultant", municipality)
    for citizen in _caseload(municipality, small, 3):
        _log(citizen, 10)
        CaseNoteFactory(citizen=citizen, author=small, due_on=timezone.localdate())
        ConversationFactory(citizen=citizen, summoned_by=small)
    for citizen in _caseload(municipality, consultant, 60):
        _log(citizen, 10)
        CaseNoteFactory(citizen=citizen, author=consultant, due_on=timezone.localdate())
        ConversationFactory(citizen=citizen, summoned_by=consultant)
    client = client_for(consultant)
    url = murl(municipality, "caseworker:worklist")
    # when the worklist renders; then the number of queries does not grow with the caseload
    with django_assert_max_num_queries(35):
        response = client.get(url)
    assert response.content.decode().count('name="citizen"') == 60
    # and 60 citizens cost exactly as many queries as 3
    small_client = client_for(small)
    small_client.get(url)
    assert _queries(client, url) == _queries(small_client, url)


def test_team_lead_sees_the_team_and_unassigned_citizens_and_assigns_in_bulk(municipality, member):
    # given a team lead, a colleague with one citizen, and one citizen who needs a consultant
    lead = member("personal_consultant", municipality)
    membership_grant(user=lead, role="personal_consultant", municipality=municipality, is_team_lead=True)
    colleague = member("personal_consultant", municipality)
    (theirs,) = _caseload(municipality, colleague, 1)
    from jobunivers.segmentation.models import CitizenInteraction

    waiting = CitizenFactory(municipality=municipality, user__first_name="Ventende")
    CitizenInteraction.all_tenants.create(municipality=municipality, citizen=waiting, state="consultant",
                                          since=timezone.now())
    client = client_for(lead)
    page = client.get(murl(municipality, "caseworker:worklist") + "?alert=unassigned").content.decode()
    assert "Ventende" in page and "Borger00" not in page
    # when the lead assigns the waiting citizen to the colleague
    response = client.post(murl(municipality, "caseworker:worklist_bulk"), {
        "citizen": [waiting.pk], "action": "assign", "consultant": colleague.pk, "reason": "Ledig kapacitet"})
    # then the colleague now has both citizens
    assert response.status_code == 302
    from jobunivers.segmentation.models import ConsultantAssignment

    assert set(ConsultantAssignment.all_tenants.filter(consultant=colleague, ended_at__isnull=True)
               .values_list("citizen_id", flat=True)) == {theirs.pk, waiting.pk}


def test_bulk_note_refuses_citizens_outside_the_caseload(municipality, member):
    consultant = member("personal_consultant", municipality)
    mine = _caseload(municipality, consultant, 2)
    stranger = CitizenFactory(municipality=municipality)
    client = client_for(consultant)
    # when the consultant posts a note for their own and a stranger
    client.post(murl(municipality, "caseworker:worklist_bulk"), {
        "citizen": [mine[0].pk, stranger.pk], "action": "note", "bulk-text": "Husk CV"})
    # then nothing is written
    assert CaseNote.all_tenants.count() == 0
    # and for their own two it is written once each
    client.post(murl(municipality, "caseworker:worklist_bulk"), {
        "citizen": [c.pk for c in mine], "action": "note", "bulk-text": "Husk CV", "bulk-colour": "green"})
    assert sorted(CaseNote.all_tenants.values_list("citizen_id", "text", "colour")) == sorted(
        (c.pk, "Husk CV", "green") for c in mine)


def test_plain_consultants_cannot_assign(municipality, member):
    consultant = member("personal_consultant", municipality)
    (citizen,) = _caseload(municipality, consultant, 1)
    other = member("personal_consultant", municipality)
    client_for(consultant).post(murl(municipality, "caseworker:worklist_bulk"), {
        "citizen": [citizen.pk], "action": "assign", "consultant": other.pk, "reason": "x"})
    from jobunivers.segmentation.models import ConsultantAssignment

    assert ConsultantAssignment.all_tenants.filter(consultant=other).count() == 0


def test_saved_filters_are_personal(municipality, member):
    consultant = member("personal_consultant", municipality)
    client = client_for(consultant)
    client.post(murl(municipality, "caseworker:saved_filter_save"), {"name": "Uden joblog", "query": "alert=no_job_log_30"})
    client.post(murl(municipality, "caseworker:saved_filter_save"), {"name": "", "query": "alert=x"})
    saved = SavedFilter.all_tenants.get()
    assert (saved.name, saved.query, saved.owner_id) == ("Uden joblog", "alert=no_job_log_30", consultant.pk)
    page = client.get(murl(municipality, "caseworker:worklist")).content.decode()
    assert "?alert=no_job_log_30" in page
    colleague = member("personal_consultant", municipality)
    response = client_for(colleague).post(murl(municipality, "caseworker:saved_filter_delete", filter_id=saved.pk))
    assert response.status_code == 404 and SavedFilter.all_tenants.count() == 1


def test_each_staff_profile_is_led_to_its_own_worklist_and_citizens_are_refused(municipality, member):
    # given an adviser, an assistant and a citizen
    # when each opens "My citizens"
    answers = {role: client_for(member(role, municipality)).get(murl(municipality, "caseworker:worklist"))
               for role in ("job_adviser", "job_journey_assistant", "citizen")}
    # then the adviser and the assistant are sent to their own worklists; a citizen is refused
    assert answers["job_adviser"].status_code == 302
    assert answers["job_adviser"]["Location"] == murl(municipality, "caseworker:today")
    assert answers["job_journey_assistant"].status_code == 302
    assert answers["job_journey_assistant"]["Location"] == murl(municipality, "caseworker:overview")
    assert answers["citizen"].status_code == 403


def test_worklist_cells_show_dates_reminders_and_never_in_danish(municipality, member):
    # given a consultant with two citizens: one who logged a job on 2 December 2026 and has a red reminder
    # with a long text due on 9 December, and one who never logged and has an uncoloured reminder
    consultant = member("personal_consultant", municipality)
    logged, quiet = _caseload(municipality, consultant, 2)
    entry = JobLogEntry.all_tenants.create(municipality=municipality, citizen=logged, employer="Arla",
                                           job_title="Mejerist", occurred_on=datetime.date(2026, 12, 2))
    JobLogEntry.all_tenants.filter(pk=entry.pk).update(
        created_at=datetime.datetime(2026, 12, 2, 23, 30, tzinfo=datetime.UTC))  # 3 December in Copenhagen
    CaseNoteFactory(citizen=logged, author=consultant, due_on=datetime.date(2026, 12, 9), colour="red",
                    text="Ring om praktik hos Bygma & Søn <b>fredag</b> efter frokost og bekræft")
    CaseNoteFactory(citizen=quiet, author=consultant, due_on=datetime.date(2027, 1, 4), colour="", text="Kort")
    # when the consultant opens the worklist sorted by name
    page = client_for(consultant).get(murl(municipality, "caseworker:worklist") + "?sort=name").content.decode()
    # then each line shows the day of the last entry in local time, or "Aldrig", and the reminder with its
    # colour, day and the note cut to 40 characters with the ellipsis, escaped
    assert f'<a href="{murl(municipality, "caseworker:citizen", citizen_id=logged.pk)}">Borger00' in page
    assert "<td>03.12.2026</td>" in page
    assert "<td>Aldrig</td>" in page
    assert ('<span class="jobunivers-note jobunivers-note--red">Rød: 9. december – '
            "Ring om praktik hos Bygma &amp; Søn &lt;b&gt;fred…</span>") in page
    assert '<span class="jobunivers-note jobunivers-note--none">4. januar – Kort</span>' in page
    assert '<span class="visually-hidden">Vælg Borger01' in page
