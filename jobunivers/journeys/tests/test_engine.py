import datetime

import pytest
from django.utils import timezone

from jobunivers.journeys import engine
from jobunivers.journeys.models import Enrolment, EnrolmentState, Exposure, OptOut, Step, StepRun
from jobunivers.journeys.tests.factories import journey, next_monday, on_track, step, two_arms
from jobunivers.notifications.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db

MONDAY = next_monday()


def _notices(kind="journey"):
    return list(Notification.all_tenants.filter(kind=kind).order_by("recipient_id", "subject_key")
                .values_list("recipient_id", "title"))


def test_a_citizen_on_the_track_is_enrolled_and_gets_the_first_step_once(municipality, admin):
    # given a published journey for track 1 and a citizen on it (and one on another track)
    journey(municipality, admin, steps=[step(title="Velkommen"), step(title="Tjekliste", kind="checklist",
                                                                        wait_days=3)])
    citizen = on_track(municipality, level=1)
    on_track(municipality, level=2)
    # when the engine runs twice at the same moment
    assert engine.enrol(municipality_id=municipality.pk, now=MONDAY) == 1
    assert engine.advance(municipality_id=municipality.pk, now=MONDAY) == 1
    assert engine.enrol(municipality_id=municipality.pk, now=MONDAY) == 0
    assert engine.advance(municipality_id=municipality.pk, now=MONDAY) == 0
    # then one notice, and the enrolment waits three days for step 2
    assert _notices() == [(citizen.user_id, "Velkommen")]
    enrolment = Enrolment.all_tenants.get()
    assert (enrolment.position, enrolment.phase, enrolment.next_due_at) == (2, "send", MONDAY + datetime.timedelta(days=3))
    assert list(StepRun.all_tenants.values_list("purpose", "state")) == [("step", "sent")]


def test_the_last_step_completes_the_journey(municipality, admin):
    journey(municipality, admin, steps=[step(title="Eneste trin")])
    on_track(municipality)
    engine.enrol(municipality_id=municipality.pk, now=MONDAY)
    engine.advance(municipality_id=municipality.pk, now=MONDAY)
    engine.advance(municipality_id=municipality.pk, now=MONDAY + datetime.timedelta(days=1))
    enrolment = Enrolment.all_tenants.get()
    assert (enrolment.state, enrolment.next_due_at) == (EnrolmentState.COMPLETED, None)


def test_weekdays_only_skips_the_weekend():
    friday = datetime.datetime(2027, 3, 5, 10, 0, tzinfo=datetime.UTC)
    assert engine.add_days(friday, 1, weekdays_only=True).date() == datetime.date(2027, 3, 8)
    assert engine.add_days(friday, 1, weekdays_only=False).date() == datetime.date(2027, 3, 6)
    saturday = datetime.datetime(2027, 3, 6, 10, 0, tzinfo=datetime.UTC)
    assert engine.add_days(saturday, 0, weekdays_only=True).date() == datetime.date(2027, 3, 8)


def test_a_worker_that_dies_mid_batch_sends_nothing_twice(municipality, admin, monkeypatch):
    # given three citizens due for step 1
    journey(municipality, admin, steps=[step(title="Trin 1"), step(title="Trin 2", wait_days=1)])
    citizens = [on_track(municipality) for _ in range(3)]
    engine.enrol(municipality_id=municipality.pk, now=MONDAY)
    # when the worker dies after the notices were queued but before the enrolments moved on
    real_update = engine._Advancer.write

    def dies_after_notices(self, batch):
        from jobunivers.core.bulk import insert_rows_ignoring_conflicts
        from jobunivers.notifications.services import notify_many

        insert_rows_ignoring_conflicts(StepRun, batch.runs)
        notify_many(municipality_id=self.municipality_id, notices=batch.notices)
        raise SystemExit("worker killed")

    monkeypatch.setattr(engine._Advancer, "write", dies_after_notices)
    with pytest.raises(SystemExit):
        engine.advance(municipality_id=municipality.pk, now=MONDAY)
    # then nothing of the batch is left
    assert (StepRun.all_tenants.count(), Notification.all_tenants.count()) == (0, 0)
    # and the next run sends each step once, also when it runs again, and the day after sends step 2 once
    monkeypatch.setattr(engine._Advancer, "write", real_update)
    assert engine.advance(municipality_id=municipality.pk, now=MONDAY) == 3
    assert engine.advance(municipality_id=municipality.pk, now=MONDAY) == 0
    assert engine.advance(municipality_id=municipality.pk, now=MONDAY + datetime.timedelta(days=1)) == 3
    assert sorted(_notices()) == sorted([(c.user_id, "Trin 1") for c in citizens] + [(c.user_id, "Trin 2")
                                                                                     for c in citizens])


