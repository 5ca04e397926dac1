import json

import pytest
from django.test import Client

from jobunivers.core.testing import client_for, murl
from jobunivers.notifications.channels import unsubscribe_token
from jobunivers.notifications.contracts import Kind
from jobunivers.notifications.models import (
    DeliveryStatus,
    Notification,
    OutboxMessage,
    Preference,
    PushSubscription,
)
from jobunivers.notifications.services import notify

from .factories import citizen_with_contacts

pytestmark = pytest.mark.django_db


def _notice(citizen, **kwargs):
    return notify(municipality_id=citizen.municipality_id, citizen_id=citizen.pk, kind=kwargs.pop("kind", Kind.MESSAGE),
                  subject_key=kwargs.pop("subject_key", "thread:1"), title=kwargs.pop("title", "Svar på dit spørgsmål"),
                  body="Se svaret", link=kwargs.pop("link", "/aarhus/min-side/"))


def test_inbox_lists_notices_with_status_per_channel(municipality):
    # given a notice to the citizen
    citizen = citizen_with_contacts(municipality)
    _notice(citizen)
    # when the citizen opens the inbox
    response = client_for(citizen.user).get(murl(municipality, "notifications:inbox"))
    # then it is there, unread, with its delivery status per channel
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Svar på dit spørgsmål" in html
    assert "Du har 1 ulæst besked." in html
    assert "I indbakken: Sendt" in html
    assert "E-mail: I kø" in html


def test_opening_a_notice_marks_it_read_and_follows_its_link(municipality):
    citizen = citizen_with_contacts(municipality)
    result = _notice(citizen)
    response = client_for(citizen.user).post(murl(municipality, "notifications:open", notification_id=result.notification_id))
    assert response.status_code == 302
    assert response["Location"] == "/aarhus/min-side/"
    assert Notification.all_tenants.get().read_at is not None


def test_another_citizens_notice_is_not_found(municipality):
    citizen, other = citizen_with_contacts(municipality), citizen_with_contacts(municipality)
    result = _notice(citizen)
    response = client_for(other.user).post(murl(municipality, "notifications:open", notification_id=result.notification_id))
    assert response.status_code == 404
    assert Notification.all_tenants.get().read_at is None


def test_preferences_are_saved_from_the_form(municipality):
    # given a citizen
    citizen = citizen_with_contacts(municipality)
    client = client_for(citizen.user)
    page = client.get(murl(municipality, "notifications:preferences"))
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update({"job_match__email": "immediate", "job_match__sms": "weekly", "quiet_from": "22:00",
                 "quiet_until": "07:00"})
    # when they choose job notices by e-mail right away and by text message weekly
    response = client.post(murl(municipality, "notifications:preferences"), {k: v or "" for k, v in data.items()})
    # then the choices are stored
    assert response.status_code == 302
    assert dict(Preference.all_tenants.filter(kind="job_match").values_list("channel", "frequency")) == {
        "email": "immediate", "push": "off", "sms": "weekly"}


def test_preferences_form_reports_half_quiet_hours_and_saves_nothing(municipality):
    citizen = citizen_with_contacts(municipality)
    client = client_for(citizen.user)
    form = client.get(murl(municipality, "notifications:preferences")).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"quiet_from": "22:00", "quiet_until": ""})
    response = client.post(murl(municipality, "notifications:preferences"), data)
    assert response.status_code == 200
    assert "Angiv både start og slut for stille timer" in response.content.decode()
    assert Preference.all_tenants.count() == 0


def test_one_click_unsubscribe_from_the_email_link(municipality):
    # given a queued e-mail for job notices
    citizen = citizen_with_contacts(municipality)
    _notice(citizen, kind=Kind.JOB_SUGGESTION, subject_key="posting:1")
    token = unsubscribe_token(user_id=citizen.user_id, municipality_id=municipality.pk, kinds=[Kind.JOB_SUGGESTION],
                              channel="email")
    url = murl(municipality, "notifications:unsubscribe", token=token)
    # when the mail system posts the one-click unsubscribe (no session, no CSRF token)
    client = Client(enforce_csrf_checks=True)
    assert "Stop disse notifikationer" in client.get(url).content.decode()
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    # then e-mail is off for that kind and the waiting e-mail is cancelled
    assert response.status_code == 200
    assert Preference.all_tenants.get().frequency == "off"
    assert OutboxMessage.all_tenants.get(channel="email").status == DeliveryStatus.CANCELLED


def test_a_forged_unsubscribe_token_is_not_found(municipality):
    response = Client().post(murl(municipality, "notifications:unsubscribe", token="forged:token"))
    assert response.status_code == 404
    assert Preference.all_tenants.count() == 0


def test_push_subscribe_and_unsubscribe_from_the_browser(municipality):
    citizen = citizen_with_contacts(municipality)
    client = client_for(citizen.user)
    body = {"endpoint": "https://push.example/abc", "keys": {"p256dh": "BPk", "auth": "sec"}}
    response = client.post(murl(municipality, "notifications:push_subscribe"), json.dumps(body),
                           content_type="application/json")
    assert response.status_code == 200
    assert PushSubscription.all_tenants.get().endpoint == "https://push.example/abc"
    bad = client.post(murl(municipality, "notifications:push_subscribe"), json.dumps({"endpoint": "x"}),
                      content_type="application/json")
    assert bad.status_code == 400
    client.post(murl(municipality, "notifications:push_unsubscribe"))
    assert PushSubscription.all_tenants.count() == 0


def test_staff_see_delivery_statuses_and_the_look_up_is_logged(municipality, member):
    from jobunivers.audit.models import AccessLogEntry

    citizen = citizen_with_contacts(municipality)
    _notice(citizen)
    adviser = member("job_adviser", municipality)
    response = client_for(adviser).get(murl(municipality, "notifications:citizen_deliveries", citizen_id=citizen.pk))
    assert response.status_code == 200
    assert "Svar på dit spørgsmål" in response.content.decode()
    assert AccessLogEntry.all_tenants.filter(citizen_id=citizen.pk).count() == 1


def test_citizens_cannot_open_the_staff_view(municipality):
    citizen = citizen_with_contacts(municipality)
    response = client_for(citizen.user).get(murl(municipality, "notifications:citizen_deliveries", citizen_id=citizen.pk))
    assert response.status_code == 404  # the selector: forbidden looks like missing


def test_the_service_worker_is_served_at_the_root():
    response = Client().get("/sw.js")
    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    assert "showNotification" in response.content.decode()


def test_the_start_page_shows_unread_messages(municipality):
    from jobunivers.citizens.services import welcome_mark_seen

    citizen = citizen_with_contacts(municipality)
    welcome_mark_seen(actor=citizen.user, citizen=citizen)
    _notice(citizen)
    html = client_for(citizen.user).get(murl(municipality, "citizens:home")).content.decode()
    assert "Du har 1 ulæst besked." in html
    assert "Svar på dit spørgsmål" in html
