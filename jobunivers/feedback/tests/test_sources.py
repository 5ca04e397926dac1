"""Each interaction source asks once, through its own event wired in config/events.py."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from jobunivers.assistant import services as assistant
from jobunivers.assistant.contracts import Answer, CardAnswer
from jobunivers.booking import services as booking
from jobunivers.booking.tests.factories import at, hours, weekday_ahead
from jobunivers.caseworker import services as caseworker
from jobunivers.core.context import tenant_context
from jobunivers.dialogue import services as dialogue
from jobunivers.feedback import handlers
from jobunivers.feedback.models import PulseRequest
from jobunivers.marketplace import services as marketplace
from jobunivers.marketplace.tests import factories as offers
from jobunivers.notifications.models import Notification
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def _requests():
    return list(PulseRequest.all_tenants.order_by("pk").values_list("kind", "interaction_key", "service_key",
                                                                    "service_label", "status"))


def test_a_held_booking_asks_once_however_often_attendance_is_recorded(citizen, member, municipality,
                                                                       django_capture_on_commit_callbacks):
    # given a booked video conversation that has begun
    adviser = member(Role.JOB_ADVISER, municipality)
    hours(municipality, adviser)
    held = booking.booking_create(actor=citizen.user, citizen=citizen, adviser_id=adviser.pk,
                                  starts_at=at(weekday_ahead(), 9), channel="video", purpose="job_search")
    after = held.starts_at + datetime.timedelta(minutes=20)
    # when staff record it as held, and again
    with django_capture_on_commit_callbacks(execute=True):
        booking.booking_record_attendance(actor=adviser, booking=held, status="held", now=after)
    with django_capture_on_commit_callbacks(execute=True):
        booking.booking_record_attendance(actor=adviser, booking=held, status="held", now=after)
    # then one question about the conversation
    assert _requests() == [("booking", f"booking:{held.pk}", "booking:video", "Videosamtale", "sent")]
    assert Notification.all_tenants.filter(recipient=citizen.user, kind="feedback").count() == 1


def test_a_no_show_asks_nothing(citizen, member, municipality, django_capture_on_commit_callbacks):
    adviser = member(Role.JOB_ADVISER, municipality)
    hours(municipality, adviser)
    missed = booking.booking_create(actor=citizen.user, citizen=citizen, adviser_id=adviser.pk,
                                    starts_at=at(weekday_ahead(), 10), channel="phone", purpose="job_search")
    with django_capture_on_commit_callbacks(execute=True):
        booking.booking_record_attendance(actor=adviser, booking=missed, status="no_show",
                                          now=missed.starts_at + datetime.timedelta(minutes=20))
    assert _requests() == []


def test_a_held_summons_asks_once(citizen, member, municipality, django_capture_on_commit_callbacks):
    # given a summons to a phone conversation
    adviser = member(Role.JOB_ADVISER, municipality)
    with tenant_context(municipality):
        conversation = caseworker.conversation_summon(
            actor=adviser, citizen=citizen, starts_at=timezone.now() + datetime.timedelta(days=2), mode="phone",
            agenda="Status på jobsøgningen")
        # when it is recorded as held twice
        for _n in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                caseworker.conversation_record_outcome(actor=adviser, conversation=conversation, status="held",
                                                       outcome="Vi talte om CV")
    # then one question
    assert _requests() == [("summons", f"summons:{conversation.pk}", "summons:phone",
                            "Indkaldelse: Telefonsamtale", "sent")]


def test_an_answered_message_asks_and_a_second_staff_message_does_not(citizen, member, municipality,
                                                                     django_capture_on_commit_callbacks):
    # given a citizen's question to the job centre
    adviser = member(Role.JOB_ADVISER, municipality)
    thread = dialogue.thread_open(actor=citizen.user, citizen=citizen, subject="Min plan", text="Hjælp?")
    # when staff answer, and write once more before the citizen writes again
    with django_capture_on_commit_callbacks(execute=True):
        answer = dialogue.message_send(actor=adviser, thread=thread, text="Her er svaret")
    with django_capture_on_commit_callbacks(execute=True):
        dialogue.message_send(actor=adviser, thread=thread, text="Og en ting mere")
    # then one question, about the answer
    assert _requests() == [("dialogue", f"message:{answer.pk}", "dialogue:message", "Beskeder til jobcentret", "sent")]


def _card(key="dagpenge-ferie", title="Ferie på dagpenge"):
    today = timezone.localdate()
    return CardAnswer(key=key, title=title, short="", long="", sources=(), legal_refs=(), valid_from=today,
                      valid_to=None, last_reviewed=today, needs_assessment=False, local=False)


def test_an_assistant_answer_to_a_signed_in_citizen_asks_yes_or_no(citizen, member, municipality,
                                                                   django_capture_on_commit_callbacks):
    # given answers to a citizen, to a member of staff trying the assistant, and a clarifying question
    staff = member(Role.JOB_ADVISER, municipality)
    with django_capture_on_commit_callbacks(execute=True):
        question = assistant.question_record(actor=citizen.user, municipality_id=municipality.pk,
                                             text="Må jeg holde ferie?", language="da",
                                             answer=Answer(kind="answered", card=_card()))
        assistant.question_record(actor=staff, municipality_id=municipality.pk, text="Må jeg holde ferie?",
                                  language="da", answer=Answer(kind="answered", card=_card()))
        assistant.question_record(actor=citizen.user, municipality_id=municipality.pk, text="ferie",
                                  language="da", answer=Answer(kind="clarify"))
    # then only the citizen's answered question is asked about, as yes/no
    assert _requests() == [("assistant", f"question:{question.pk}", "card:dagpenge-ferie", "Ferie på dagpenge",
                            "sent")]
    assert PulseRequest.all_tenants.get().scale == "yes_no"


def test_marketplace_use_asks_about_a_launch_but_not_an_enrolment(citizen, municipality,
                                                                  django_capture_on_commit_callbacks):
    # given an offer of the municipality
    curated = offers.enabled(municipality, offers.offer(title="Sådan skriver du et godt CV"))
    # when the citizen enrols and then starts it
    with django_capture_on_commit_callbacks(execute=True):
        marketplace.enrol(actor=citizen.user, citizen=citizen, municipal_offer=curated, add_to_plan=False)
    with django_capture_on_commit_callbacks(execute=True):
        marketplace.launch(actor=citizen.user, citizen=citizen, municipal_offer=curated)
    # then one question, about the offer
    rows = _requests()
    assert [row[0:1] + row[2:] for row in rows] == [
        ("marketplace", f"offer:{curated.offer_id}", "Sådan skriver du et godt CV", "sent")]
    assert rows[0][1].startswith("use:")


@dataclass(frozen=True)
class LearningCompleted:
    """A stand-in with the attributes feedback.contracts documents for the learning app's event."""

    municipality_id: int
    citizen_id: int
    item_kind: str
    item_id: int
    title: str
    completed_at: datetime.datetime


