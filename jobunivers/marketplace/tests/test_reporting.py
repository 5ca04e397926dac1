"""The vendor callback (ADR 0084): reporting keys, signed requests, and record_reported_use. Every refusal
writes nothing, answers with a stable code and a Danish and English message."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.errors import ValidationFailed
from jobunivers.marketplace import launch, reporting, services
from jobunivers.marketplace.models import CallbackKey, Enrolment, UseEvent

from . import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/marketplace/use-events"


@pytest.fixture
def course(vendor, municipality):
    return factories.vendor_course(vendor, municipality)


@pytest.fixture
def enrolment(citizen, course):
    return services.enrol(actor=citizen.user, citizen=citizen, municipal_offer=course)


@pytest.fixture
def key(vendor_actor):
    return reporting.callback_key_create(actor=vendor_actor)


def _subject(vendor, citizen) -> str:
    return launch.pseudonym(provider=f"vendor:{vendor.pk}", citizen_id=citizen.pk)


def _event(enrolment, **values) -> dict:
    body = {"event_id": "evt-1", "subject": _subject(enrolment.offer.vendor, enrolment.citizen),
            "offer": enrolment.offer_id, "kind": "session", "quantity": 1,
            "occurred_at": timezone.localtime().isoformat()}
    body.update(values)
    return body


def _post(key_and_secret, body, *, timestamp=None, signature=None, client=None, key_id=None):
    made, secret = key_and_secret
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    timestamp = str(int(timezone.now().timestamp()) if timestamp is None else timestamp)
    headers = {"HTTP_X_JOBUNIVERS_KEY": key_id or made.key_id, "HTTP_X_JOBUNIVERS_TIMESTAMP": timestamp,
               "HTTP_X_JOBUNIVERS_SIGNATURE": signature or reporting.sign_report(secret=secret, timestamp=timestamp,
                                                                                  body=raw)}
    return (client or Client(enforce_csrf_checks=True)).post(URL, raw, content_type="application/json", **headers)


def _reported() -> int:
    return UseEvent.all_tenants.filter(kind__in=["session", "hour", "completed"]).count()


def test_a_signed_session_is_recorded_once_for_the_citizens_enrolment_and_logged(key, enrolment):
    # given a citizen enrolled in the vendor's course and the vendor's reporting key
    body = _event(enrolment, quantity=2)
    # when the vendor's server reports two sessions, and the same request arrives again
    first = _post(key, body)
    again = _post(key, body)
    # then the first is recorded for the enrolment, the second answers with the same event
    assert first.status_code == 201, first.content
    event = UseEvent.all_tenants.get(kind="session")
    assert first.json() == {"status": "recorded", "event_id": "evt-1", "use_event": event.pk,
                            "enrolment_status": "enrolled"}
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate" and again.json()["use_event"] == event.pk
    assert (event.enrolment_id, event.citizen_id, event.municipality_id, event.quantity, event.dedupe_key) == (
        enrolment.pk, enrolment.citizen_id, enrolment.municipality_id, Decimal("2.00"), "evt-1")
    # and the write is in the citizen's access log as a connected system's change, once
    entries = AccessLogEntry.all_tenants.filter(what="marketplace reported use")
    assert [(e.actor_kind, e.actor_user_id, e.citizen_id, e.action) for e in entries] == [
        ("api", None, enrolment.citizen_id, "change")]
    assert key[0].key_id in entries[0].criterion
    assert CallbackKey.objects.get(pk=key[0].pk).last_used_at is not None


def test_hours_keep_two_decimals(key, enrolment):
    response = _post(key, _event(enrolment, kind="hour", quantity=1.25, event_id="h-1"))
    assert response.status_code == 201
    assert UseEvent.all_tenants.get(kind="hour").quantity == Decimal("1.25")


def test_a_completion_completes_the_enrolment_and_its_plan_activity_and_ends_reporting(key, enrolment):
    # when the vendor reports the course completed
    body = _event(enrolment, kind="completed", event_id="done-2")
    del body["quantity"]
    response = _post(key, body)
    # then the enrolment is completed and the plan activity is done
    assert response.status_code == 201, response.content
    assert response.json()["enrolment_status"] == "completed"
    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.completed_at is not None
    enrolment.plan_item.refresh_from_db()
    assert enrolment.plan_item.status == "done"
    # and a repeated delivery of the completion is answered, but a later session is refused
    assert _post(key, body).json()["status"] == "duplicate"
    late = _post(key, _event(enrolment, event_id="s-late"))
    assert late.status_code == 409 and late.json()["code"] == "enrolment_ended"
    assert UseEvent.all_tenants.filter(kind="completed").count() == 1 and _reported() == 1


def _refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    answer = response.json()
    assert answer["code"] == code
    assert answer["detail"] and answer["detail_en"] and answer["detail"] != answer["detail_en"]
    return answer


def test_forged_signature_and_bad_headers_are_refused_and_write_nothing(key, enrolment):
    body = _event(enrolment)
    raw = json.dumps(body).encode()
    now = str(int(timezone.now().timestamp()))
    forged = reporting.sign_report(secret="0" * 64, timestamp=now, body=raw)
    answer = _refused(_post(key, raw, timestamp=now, signature=forged), 401, "signature_invalid")
    assert answer["detail"] == "Signaturen passer ikke til nøglen og indholdet."
    assert answer["detail_en"] == "The signature does not match the key and the body."
    # a body changed after signing
    signed_other = reporting.sign_report(secret=key[1], timestamp=now, body=raw + b" ")
    _refused(_post(key, raw, timestamp=now, signature=signed_other), 401, "signature_invalid")
    _refused(_post(key, raw, key_id="jk_0000000000000000"), 401, "key_invalid")
    _refused(_post(key, raw, key_id="not a key"), 401, "key_invalid")
    _refused(_post(key, raw, timestamp="12a"), 401, "timestamp_invalid")
    _refused(Client().post(URL, raw, content_type="application/json"), 401, "key_missing")
    assert _reported() == 0 and not AccessLogEntry.all_tenants.filter(what="marketplace reported use").exists()


def test_an_expired_or_future_timestamp_is_refused(key, enrolment):
    # each timestamp is taken just before its request, with margins of a minute or more: on a loaded
    # machine one request may take seconds, and a fixed 'now' would drift into the accepted window
    def now() -> int:
        return int(timezone.now().timestamp())

    _refused(_post(key, _event(enrolment), timestamp=now() - reporting.SIGNATURE_WINDOW_SECONDS - 60), 401,
             "timestamp_expired")
    _refused(_post(key, _event(enrolment), timestamp=now() + reporting.CLOCK_SKEW_SECONDS + 60), 401,
             "timestamp_in_future")
    assert _post(key, _event(enrolment), timestamp=now() - 200).status_code == 201
    assert _reported() == 1


def test_a_replayed_request_after_the_window_is_refused(key, enrolment):
    # a request captured and sent again ten minutes later carries its old timestamp
    old = int(timezone.now().timestamp()) - 600
    _refused(_post(key, _event(enrolment), timestamp=old), 401, "timestamp_expired")
    assert _reported() == 0


def test_an_event_id_used_for_another_event_is_a_conflict(key, enrolment):
    assert _post(key, _event(enrolment, quantity=1)).status_code == 201
    _refused(_post(key, _event(enrolment, quantity=3)), 409, "event_id_reused")
    assert list(UseEvent.all_tenants.filter(kind="session").values_list("quantity", flat=True)) == [Decimal("1.00")]


def test_another_vendors_offer_or_subject_is_not_found(key, enrolment, member, municipality, citizen):
    # given a second vendor with its own key and its own course the same citizen is enrolled in
    rival = factories.vendor("Andre Kurser ApS")
    rival_key = reporting.callback_key_create(actor=factories.vendor_user(member, rival))
    rival_course = factories.enabled(municipality, factories.offer(
        provider_kind="vendor", vendor_=rival, kind="course", launch_method="signed",
        launch_url="https://andre.example/start"))
    services.enrol(actor=citizen.user, citizen=citizen, municipal_offer=rival_course)
    # the rival reporting on our offer, with our pseudonym or its own
    _refused(_post(rival_key, _event(enrolment)), 404, "offer_unknown")
    # we report on our offer with the rival's pseudonym of the same citizen
    _refused(_post(key, _event(enrolment, subject=_subject(rival, citizen))), 404, "subject_unknown")
    # and a citizen of another municipality enrolled elsewhere is not ours to report on either
    _refused(_post(key, _event(enrolment, subject="0" * 32)), 404, "subject_unknown")
    assert _reported() == 0


def test_event_ids_are_unique_per_vendor(key, enrolment, member, municipality, citizen):
    rival = factories.vendor("Andre Kurser ApS")
    rival_key = reporting.callback_key_create(actor=factories.vendor_user(member, rival))
    rival_course = factories.enabled(municipality, factories.offer(
        provider_kind="vendor", vendor_=rival, kind="course", launch_method="signed",
        launch_url="https://andre.example/start"))
    theirs = services.enrol(actor=citizen.user, citizen=citizen, municipal_offer=rival_course)
    assert _post(key, _event(enrolment, event_id="same")).status_code == 201
    assert _post(rival_key, _event(theirs, event_id="same")).status_code == 201
    assert _reported() == 2


@pytest.mark.parametrize(("body", "status", "code", "field"), [
    (b"{not json", 400, "json_invalid", None),
    (b"[1, 2]", 400, "json_invalid", None),
    (b"\xff\xfe", 400, "json_invalid", None),
    (b'{"a": ' * 2000 + b"1" + b"}" * 2000, 413, "body_too_large", None),
    ({"unknown": 1}, 422, "event_invalid", "unknown"),
    ({"kind": "launched"}, 422, "event_invalid", "kind"),
    ({"quantity": 1.5}, 422, "event_invalid", "quantity"),
    ({"quantity": 21}, 422, "event_invalid", "quantity"),
    ({"kind": "hour", "quantity": 1.255}, 422, "event_invalid", "quantity"),
    ({"kind": "hour", "quantity": 25}, 422, "event_invalid", "quantity"),
    ({"kind": "hour", "quantity": 0}, 422, "event_invalid", "quantity"),
    ({"kind": "completed", "quantity": 2}, 422, "event_invalid", "quantity"),
    ({"quantity": True}, 422, "event_invalid", "quantity"),
    ({"offer": "7"}, 422, "event_invalid", "offer"),
    ({"offer": 2**70}, 422, "event_invalid", "offer"),
    ({"subject": "ABC"}, 422, "event_invalid", "subject"),
    ({"event_id": ""}, 422, "event_invalid", "event_id"),
    ({"event_id": "x" * 65}, 422, "event_invalid", "event_id"),
    ({"occurred_at": "2026-12-05T10:00:00"}, 422, "event_invalid", "occurred_at"),
    ({"occurred_at": "i går"}, 422, "event_invalid", "occurred_at"),
    ({"occurred_at": 1733390000}, 422, "event_invalid", "occurred_at"),
    ({"occurred_at": (timezone.now() + datetime.timedelta(hours=1)).isoformat()}, 422, "event_invalid",
     "occurred_at"),
])
def test_malformed_events_are_refused_with_the_field_named(key, enrolment, body, status, code, field):
    raw = body if isinstance(body, bytes) else json.dumps(_event(enrolment, **body)).encode()
    if body == b'{"a": ' * 2000 + b"1" + b"}" * 2000:
        assert len(raw) > reporting.MAX_BODY_BYTES
    answer = _refused(_post(key, raw), status, code)
    if field is not None:
        assert list(answer["errors"]) == [field] and list(answer["errors_en"]) == [field]
        assert answer["errors"][field][0] != answer["errors_en"][field][0]
    assert _reported() == 0


def test_nan_is_not_a_quantity(key, enrolment):
    raw = json.dumps(_event(enrolment)).replace('"quantity": 1', '"quantity": NaN').encode()
    answer = _refused(_post(key, raw), 422, "event_invalid")
    assert list(answer["errors"]) == ["quantity"]


def test_an_event_before_the_enrolment_is_refused(key, enrolment):
    before = timezone.localtime(enrolment.enrolled_at - datetime.timedelta(minutes=5)).isoformat()
    answer = _refused(_post(key, _event(enrolment, occurred_at=before)), 422, "before_enrolment")
    assert answer["errors"]["occurred_at"] == ["Borgeren blev tilmeldt senere end dette tidspunkt."]
    assert _reported() == 0


def test_a_failure_after_the_event_is_written_leaves_nothing_behind(key, enrolment, monkeypatch):
    # given the access log cannot be written
    def broken(**_kwargs):
        raise RuntimeError("log down")

    monkeypatch.setattr(reporting, "access_log_record", broken)
    body = _event(enrolment, kind="completed", quantity=1, event_id="c-1")
    # when a completion is reported, it fails as a whole
    with pytest.raises(RuntimeError):
        reporting.record_reported_use(vendor_id=enrolment.offer.vendor_id, report=reporting.parse_report(
            json.dumps(body).encode()), via="test")
    # then neither the event nor the completion nor the plan change was kept
    assert _reported() == 0
    enrolment.refresh_from_db()
    enrolment.plan_item.refresh_from_db()
    assert enrolment.status == "enrolled" and enrolment.plan_item.status == "planned"


def test_an_erased_citizens_pseudonym_no_longer_reports(key, enrolment):
    Enrolment.all_tenants.filter(pk=enrolment.pk).delete()
    _refused(_post(key, _event(enrolment)), 404, "subject_unknown")


def test_a_citizen_from_another_municipality_is_found_in_their_own(key, vendor, other_municipality, course):
    # the vendor's offer shown in København too: a citizen there is reported the same way
    there = factories.enabled(other_municipality, course.offer)
    person = CitizenFactory(municipality=other_municipality)
    theirs = services.enrol(actor=person.user, citizen=person, municipal_offer=there)
    assert _post(key, _event(theirs, event_id="kbh-1")).status_code == 201
    assert UseEvent.all_tenants.get(kind="session").municipality_id == other_municipality.pk


# Keys


def test_a_key_is_shown_once_never_stored_and_at_most_two_work(vendor_actor, vendor):
    made, secret = reporting.callback_key_create(actor=vendor_actor)
    assert len(secret) == 64 and reporting.key_secret(made) == secret
    stored = CallbackKey.objects.filter(pk=made.pk).values().get()
    assert secret not in json.dumps(stored, default=str)
    reporting.callback_key_create(actor=vendor_actor)
    with pytest.raises(ValidationFailed):
        reporting.callback_key_create(actor=vendor_actor)
    assert CallbackKey.objects.filter(vendor=vendor).count() == 2


def test_rotation_keeps_the_old_key_for_a_day_and_revocation_stops_it_at_once(vendor_actor, enrolment):
    old = reporting.callback_key_create(actor=vendor_actor)
    new = reporting.callback_key_rotate(actor=vendor_actor, key_pk=old[0].pk)
    assert new[0].key_id != old[0].key_id
    assert _post(old, _event(enrolment, event_id="a")).status_code == 201
    assert _post(new, _event(enrolment, event_id="b")).status_code == 201
    later = timezone.now() + reporting.ROTATION_GRACE + datetime.timedelta(minutes=1)
    old_key = CallbackKey.objects.get(pk=old[0].pk)
    assert not reporting.is_working(old_key, later) and reporting.is_working(old_key, timezone.now())
    reporting.callback_key_revoke(actor=vendor_actor, key_pk=new[0].pk)
    _refused(_post(new, _event(enrolment, event_id="c")), 401, "key_invalid")


def test_an_expired_rotated_key_is_refused(vendor_actor, enrolment):
    old = reporting.callback_key_create(actor=vendor_actor)
    reporting.callback_key_rotate(actor=vendor_actor, key_pk=old[0].pk)
    CallbackKey.objects.filter(pk=old[0].pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    _refused(_post(old, _event(enrolment)), 401, "key_invalid")


def test_only_the_vendor_manages_its_keys(vendor_actor, member, admin):
    made, _secret = reporting.callback_key_create(actor=vendor_actor)
    rival = factories.vendor_user(member, factories.vendor("Andre Kurser ApS"))
    with pytest.raises(ValidationFailed):
        reporting.callback_key_revoke(actor=rival, key_pk=made.pk)
    with pytest.raises(ValidationFailed):
        reporting.callback_key_create(actor=admin)
    assert CallbackKey.objects.get(pk=made.pk).revoked_at is None


def test_an_inactive_vendors_key_is_refused(key, enrolment, vendor):
    vendor.is_active = False
    vendor.save()
    _refused(_post(key, _event(enrolment)), 401, "key_invalid")


def test_a_key_id_never_holds_ten_digits_in_a_row_that_the_logs_would_hide_as_a_cpr_number(vendor_actor, monkeypatch):
    # given the random source first draws an id with ten digits in a row, then one without
    draws = iter(["8eb9669333232ae0", "8eb96693a3232ae0"])
    monkeypatch.setattr(reporting.secrets, "token_hex", lambda n: next(draws) if n == 8 else "0" * 64)
    # when a key is made
    key, _secret = reporting.callback_key_create(actor=vendor_actor)
    # then the second draw is used
    assert key.key_id == "jk_8eb96693a3232ae0"
