import datetime

import pytest
from django.utils import timezone

from jobunivers.core.context import tenant_context
from jobunivers.core.errors import ValidationFailed
from jobunivers.notifications.contracts import Kind, Notice
from jobunivers.notifications.models import DeliveryStatus, Notification, OutboxMessage, Preference
from jobunivers.notifications.services import (
    next_digest_time,
    notify,
    notify_many,
    preferences_set,
    push_subscribe,
    quiet_hours_set,
)

from .factories import citizen_with_contacts

pytestmark = pytest.mark.django_db


def _notify(citizen, **overrides):
    arguments = {"municipality_id": citizen.municipality_id, "citizen_id": citizen.pk, "kind": Kind.SUMMONS,
                 "subject_key": "summons:1", "title": "Du er indkaldt", "body": "Mød op tirsdag", "link": "/x/"}
    return notify(**{**arguments, **overrides})


def test_notify_queues_inbox_and_the_kinds_default_channels(municipality):
    # given a citizen with e-mail and phone, and no choices of their own
    citizen = citizen_with_contacts(municipality)
    # when a summons is notified
    result = _notify(citizen)
    # then the inbox has it, and e-mail and SMS (the defaults for summons) are queued; push is off
    assert result.created is True
    assert result.queued == {"in_app": "sent", "email": "queued", "sms": "queued"}
    assert Notification.all_tenants.get().title == "Du er indkaldt"


def test_notify_twice_queues_nothing_new(municipality):
    # given a notice that was already queued
    citizen = citizen_with_contacts(municipality)
    first = _notify(citizen)
    # when the same notice is notified again (same citizen, kind and subject)
    second = _notify(citizen, title="Changed title")
    # then nothing new is written
    assert second.created is False
    assert second.notification_id == first.notification_id
    assert Notification.all_tenants.count() == 1
    assert OutboxMessage.all_tenants.count() == 3


def test_notify_accepts_the_citizens_user_instead_of_the_citizen(municipality):
    citizen = citizen_with_contacts(municipality)
    result = notify(municipality_id=municipality.pk, citizen_user_id=citizen.user_id, kind=Kind.GENERAL,
                    subject_key="news:1", title="Nyt", link="")
    assert result.created is True
    assert result.queued == {"in_app": "sent", "email": "digest"}


def test_notify_refuses_a_citizen_of_another_municipality_and_writes_nothing(municipality, other_municipality):
    # given a citizen of another municipality
    citizen = citizen_with_contacts(other_municipality)
    # when notified under this municipality
    with pytest.raises(ValidationFailed):
        notify(municipality_id=municipality.pk, citizen_id=citizen.pk, kind=Kind.GENERAL, subject_key="a",
               title="t")
    # then nothing was written
    assert Notification.all_tenants.count() == 0
    assert OutboxMessage.all_tenants.count() == 0


@pytest.mark.parametrize("overrides, field", [
    ({"kind": "unknown"}, "kind"),
    ({"subject_key": ""}, "subject_key"),
    ({"title": " "}, "title"),
    ({"link": "https://evil.example/"}, "link"),
    ({"link": "//evil.example/"}, "link"),
    ({"channels": ["fax"]}, "channels"),
])
def test_notify_validates_its_input(municipality, overrides, field):
    citizen = citizen_with_contacts(municipality)
    with pytest.raises(ValidationFailed) as error:
        _notify(citizen, **overrides)
    assert field in error.value.messages
    assert Notification.all_tenants.count() == 0


def test_preferences_decide_channel_and_frequency(municipality):
    # given a citizen who wants summons by weekly e-mail and never by SMS
    citizen = citizen_with_contacts(municipality)
    preferences_set(actor=citizen.user, municipality_id=municipality.pk,
                    choices={(Kind.SUMMONS, "email"): "weekly", (Kind.SUMMONS, "sms"): "off"})
    # when notified
    result = _notify(citizen)
    # then e-mail waits for the weekly digest and SMS is not queued
    assert result.queued == {"in_app": "sent", "email": "digest"}
    email = OutboxMessage.all_tenants.get(channel="email")
    assert timezone.localtime(email.next_attempt_at).weekday() == 0
    assert timezone.localtime(email.next_attempt_at).hour == 7