def test_a_crash_between_steps_resumes_at_the_next_step(municipality, admin):
    # given step 1 committed for a citizen, and then a worker that found the enrolment still at step 1
    # (a pointer that never moved: the StepRun is the key)
    journey(municipality, admin, steps=[step(title="Trin 1"), step(title="Trin 2")])
    on_track(municipality)
    engine.enrol(municipality_id=municipality.pk, now=MONDAY)
    engine.advance(municipality_id=municipality.pk, now=MONDAY, batch_size=1, max_batches=1)
    Enrolment.all_tenants.update(position=1, phase="send", next_due_at=MONDAY)
    # when the engine runs again (twice: the first run finds step 1 done and moves on)
    engine.advance(municipality_id=municipality.pk, now=MONDAY)
    engine.advance(municipality_id=municipality.pk, now=MONDAY)
    # then step 1 is not sent again, and step 2 is sent once
    assert [title for _user, title in _notices()] == ["Trin 1", "Trin 2"]
    assert StepRun.all_tenants.count() == 2


def test_the_weekly_cap_holds_back_a_fourth_notice(municipality, admin):
    journey(municipality, admin, steps=[step(title=f"Trin {n}") for n in range(1, 6)])
    on_track(municipality)
    engine.enrol(municipality_id=municipality.pk, now=MONDAY)
    for _run in range(5):
        engine.advance(municipality_id=municipality.pk, now=MONDAY)
    assert len(_notices()) == engine.CAP_PER_WEEK
    enrolment = Enrolment.all_tenants.get()
    assert (enrolment.position, enrolment.next_due_at) == (4, MONDAY + engine.CAPPED_RETRY)


def test_quiet_hours_and_preferences_are_applied_by_notifications(municipality, admin, settings, tmp_path):
    # given a citizen who wants journey notices by SMS right away, no e-mail, and has quiet hours 22-07
    from jobunivers.notifications import delivery
    from jobunivers.notifications.services import preferences_set, quiet_hours_set

    settings.NOTIFICATIONS_SMS_FILE = str(tmp_path / "sms.jsonl")
    journey(municipality, admin, steps=[step(title="Trin 1")])
    citizen = on_track(municipality)
    citizen.user.phone = "+4512345678"
    citizen.user.save()
    preferences_set(actor=citizen.user, municipality_id=municipality.pk,
                    choices={("journey", "sms"): "immediate", ("journey", "email"): "off"})
    quiet_hours_set(actor=citizen.user, municipality_id=municipality.pk, starts_at=datetime.time(22, 0),
                    ends_at=datetime.time(7, 0))
    # when the engine sends the step and delivery runs at 23:30
    engine.enrol(municipality_id=municipality.pk, now=MONDAY)
    engine.advance(municipality_id=municipality.pk, now=MONDAY)
    assert sorted(OutboxMessage.all_tenants.values_list("channel", flat=True)) == ["in_app", "sms"]
    night = timezone.make_aware(datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=1),
                                                          datetime.time(23, 30)))
    delivery.deliver_due(now=night)
    # then the text message waits until 07:00
    sms = OutboxMessage.all_tenants.get(channel="sms")
    assert sms.status == "queued"
    assert timezone.localtime(sms.next_attempt_at).time() == datetime.time(7, 0)


def test_an_opted_out_citizen_gets_only_mandatory_steps(municipality, admin):
    made, _version = journey(municipality, admin, steps=[step(title="Valgfrit"), step(title="Skal", mandatory=True)])
    citizen = on_track(municipality)
    OptOut.all_tenants.create(municipality=municipality, citizen=citizen, journey=made)
    engine.enrol(municipality_id=municipality.pk, now=MONDAY)
    engine.advance(municipality_id=municipality.pk, now=MONDAY)
    engine.advance(municipality_id=municipality.pk, now=MONDAY)
    assert _notices() == [(citizen.user_id, "Skal")]
    assert sorted(StepRun.all_tenants.values_list("state", "skip_reason")) == [("sent", ""), ("skipped", "opted_out")]


