"""Delivery: sent once, retried with back-off, quiet hours, digests, crashes and concurrent workers."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from jobunivers.notifications import delivery
from jobunivers.notifications.channels import TransientDeliveryError, channels
from jobunivers.notifications.contracts import Kind
from jobunivers.notifications.models import DeliveryStatus, OutboxMessage
from jobunivers.notifications.services import notify, preferences_set, quiet_hours_set

from .factories import citizen_with_contacts

pytestmark = pytest.mark.django_db


def _queue_emails(municipality, count, *, kind=Kind.MESSAGE):
    citizens = [citizen_with_contacts(municipality, email=f"borger{i}@example.dk") for i in range(count)]
    for citizen in citizens:
        notify(municipality_id=municipality.pk, citizen_id=citizen.pk, kind=kind, subject_key="thread:1",
               title="Hemmelig titel om din sag", body="Hemmelig tekst", link="/beskeder/",
               channels=["email"])
    return citizens


def test_an_email_is_sent_once_with_neutral_text_and_one_click_unsubscribe(municipality):
    # given a queued e-mail whose title and body are sensitive
    _queue_emails(municipality, 1)
    # when delivery runs twice
    first = delivery.deliver_due()
    second = delivery.deliver_due()
    # then one e-mail left, without the title or body, with List-Unsubscribe for one click
    assert (first.sent, second.claimed) == (1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Hemmelig" not in message.subject + message.body
    assert "Log ind for at læse den" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/aarhus/beskeder/afmeld/" in message.extra_headers["List-Unsubscribe"]
    row = OutboxMessage.all_tenants.get(channel="email")
    assert (row.status, row.attempts, row.claim_token) == (DeliveryStatus.SENT, 1, "")


def test_a_provider_error_is_retried_with_back_off_then_given_up(municipality, monkeypatch):
    # given a queued e-mail and a mail server that is down
    _queue_emails(municipality, 1)

    def down(self, user, message):
        raise TransientDeliveryError("SMTP 421 try later")

    monkeypatch.setattr(type(channels.get("email")), "send", down)
    now = timezone.now()
    # when delivery runs at each next attempt time
    waits = []
    for _attempt in range(delivery.MAX_ATTEMPTS):
        row = OutboxMessage.all_tenants.get(channel="email")
        report = delivery.deliver_due(now=max(now, row.next_attempt_at))
        assert report.claimed == 1
        after = OutboxMessage.all_tenants.get(channel="email")
        waits.append(round((after.next_attempt_at - max(now, row.next_attempt_at)).total_seconds()))
        now = max(now, row.next_attempt_at)
    # then the waits doubled, and after the last attempt it failed with the reason
    row = OutboxMessage.all_tenants.get(channel="email")
    assert waits[:5] == [60, 120, 240, 480, 960]
    assert row.status == DeliveryStatus.FAILED
    assert row.attempts == delivery.MAX_ATTEMPTS
    assert "SMTP 421 try later" in row.last_error


def test_a_permanent_error_fails_at_once(municipality):
    citizen = citizen_with_contacts(municipality)
    notify(municipality_id=municipality.pk, citizen_id=citizen.pk, kind=Kind.SUMMONS, subject_key="s:1",
           title="t", channels=["sms"])
    citizen.user.phone = "12"  # the file provider refuses it as invalid
    citizen.user.save(update_fields=["phone"])
    report = delivery.deliver_due()
    row = OutboxMessage.all_tenants.get(channel="sms")
    assert (report.failed, row.status, row.attempts) == (1, DeliveryStatus.FAILED, 1)
    assert row.last_error == "invalid phone number"


def test_quiet_hours_hold_text_messages_until_they_end(municipality, settings, tmp_path):
    # given a citizen with quiet hours 22-07 and a queued text message at 23:30
    settings.NOTIFICATIONS_SMS_FILE = str(tmp_path / "sms.jsonl")
    citizen = citizen_with_contacts(municipality)
    quiet_hours_set(actor=citizen.user, municipality_id=municipality.pk, starts_at=datetime.time(22),
                    ends_at=datetime.time(7))
    notify(municipality_id=municipality.pk, citizen_id=citizen.pk, kind=Kind.SUMMONS, subject_key="s:1",
           title="t", channels=["sms", "email"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    night = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(23, 30)))
    # when delivery runs at night
    report = delivery.deliver_due(now=night)
    # then the e-mail went, the text message waits until 07:00
    sms = OutboxMessage.all_tenants.get(channel="sms")
    assert (report.sent, report.deferred) == (1, 1)
    assert sms.status == DeliveryStatus.QUEUED
    assert timezone.localtime(sms.next_attempt_at).replace(tzinfo=None) == datetime.datetime.combine(
        tomorrow + datetime.timedelta(days=1), datetime.time(7, 0))
    # and in the morning it is sent
    morning = delivery.deliver_due(now=sms.next_attempt_at)
    assert morning.sent == 1
    from jobunivers.notifications.contrib.file_sms.provider import read_messages

    assert len(read_messages(tmp_path / "sms.jsonl")) == 1


def test_a_daily_digest_is_one_email_for_many_notices(municipality):
    # given three job notices waiting for the daily digest
    citizen = citizen_with_contacts(municipality)
    preferences_set(actor=citizen.user, municipality_id=municipality.pk, choices={(Kind.JOB_MATCH, "email"): "daily"})
    for number in range(3):
        notify(municipality_id=municipality.pk, citizen_id=citizen.pk, kind=Kind.JOB_MATCH,
               subject_key=f"posting:{number}", title=f"Job {number}")
    assert delivery.deliver_due().claimed == 0
    due = OutboxMessage.all_tenants.filter(channel="email").first().next_attempt_at
    # when the digest runs before and at its time
    early = delivery.send_digests(now=due - datetime.timedelta(minutes=1))
    report = delivery.send_digests(now=due)
    again = delivery.send_digests(now=due + datetime.timedelta(days=1))
    # then exactly one e-mail covers the three notices
    assert (early.claimed, report.sent, again.claimed) == (0, 3, 0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "3 nye beskeder fra Jobcenter Aarhus"
    assert set(OutboxMessage.all_tenants.filter(channel="email").values_list("status", flat=True)) == {"sent"}


class Crash(BaseException):
    """Stands for the worker process dying (not an error the worker could catch)."""


def test_a_crash_mid_batch_and_the_retry_never_send_twice(municipality, monkeypatch):
    # given five queued e-mails and a worker that dies while sending the third
    _queue_emails(municipality, 5)
    real_send = type(channels.get("email")).send
    calls = {"n": 0}

    def dying_send(self, user, message):
        calls["n"] += 1
        result = real_send(self, user, message)  # the mail server accepted it ...
        if calls["n"] == 3:
            raise Crash  # ... and the worker died before recording it
        return result

    monkeypatch.setattr(type(channels.get("email")), "send", dying_send)
    with pytest.raises(Crash):
        delivery.deliver_due()
    monkeypatch.setattr(type(channels.get("email")), "send", real_send)
    statuses = sorted(OutboxMessage.all_tenants.filter(channel="email").values_list("status", flat=True))
    assert statuses == ["claimed", "claimed", "sending", "sent", "sent"]
    # when the batch is retried before the lease ran out, and again after
    assert delivery.deliver_due().claimed == 0
    later = timezone.now() + delivery.LEASE + datetime.timedelta(seconds=1)
    recovered = delivery.recover_interrupted(now=later)
    delivery.deliver_due(now=later)
    # then every citizen got exactly one e-mail; the uncertain one is not resent but failed with a reason
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(set(recipients))
    assert len(recipients) == 5
    assert recovered == {"requeued": 2, "resent": 0, "failed_uncertain": 1}
    uncertain = OutboxMessage.all_tenants.get(status=DeliveryStatus.FAILED)
    assert "ikke igen" in uncertain.last_error


def test_an_interrupted_text_message_is_resent_because_the_provider_deduplicates(municipality, monkeypatch,
                                                                                 settings, tmp_path):
    from jobunivers.notifications.contrib.file_sms.provider import FileSmsProvider, read_messages

    settings.NOTIFICATIONS_SMS_FILE = str(tmp_path / "sms.jsonl")
    citizen = citizen_with_contacts(municipality)
    notify(municipality_id=municipality.pk, citizen_id=citizen.pk, kind=Kind.SUMMONS, subject_key="s:1",
           title="t", channels=["sms"])
    real_send = FileSmsProvider.send

    def dying(self, **kwargs):
        real_send(self, **kwargs)
        raise Crash

    monkeypatch.setattr(FileSmsProvider, "send", dying)
    with pytest.raises(Crash):
        delivery.deliver_due()
    monkeypatch.setattr(FileSmsProvider, "send", real_send)
    later = timezone.now() + delivery.LEASE + datetime.timedelta(seconds=1)
    assert delivery.recover_interrupted(now=later)["resent"] == 1
    assert delivery.deliver_due(now=later).sent == 1
    assert len(read_messages(tmp_path / "sms.jsonl")) == 1


def test_the_outbox_refuses_a_second_row_for_the_same_key(municipality):
    from django.db import IntegrityError, transaction

    _queue_emails(municipality, 1)
    row = OutboxMessage.all_tenants.get(channel="email")
    row.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent workers need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_send_each_email_once(municipality, monkeypatch):
    # given 60 queued e-mails and a slow mail server
    import time

    from jobunivers.notifications import tasks

    monkeypatch.setattr(tasks.deliver_outbox, "delay", lambda *args, **kwargs: None)  # the workers below deliver
    _queue_emails(municipality, 60)
    real_send = type(channels.get("email")).send

    def slow_send(self, user, message):
        time.sleep(0.01)
        return real_send(self, user, message)

    monkeypatch.setattr(type(channels.get("email")), "send", slow_send)
    reports, errors = [], []

    def worker():
        try:
            while True:
                report = delivery.deliver_due(limit=5)
                reports.append(report)
                if report.claimed == 0:
                    break
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    # when four workers deliver at the same time
    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # then every e-mail went exactly once, and more than one worker did the work
    assert errors == []
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == 60
    assert len(set(recipients)) == 60
    assert sum(r.sent for r in reports) == 60
    assert sum(1 for r in reports if r.sent) > 1
    assert OutboxMessage.all_tenants.filter(status=DeliveryStatus.SENT, channel="email").count() == 60


def test_vendor_is_known():
    assert connection.vendor in {"sqlite", "postgresql"}
