"""Each staff profile has its own room: start page and worklist for the job adviser (today's
conversations and requests) and the job-journey assistant (population and pushes)."""

import datetime
import re

import pytest
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.caseworker.charts import Series, bar_chart
from jobunivers.caseworker.tests.factories import ConversationFactory, PushFactory
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl
from jobunivers.segmentation.models import Disagreement
from jobunivers.segmentation.tests.factories import suggestion

pytestmark = pytest.mark.django_db


def _today_at(hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(hour, minute)))


def _adviser_world(municipality, member):
    adviser = member("job_adviser", municipality, first_name="Aisha", last_name="Johansen")
    ida = CitizenFactory(municipality=municipality, user__first_name="Ida", user__last_name="Holm")
    bo = CitizenFactory(municipality=municipality, user__first_name="Bo", user__last_name="Berg")
    ConversationFactory(citizen=ida, summoned_by=adviser, starts_at=_today_at(10, 30), mode="phone")
    ConversationFactory(citizen=bo, summoned_by=adviser, starts_at=_today_at(9, 0), place="Jobcentret")
    ConversationFactory(citizen=bo, summoned_by=adviser, starts_at=timezone.now() + datetime.timedelta(days=2),
                        citizen_response="asked_to_move", citizen_message="Jeg er til jobsamtale den dag")
    Disagreement.all_tenants.create(municipality=municipality, citizen=ida, suggestion=suggestion(ida),
                                    kind=Disagreement.Kind.WISH, comment="Jeg vil gerne tale med en person")
    return adviser


def test_the_adviser_sees_todays_conversations_by_time_and_the_open_requests_and_the_look_up_is_logged(
        municipality, member):
    # given two conversations today, one request to move a conversation and one wish for contact
    adviser = _adviser_world(municipality, member)
    # when the adviser opens their worklist
    response = client_for(adviser).get(murl(municipality, "caseworker:today"))
    # then the conversations come in time order and both requests are sentences
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert re.findall(r"<td>(\d\d\.\d\d)</td>", page) == ["09.00", "10.30"]  # Danish times: "kl. 10.30"
    assert "2 samtaler i dag" in page
    assert "2 henvendelser venter" in page
    assert "Bo Berg beder om et andet tidspunkt end" in page
    assert "<q>Jeg er til jobsamtale den dag</q>" in page
    assert "Ida Holm: ønsker mere kontakt" in page
    assert "asked_to_move" not in page and "wish" not in page
    entry = AccessLogEntry.all_tenants.get(actor_user_id=adviser.pk)
    assert (entry.action, entry.what, entry.citizen_id) == ("search", "conversation day", None)


def test_the_adviser_start_page_counts_the_day_without_naming_citizens(municipality, member):
    # given the adviser's day
    adviser = _adviser_world(municipality, member)
    # when the adviser signs in to their start page
    page = client_for(adviser).get(murl(municipality, "caseworker:home")).content.decode()
    # then it counts conversations and requests and links to the worklist, and names no citizen
    assert "2 samtaler i dag." in page
    assert "2 henvendelser fra borgere venter." in page
    assert murl(municipality, "caseworker:today") in page
    assert "Ida" not in page and "Bo Berg" not in page
    assert AccessLogEntry.all_tenants.count() == 0


def test_the_assistant_overview_shows_the_population_and_the_latest_pushes(municipality, member):
    # given two citizens and a push sent by the assistant
    assistant = member("job_journey_assistant", municipality, first_name="Jonas", last_name="Lund")
    CitizenFactory(municipality=municipality)
    CitizenFactory(municipality=municipality)
    PushFactory(municipality=municipality, sent_by=assistant, title="Jobmesse i Aarhus", recipient_count=2)
    # when the assistant opens the start page and the overview
    client = client_for(assistant)
    home = client.get(murl(municipality, "caseworker:home")).content.decode()
    response = client.get(murl(municipality, "caseworker:overview"))
    # then both show the numbers, and the overview lists the push
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 borgere i kommunen." in home
    assert "1 udsendelse sendt de seneste 7 dage" in home
    assert "2 borgere i Aarhus." in page
    assert "Jobmesse i Aarhus, sendt af Jonas Lund til 2 borgere" in page
    assert AccessLogEntry.all_tenants.count() == 0


def test_a_citizen_cannot_open_the_staff_rooms(municipality, member):
    citizen = member("citizen", municipality)
    client = client_for(citizen)
    assert client.get(murl(municipality, "caseworker:today")).status_code == 403
    assert client.get(murl(municipality, "caseworker:overview")).status_code == 403
    assert AccessLogEntry.all_tenants.count() == 0


def test_the_citizen_page_shows_the_suggestion_reasons_as_sentences(municipality, member):
    # given a citizen whose suggestion is explained by tags
    consultant = member("personal_consultant", municipality)
    citizen = CitizenFactory(municipality=municipality)
    suggestion(citizen, tags=["high_self_assessment", "recent_job"])
    # when staff open the citizen
    page = client_for(consultant).get(murl(municipality, "caseworker:citizen", citizen_id=citizen.pk)).content.decode()
    # then the reasons are sentences, not codes
    assert "<li>Du vurderer selv dine chancer for job som gode</li><li>Du har haft job for nylig</li>" in page
    assert "high_self_assessment" not in page and "recent_job" not in page


def test_chart_labels_wrap_instead_of_being_cut_off():
    # given an occupation name longer than a label line
    long_label = "Social- og sundhedsassistent inden for ældreplejen"
    # when it is drawn
    svg = str(bar_chart(chart_id="c", title="T", labels=[long_label, "Smed"],
                        series=[Series("Borgere", [3, 1]), Series("Aktive jobopslag inden for rækkevidde", [2, 0])]))
    # then every word is drawn, over two lines, and nothing is shortened
    lines = re.findall(r"<tspan [^>]*>([^<]*)</tspan>", svg)
    assert lines == ["Social- og sundhedsassistent", "inden for ældreplejen", "Smed"]
    assert "Aktive jobopslag inden for rækkevidde" in svg


def test_no_staff_page_shows_a_reason_code(municipality, member):
    # given a citizen with an explained suggestion, a re-segmentation with a reason, and a wish for contact
    from jobunivers.segmentation.explanations import TAGS, TRANSITION_REASONS
    from jobunivers.segmentation.models import Transition

    consultant = member("personal_consultant", municipality)
    citizen = CitizenFactory(municipality=municipality, user__first_name="Ida")
    made = suggestion(citizen, tags=sorted(TAGS)[:6])
    Transition.all_tenants.create(municipality=municipality, citizen=citizen, from_state="standard",
                                  to_state="reminders", reasons=[{"code": "inactive", "days": 30}])
    Disagreement.all_tenants.create(municipality=municipality, citizen=citizen, suggestion=made,
                                    kind=Disagreement.Kind.WISH, comment="Ring til mig")
    ConversationFactory(citizen=citizen, summoned_by=consultant, starts_at=_today_at(11))
    client = client_for(consultant)
    pages = {name: client.get(murl(municipality, name, **kwargs)).content.decode() for name, kwargs in (
        ("caseworker:citizen", {"citizen_id": citizen.pk}), ("caseworker:cue_card", {"citizen_id": citizen.pk}),
        ("caseworker:today", {}), ("segmentation:worklist", {}),
        ("segmentation:suggestion_detail", {"suggestion_id": made.pk}))}
    # then no page shows a tag or reason code
    codes = set(TAGS) | set(TRANSITION_REASONS)
    assert {name: sorted(code for code in codes if re.search(rf"\b{code}\b", page))
            for name, page in pages.items()} == {name: [] for name in pages}