def test_a_running_citizen_stays_on_their_version(municipality, admin):
    # given a citizen who started on version 1
    from jobunivers.journeys import services

    made, v1 = journey(municipality, admin, steps=[step(title="V1 trin 1"), step(title="V1 trin 2", wait_days=2)])
    first = on_track(municipality)
    engine.enrol(municipality_id=municipality.pk, now=MONDAY)
    engine.advance(municipality_id=municipality.pk, now=MONDAY)
    # when version 2 changes step 2 and is published, and a new citizen arrives
    draft = services.draft_create(actor=admin, journey=made)
    second_step = Step.all_tenants.get(version=draft, position=2)
    services.step_save(actor=admin, version=draft, step=second_step, data=step(title="V2 trin 2", wait_days=2))
    services.version_publish(actor=admin, version=draft)
    newcomer = on_track(municipality)
    engine.enrol(municipality_id=municipality.pk, now=MONDAY)
    engine.advance(municipality_id=municipality.pk, now=MONDAY + datetime.timedelta(days=2))
    engine.advance(municipality_id=municipality.pk, now=MONDAY + datetime.timedelta(days=4))
    # then the first citizen got version 1's step 2, the newcomer version 2's
    titles = {}
    for user_id, title in _notices():
        titles.setdefault(user_id, []).append(title)
    assert titles == {first.user_id: ["V1 trin 1", "V1 trin 2"], newcomer.user_id: ["V1 trin 1", "V2 trin 2"]}
    assert Enrolment.all_tenants.get(citizen=first).version_id == v1.pk


def test_a_condition_met_takes_the_branch_and_a_reminder_comes_once(municipality, admin):
    # given step 1 that waits 4 days for a click, reminds after 2, and otherwise ends; step 2 after a click
    journey(municipality, admin, steps=[
        step(title="Læs tjeklisten", condition="clicked", condition_days=4, reminder_after_days=2, next_if_not=0),
        step(title="Godt gået")])
    clicker, idle = on_track(municipality), on_track(municipality)
    engine.enrol(municipality_id=municipality.pk, now=MONDAY)
    engine.advance(municipality_id=municipality.pk, now=MONDAY)
    # when one follows the link on day 1 and the days pass
    StepRun.all_tenants.filter(citizen=clicker).update(clicked_at=MONDAY + datetime.timedelta(hours=3))
    for day in range(1, 6):
        engine.advance(municipality_id=municipality.pk, now=MONDAY + datetime.timedelta(days=day, minutes=1))
    # then the clicker got step 2, the other a reminder and an end
    titles = {}
    for user_id, title in _notices():
        titles.setdefault(user_id, []).append(title)
    assert sorted(titles[clicker.user_id]) == ["Godt gået", "Læs tjeklisten"]
    assert sorted(titles[idle.user_id]) == ["Læs tjeklisten", "Påmindelse: Læs tjeklisten"]
    assert Enrolment.all_tenants.get(citizen=idle).state == EnrolmentState.COMPLETED


def test_experiment_arms_change_the_step_and_exposure_is_logged(municipality, admin):
    _made, version = journey(municipality, admin, steps=[step(title="Velkommen")],
                             experiment=two_arms(holdout=20))
    citizens = [on_track(municipality) for _ in range(40)]
    engine.enrol(municipality_id=municipality.pk, now=MONDAY)
    engine.advance(municipality_id=municipality.pk, now=MONDAY)
    arms = dict(Enrolment.all_tenants.values_list("citizen_id", "arm"))
    assert set(arms) == {c.pk for c in citizens}
    sent = dict(_notices())
    for citizen in citizens:
        expected = {"a": "Kort velkomst", "b": "Lang velkomst", "holdout": None}[arms[citizen.pk]]
        assert sent.get(citizen.user_id) == expected
    assert dict(Exposure.all_tenants.values_list("citizen_id", "arm")) == arms
    assert set(Enrolment.all_tenants.filter(arm="holdout").values_list("state", flat=True)) <= {"holdout"}


def test_job_found_exits_the_journey(municipality, admin):
    from jobunivers.journeys.handlers import on_outcome_recorded

    journey(municipality, admin, steps=[step(), step(title="Trin 2", wait_days=2)])
    citizen = on_track(municipality)
    engine.enrol(municipality_id=municipality.pk, now=MONDAY)

    class Outcome:
        municipality_id, citizen_id, exit_reason = municipality.pk, citizen.pk, "job"

    on_outcome_recorded(Outcome)
    enrolment = Enrolment.all_tenants.get()
    assert (enrolment.state, enrolment.exit_reason, enrolment.next_due_at) == ("exited", "job_found", None)
    assert engine.advance(municipality_id=municipality.pk, now=timezone.now()) == 0
