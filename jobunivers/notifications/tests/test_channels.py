"""Channels against real local endpoints: web push to a local HTTP server, SMS to a file."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command

from jobunivers.notifications import delivery
from jobunivers.notifications.channels import push_topic, read_unsubscribe_token, unsubscribe_token
from jobunivers.notifications.contracts import Kind
from jobunivers.notifications.management.commands.generate_vapid_keys import _b64url, generate_keys
from jobunivers.notifications.models import DeliveryStatus, OutboxMessage, PushSubscription
from jobunivers.notifications.services import notify, preferences_set, push_subscribe

from .factories import citizen_with_contacts

pytestmark = pytest.mark.django_db


class _PushService(BaseHTTPRequestHandler):
    received: list = []
    status = 201

    def do_POST(self):  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length", 0))
        type(self).received.append({"path": self.path, "headers": dict(self.headers), "body": self.rfile.read(length)})
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def push_service():
    _PushService.received = []
    _PushService.status = 201
    server = HTTPServer(("127.0.0.1", 0), _PushService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def _browser_keys():
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64url(public), _b64url(b"0123456789abcdef")


def _subscribed_citizen(municipality, endpoint, settings):
    public, private = generate_keys()
    settings.WEBPUSH_VAPID_PUBLIC_KEY, settings.WEBPUSH_VAPID_PRIVATE_KEY = public, private
    citizen = citizen_with_contacts(municipality)
    p256dh, auth = _browser_keys()
    PushSubscription.all_tenants.create(municipality=municipality, user=citizen.user, endpoint=endpoint,
                                        p256dh=p256dh, auth=auth)
    preferences_set(actor=citizen.user, municipality_id=municipality.pk, choices={(Kind.MESSAGE, "push"): "immediate"})
    return citizen


def test_web_push_is_encrypted_signed_and_carries_a_topic(municipality, push_service, settings):
    # given a citizen whose browser subscribed at a (local) push service
    endpoint = f"http://127.0.0.1:{push_service.server_port}/push/1"
    citizen = _subscribed_citizen(municipality, endpoint, settings)
    notify(municipality_id=municipality.pk, citizen_id=citizen.pk, kind=Kind.MESSAGE, subject_key="t:1",
           title="Hemmelig", channels=["push"])
    # when delivery runs
    report = delivery.deliver_due()
    # then the push service got one encrypted, VAPID-signed message with a Topic for deduplication
    assert report.sent == 1
    [request] = _PushService.received
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid t=")
    row = OutboxMessage.all_tenants.get(channel="push")
    assert headers["topic"] == push_topic(row.idempotency_key)
    assert b"Hemmelig" not in request["body"]


def test_a_gone_subscription_is_forgotten_and_the_push_fails_with_a_reason(municipality, push_service, settings):
    endpoint = f"http://127.0.0.1:{push_service.server_port}/push/2"
    citizen = _subscribed_citizen(municipality, endpoint, settings)
    _PushService.status = 410
    notify(municipality_id=municipality.pk, citizen_id=citizen.pk, kind=Kind.MESSAGE, subject_key="t:1", title="x",
           channels=["push"])
    delivery.deliver_due()
    row = OutboxMessage.all_tenants.get(channel="push")
    assert row.status == DeliveryStatus.FAILED
    assert row.last_error == "Ingen browser er tilmeldt pushbeskeder."
    assert PushSubscription.all_tenants.count() == 0


def test_push_service_errors_are_retried(municipality, push_service, settings):
    endpoint = f"http://127.0.0.1:{push_service.server_port}/push/3"
    citizen = _subscribed_citizen(municipality, endpoint, settings)
    _PushService.status = 503
    notify(municipality_id=municipality.pk, citizen_id=citizen.pk, kind=Kind.MESSAGE, subject_key="t:1", title="x",
           channels=["push"])
    report = delivery.deliver_due()
    row = OutboxMessage.all_tenants.get(channel="push")
    assert (report.retrying, row.status, row.attempts) == (1, DeliveryStatus.QUEUED, 1)


def test_unsubscribe_tokens_are_signed():
    token = unsubscribe_token(user_id=5, municipality_id=2, kinds=["job_match"], channel="email")
    assert read_unsubscribe_token(token) == {"u": 5, "m": 2, "k": ["job_match"], "c": "email"}
    assert read_unsubscribe_token(token[:-2] + "xx") is None


def test_generate_vapid_keys_prints_a_usable_pair(capsys):
    call_command("generate_vapid_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.strip().splitlines())
    from py_vapid import Vapid02

    vapid = Vapid02.from_string(lines["WEBPUSH_VAPID_PRIVATE_KEY"])
    public = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    assert _b64url(public) == lines["WEBPUSH_VAPID_PUBLIC_KEY"]


def test_push_subscribe_moves_an_endpoint_to_its_new_user(municipality):
    first, second = citizen_with_contacts(municipality), citizen_with_contacts(municipality)
    push_subscribe(actor=first.user, municipality_id=municipality.pk, endpoint="https://p.example/1", p256dh="a",
                   auth="b")
    push_subscribe(actor=second.user, municipality_id=municipality.pk, endpoint="https://p.example/1", p256dh="a",
                   auth="b")
    assert list(PushSubscription.all_tenants.values_list("user_id", flat=True)) == [second.user_id]


def test_json_payload_is_neutral(municipality, push_service, settings):
    endpoint = f"http://127.0.0.1:{push_service.server_port}/push/4"
    citizen = _subscribed_citizen(municipality, endpoint, settings)
    from jobunivers.notifications.channels import compose

    message = compose(recipient_id=citizen.user_id, municipality=municipality, sender_name="Jobcenter Aarhus",
                      kinds=[Kind.SUMMONS], channel="push", key="k", inbox_path="/aarhus/beskeder/",
                      unsubscribe_path="/u/")
    assert json.loads(json.dumps({"t": message.text}))["t"] == (
        "Du har en ny besked om en samtale med jobcentret på Jobunivers. Log ind for at læse den.")