def test_a_missing_address_is_recorded_as_not_sent_with_a_reason(municipality):
    citizen = citizen_with_contacts(municipality, email="", phone="")
    result = _notify(citizen)
    assert result.queued == {"in_app": "sent", "email": "cancelled", "sms": "cancelled"}
    assert OutboxMessage.all_tenants.get(channel="email").last_error == "Der er ikke registreret en e-mailadresse."


def test_turning_a_channel_off_cancels_what_waits_on_it(municipality):
    # given a queued e-mail
    citizen = citizen_with_contacts(municipality)
    _notify(citizen)
    # when the citizen turns e-mail off for summons
    cancelled = preferences_set(actor=citizen.user, municipality_id=municipality.pk,
                                choices={(Kind.SUMMONS, "email"): "off"})
    # then the waiting e-mail is cancelled, the SMS is not
    assert cancelled == 1
    assert OutboxMessage.all_tenants.get(channel="email").status == DeliveryStatus.CANCELLED
    assert OutboxMessage.all_tenants.get(channel="sms").status == DeliveryStatus.QUEUED


def test_preferences_refuse_unknown_choices_and_save_nothing(municipality):
    citizen = citizen_with_contacts(municipality)
    with pytest.raises(ValidationFailed):
        preferences_set(actor=citizen.user, municipality_id=municipality.pk,
                        choices={(Kind.SUMMONS, "email"): "hourly"})
    with pytest.raises(ValidationFailed):
        preferences_set(actor=citizen.user, municipality_id=municipality.pk,
                        choices={(Kind.SUMMONS, "in_app"): "off"})
    assert Preference.all_tenants.count() == 0


def test_quiet_hours_need_both_ends(municipality):
    citizen = citizen_with_contacts(municipality)
    with pytest.raises(ValidationFailed):
        quiet_hours_set(actor=citizen.user, municipality_id=municipality.pk, starts_at=datetime.time(22),
                        ends_at=None)
    quiet = quiet_hours_set(actor=citizen.user, municipality_id=municipality.pk, starts_at=datetime.time(22),
                            ends_at=datetime.time(7))
    assert (quiet.starts_at, quiet.ends_at) == (datetime.time(22), datetime.time(7))


def test_digest_times_are_seven_in_the_morning():
    now = timezone.make_aware(datetime.datetime(2026, 11, 18, 9, 30))  # a Wednesday
    daily = timezone.localtime(next_digest_time("daily", now))
    weekly = timezone.localtime(next_digest_time("weekly", now))
    assert (daily.date(), daily.hour) == (datetime.date(2026, 11, 19), 7)
    assert (weekly.date(), weekly.hour) == (datetime.date(2026, 11, 23), 7)


def test_notify_many_skips_existing_and_strangers(municipality, other_municipality):
    # given two citizens here, one already notified, and a citizen elsewhere
    first, second = citizen_with_contacts(municipality), citizen_with_contacts(municipality)
    stranger = citizen_with_contacts(other_municipality)
    _notify(first, kind=Kind.JOB_MATCH, subject_key="posting:7")
    notices = [Notice(citizen_user_id=c.user_id, kind=Kind.JOB_MATCH, subject_key="posting:7", title="Nyt job",
                      link="/j/7/") for c in (first, second, stranger)]
    # when notified in bulk, twice
    result = notify_many(municipality_id=municipality.pk, notices=notices + notices[1:2])
    again = notify_many(municipality_id=municipality.pk, notices=notices)
    # then only the second citizen got a new notice, once
    assert (result.notifications_created, result.skipped_existing, result.skipped_not_citizen) == (1, 2, 1)
    assert again.notifications_created == 0
    with tenant_context(municipality):
        assert Notification.objects.filter(subject_key="posting:7").count() == 2
        assert OutboxMessage.objects.filter(recipient=second.user, channel="email").get().status == "digest"


def test_push_subscribe_needs_https_and_keys(municipality):
    citizen = citizen_with_contacts(municipality)
    with pytest.raises(ValidationFailed):
        push_subscribe(actor=citizen.user, municipality_id=municipality.pk, endpoint="http://push.example/1",
                       p256dh="k", auth="a")
    subscription = push_subscribe(actor=citizen.user, municipality_id=municipality.pk,
                                  endpoint="https://push.example/1", p256dh="k", auth="a")
    assert subscription.user == citizen.user
