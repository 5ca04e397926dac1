import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.roles import Role

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.STAFF_REQUIRE_SECOND_FACTOR = True


def _code(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _password_step(client, user, password=PASSWORD):
    return client.post("/log-ind/medarbejder/", {"username": user.username, "password": password})


def test_first_sign_in_enrols_totp_then_signs_in(member, municipality):
    # given a job adviser without an authenticator yet
    adviser = member(Role.JOB_ADVISER, municipality, is_demo=False)
    client = Client()
    # when the password is right
    response = _password_step(client, adviser)
    assert response.status_code == 302 and response["Location"] == "/log-ind/medarbejder/kode/"
    # then they are not signed in yet, and see a QR code to enrol
    assert "_auth_user_id" not in client.session
    page = client.get("/log-ind/medarbejder/kode/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=adviser)
    assert device.confirmed is False
    # when they enter the code from the app
    response = client.post("/log-ind/medarbejder/kode/", {"token": _code(device)})
    # then the device is confirmed and they are signed in, verified
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.session["_auth_user_id"] == str(adviser.pk)
    assert client.get(murl(municipality, "caseworker:home")).status_code == 200


def test_wrong_code_does_not_sign_in(member, municipality):
    adviser = member(Role.JOB_ADVISER, municipality, is_demo=False)
    TOTPDevice.objects.create(user=adviser, name="app", confirmed=True)
    client = Client()
    _password_step(client, adviser)
    response = client.post("/log-ind/medarbejder/kode/", {"token": "000000"})
    assert response.status_code == 400
    assert "Koden er forkert" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_three_failures_in_24_hours_lock_the_account(member, municipality):
    # given a staff member
    adviser = member(Role.JOB_ADVISER, municipality, is_demo=False)
    client = Client()
    # when the password is wrong three times
    for _ in range(3):
        _password_step(client, adviser, password="wrong-password-123")
    # then even the right password is refused with the lock-out page
    response = _password_step(client, adviser)
    assert response.status_code == 429
    assert "låst" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_without_a_verified_second_factor_are_signed_out(member, municipality):
    adviser = member(Role.JOB_ADVISER, municipality, is_demo=False)
    response = client_for(adviser).get(murl(municipality, "caseworker:home"))
    assert response.status_code == 302 and response["Location"] == f"/{municipality.slug}/log-ind/medarbejder/"


def test_citizens_need_no_totp(member, municipality):
    citizen = member(Role.CITIZEN, municipality, is_demo=False)
    assert client_for(citizen).get(murl(municipality, "audit:my_data")).status_code == 200


def test_idle_staff_are_signed_out_after_the_municipalitys_time_out(member, municipality, settings):
    # given a signed-in adviser whose last request was 31 minutes ago (default time-out 30)
    settings.STAFF_REQUIRE_SECOND_FACTOR = False
    adviser = member(Role.JOB_ADVISER, municipality)
    client = client_for(adviser)
    assert client.get(murl(municipality, "caseworker:home")).status_code == 200
    session = client.session
    session["jobunivers_last_seen"] = time.time() - 31 * 60
    session.save()
    # when they come back
    response = client.get(murl(municipality, "caseworker:home"))
    # then they are signed out
    assert response.status_code == 302 and response["Location"] == f"/{municipality.slug}/log-ind/medarbejder/"
    assert "_auth_user_id" not in client.session


def test_login_attempts_are_rate_limited(member, municipality, settings):
    from django.core.cache import cache
    cache.clear()
    settings.RATE_LIMITS = {"login": 2, "api": 100}
    client = Client()
    statuses = [client.post("/log-ind/medarbejder/", {"username": f"nobody{i}", "password": "x"}).status_code
                for i in range(3)]
    assert statuses == [400, 400, 429]
