"""The daily nudge: through the outbox with the citizen's preferences, once per citizen and day, never
right after the citizen learned, and not forever without progress."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.learning import services
from jobunivers.learning.models import ModuleEnrolment
from jobunivers.learning.nudges import NUDGES_WITHOUT_PROGRESS_MAX, nudges_send, subject_key
from jobunivers.learning.tests.helpers import citizen_of, make_module, right_answers
from jobunivers.notifications.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    # midday, so "an hour later" is the same day whenever the suite runs (at 23:xx it was the next day)
    return timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)


def _enrolled(citizen, key="proeve", *, days_ago=2, now):
    module = make_module(key, title=f"Modul {key}")
    enrolment = services.enrol(actor=citizen.user, citizen=citizen, module_id=module.pk)
    ModuleEnrolment.all_tenants.filter(pk=enrolment.pk).update(
        last_activity_at=now - datetime.timedelta(days=days_ago))
    return enrolment


def test_an_enrolled_citizen_gets_one_nudge_in_danish_with_a_link_to_the_next_lesson(municipality, now):
    # given a citizen with an e-mail address who enrolled two days ago and has not answered since
    citizen = citizen_of(municipality)
    type(citizen.user).objects.filter(pk=citizen.user_id).update(email="mette@example.org")
    enrolment = _enrolled(citizen, now=now)
    # when the nudges run twice the same day
    first = nudges_send(municipality_id=municipality.pk, now=now)
    second = nudges_send(municipality_id=municipality.pk, now=now + datetime.timedelta(hours=1))
    # then one notice is in the inbox, with the citizen's default channels (inbox now, e-mail in the digest)
    assert (first, second) == (1, 0)
    notice = Notification.all_tenants.get()
    lesson = enrolment.module.lessons.order_by("position").first()
    assert (notice.kind, notice.subject_key, notice.title) == ("learning", subject_key(timezone.localdate(now)),
                                                               "Dagens lektion: Modul proeve")
    assert notice.body == "Du er i gang med »Modul proeve«. Næste lektion, »Lektion en«, tager 5 minutter."
    assert notice.link == f"/{municipality.slug}/min-side/laering/{enrolment.module_id}/lektion/{lesson.pk}/"
    assert dict(OutboxMessage.all_tenants.values_list("channel", "status")) == {"in_app": "sent", "email": "digest"}
    enrolment.refresh_from_db()
    assert (enrolment.nudges_sent, enrolment.last_nudged_on) == (1, timezone.localdate(now))


def test_two_modules_still_give_one_nudge_a_day(municipality, now):
    citizen = citizen_of(municipality)
    _enrolled(citizen, "en-modul", days_ago=3, now=now)
    recent = _enrolled(citizen, "andet-modul", days_ago=2, now=now)
    assert nudges_send(municipality_id=municipality.pk, now=now) == 1
    assert Notification.all_tenants.get().title == "Dagens lektion: Modul andet-modul"
    assert ModuleEnrolment.all_tenants.get(pk=recent.pk).nudges_sent == 1


def test_the_next_day_brings_the_next_nudge(municipality, now):
    citizen = citizen_of(municipality)
    _enrolled(citizen, now=now)
    nudges_send(municipality_id=municipality.pk, now=now)
    assert nudges_send(municipality_id=municipality.pk, now=now + datetime.timedelta(days=1)) == 1
    assert Notification.all_tenants.count() == 2


def test_no_nudge_right_after_learning_or_for_a_finished_or_left_module(municipality, now):
    learned = citizen_of(municipality)
    _enrolled(learned, days_ago=0, now=now)
    left = citizen_of(municipality)
    services.enrolment_withdraw(actor=left.user, enrolment=_enrolled(left, "forladt", now=now))
    done = citizen_of(municipality)
    enrolment = _enrolled(done, "faerdigt", now=now)
    for lesson in enrolment.module.lessons.all():
        services.quiz_answer(actor=done.user, enrolment=enrolment, lesson_id=lesson.pk, answers=right_answers(lesson))
    ModuleEnrolment.all_tenants.filter(pk=enrolment.pk).update(last_activity_at=now - datetime.timedelta(days=3))
    assert nudges_send(municipality_id=municipality.pk, now=now) == 0
    assert Notification.all_tenants.count() == 0


def test_nudges_stop_after_five_without_progress_and_start_again_after_an_answer(municipality, now):
    citizen = citizen_of(municipality)
    enrolment = _enrolled(citizen, now=now)
    sent = [nudges_send(municipality_id=municipality.pk, now=now + datetime.timedelta(days=day)) for day in range(7)]
    assert sent == [1] * NUDGES_WITHOUT_PROGRESS_MAX + [0, 0]
    # when the citizen answers a quiz, and three days pass
    lesson = enrolment.module.lessons.order_by("position").first()
    services.quiz_answer(actor=citizen.user, enrolment=enrolment, lesson_id=lesson.pk, answers=right_answers(lesson))
    ModuleEnrolment.all_tenants.filter(pk=enrolment.pk).update(last_activity_at=now + datetime.timedelta(days=7))
    # then the nudges come again, for the second lesson
    assert nudges_send(municipality_id=municipality.pk, now=now + datetime.timedelta(days=10)) == 1
    assert Notification.all_tenants.order_by("-id").first().body.endswith("»Lektion to«, tager 5 minutter.")


def test_a_citizen_who_turned_learning_reminders_off_by_email_gets_them_in_the_inbox_only(municipality, now):
    from jobunivers.notifications.services import preferences_set

    citizen = citizen_of(municipality)
    type(citizen.user).objects.filter(pk=citizen.user_id).update(email="mette@example.org")
    _enrolled(citizen, now=now)
    preferences_set(actor=citizen.user, municipality_id=municipality.pk, choices={("learning", "email"): "off"})
    nudges_send(municipality_id=municipality.pk, now=now)
    assert list(OutboxMessage.all_tenants.values_list("channel", flat=True)) == ["in_app"]


def test_other_municipalities_are_left_alone(municipality, other_municipality, now):
    _enrolled(citizen_of(other_municipality), now=now)
    assert nudges_send(municipality_id=municipality.pk, now=now) == 0
    assert Notification.all_tenants.count() == 0


def test_the_beat_task_runs_every_municipality_with_learners(municipality, other_municipality, now):
    from jobunivers.learning.tasks import send_learning_nudges

    _enrolled(citizen_of(municipality), now=now)
    _enrolled(citizen_of(other_municipality), "b", now=now)
    assert send_learning_nudges.apply().get() == {municipality.pk: 1, other_municipality.pk: 1}
    assert send_learning_nudges.apply().get() == {municipality.pk: 0, other_municipality.pk: 0}


def test_the_nudge_is_in_the_beat_schedule():
    from config.schedule import BEAT_SCHEDULE

    assert BEAT_SCHEDULE["learning.send_learning_nudges"]["task"] == "jobunivers.learning.tasks.send_learning_nudges"