def test_a_completed_learning_module_asks_once(municipality, django_capture_on_commit_callbacks):
    # given a citizen enrolled in a module
    from jobunivers.learning import services as learning
    from jobunivers.learning.tests.helpers import citizen_of, make_module, right_answers

    module = make_module(title="Prøvemodul")
    learner = citizen_of(municipality)
    enrolment = learning.enrol(actor=learner.user, citizen=learner, module_id=module.pk)
    # when they pass every lesson's quiz
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in module.lessons.order_by("position"):
            learning.quiz_answer(actor=learner.user, enrolment=enrolment, lesson_id=lesson.pk,
                                 answers=right_answers(lesson))
    # then one question about the module, by its title (learning.contracts.ModuleCompleted, config/events.py)
    assert _requests() == [("learning", f"module:{module.pk}", f"module:{module.pk}", "Prøvemodul", "sent")]


def test_a_completed_lesson_asks_once(citizen, municipality):
    event = LearningCompleted(municipality_id=municipality.pk, citizen_id=citizen.pk, item_kind="lesson",
                              item_id=3, title="Jobsamtalen", completed_at=timezone.now())
    handlers.on_learning_completed(event)
    handlers.on_learning_completed(event)
    assert _requests() == [("learning", "lesson:3", "lesson:3", "Jobsamtalen", "sent")]


def test_the_events_of_one_day_send_one_question_and_count_the_rest(citizen, municipality):
    for item_id in (1, 2, 3):
        handlers.on_learning_completed(LearningCompleted(
            municipality_id=municipality.pk, citizen_id=citizen.pk, item_kind="course", item_id=item_id,
            title="Kursus", completed_at=timezone.now()))
    assert [row[4] for row in _requests()] == ["sent", "skipped", "skipped"]


def test_a_completed_internship_asks_once_however_often_the_event_comes(citizen, municipality,
                                                                        django_capture_on_commit_callbacks):
    # given the internships app's event, published through config/events.py as the daily run does
    from jobunivers.core.events import publish_on_commit
    from jobunivers.internships.contracts import InternshipCompleted

    event = InternshipCompleted(municipality_id=municipality.pk, citizen_id=citizen.pk, application_id=41)
    # when it is published, and again (a re-run)
    with django_capture_on_commit_callbacks(execute=True):
        publish_on_commit(event)
    with django_capture_on_commit_callbacks(execute=True):
        publish_on_commit(event)
    # then one question about the internship, in Danish
    assert _requests() == [("internship", "internship:41", "internship", "Virksomhedspraktik", "sent")]
    notice = Notification.all_tenants.get(recipient=citizen.user, kind="feedback")
    assert "Hvordan var din praktik?" in f"{notice.title} {notice.body}"
