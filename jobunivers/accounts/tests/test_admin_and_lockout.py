"""The Django admin behind the second factor, and a lock-out that an outsider cannot turn on a caseworker."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.db.models import F
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from jobunivers.accounts.models import StaffUnlock
from jobunivers.accounts.tests.factories import UserFactory
from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.roles import Role

PASSWORD = "correct-horse-battery-staple"
HOME_ADDRESS = "198.51.100.7"
OUTSIDER = "203.0.113.66"


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.STAFF_REQUIRE_SECOND_FACTOR = True
    cache.clear()


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _sign_in_with_totp(user, address=HOME_ADDRESS) -> Client:
    """Through the staff sign-in: password, then the code from the confirmed device."""
    device = TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "app"})[0]
    client = Client(REMOTE_ADDR=address)
    assert client.post("/log-ind/medarbejder/", {"username": user.username, "password": PASSWORD}).status_code == 302
    assert client.post("/log-ind/medarbejder/kode/", {"token": _code(device)}).status_code == 302
    return client


def _wrong_password(client, username):
    return client.post("/log-ind/medarbejder/", {"username": username, "password": "wrong-password-123"})


# --- The admin ------------------------------------------------------------------------------------


def test_superuser_with_a_password_alone_is_refused_by_the_admin(db):
    # given a superuser without any second factor
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = Client(REMOTE_ADDR=HOME_ADDRESS)
    # when they sign in to the admin with the right password and no code
    response = client.post("/admin/login/?next=/admin/", {"username": superuser.username, "password": PASSWORD})
    # then the admin's form asks for the code and nobody is signed in
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_signed_in_superuser_without_verified_device_is_sent_to_the_admin_sign_in(db):
    # given a superuser signed in by password (force_login: no device verified in the session)
    superuser = UserFactory(is_staff=True, is_superuser=True)
    # when they open the admin
    response = client_for(superuser).get("/admin/")
    # then they are sent to the admin's sign-in
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_platform_operator_with_verified_totp_opens_the_admin(member):
    # given a platform operator (staff flag for the admin) who signed in with password and TOTP code
    operator = member(Role.PLATFORM_OPERATOR, None, is_demo=False, is_staff=True, is_superuser=True)
    client = _sign_in_with_totp(operator)
    # when they open the admin
    response = client.get("/admin/")
    # then it answers
    assert response.status_code == 200


def test_verified_superuser_who_is_not_a_platform_operator_is_refused(member, municipality):
    # given a municipality administrator who is also a superuser and signed in with TOTP
    admin_user = member(Role.MUNICIPALITY_ADMIN, municipality, is_demo=False, is_staff=True, is_superuser=True)
    client = _sign_in_with_totp(admin_user)
    # when they open the admin
    response = client.get("/admin/")
    # then the admin refuses them
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_admin_sign_in_is_rate_limited_like_the_other_sign_ins(db, settings):
    # given a sign-in limit of 2 attempts a minute per address
    settings.RATE_LIMITS = {"login": 2, "api": 100}
    client = Client(REMOTE_ADDR=OUTSIDER)
    # when one address posts three times to the admin sign-in
    statuses = [client.post("/admin/login/", {"username": f"nobody{i}", "password": "x"}).status_code
                for i in range(3)]
    # then the third is refused with 429
    assert statuses == [200, 200, 429]


# --- Lock-out per user name and address -------------------------------------------------------------


def test_lockout_is_keyed_on_user_name_and_address(member, municipality):
    # given a caseworker and an outsider who knows their user name
    adviser = member(Role.JOB_ADVISER, municipality, is_demo=False)
    outsider = Client(REMOTE_ADDR=OUTSIDER)
    # when the outsider guesses wrong three times
    for _ in range(3):
        _wrong_password(outsider, adviser.username)
    # then the outsider is locked out, even with the right password
    locked = outsider.post("/log-ind/medarbejder/", {"username": adviser.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "15 minutter" in locked.content.decode()
    # and the caseworker at their own address still signs in
    response = Client(REMOTE_ADDR=HOME_ADDRESS).post(
        "/log-ind/medarbejder/", {"username": adviser.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/log-ind/medarbejder/kode/"


def _age_attempts(username, minutes):
    AccessAttempt.objects.filter(username=username).update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_lockout_ends_after_the_short_cool_off(member, municipality):
    # given a caseworker who locked themselves out
    adviser = member(Role.JOB_ADVISER, municipality, is_demo=False)
    client = Client(REMOTE_ADDR=HOME_ADDRESS)
    for _ in range(3):
        _wrong_password(client, adviser.username)
    # when they try again 14 minutes later (a try while locked starts the cool-off again), then after 16 quiet minutes
    _age_attempts(adviser.username, 14)
    still_locked = client.post("/log-ind/medarbejder/", {"username": adviser.username, "password": PASSWORD})
    _age_attempts(adviser.username, 16)
    after_cool_off = client.post("/log-ind/medarbejder/", {"username": adviser.username, "password": PASSWORD})
    # then the lock holds for the cool-off only
    assert still_locked.status_code == 429
    assert after_cool_off.status_code == 302 and after_cool_off["Location"] == "/log-ind/medarbejder/kode/"


# --- Unlock by the municipality's administrator ---------------------------------------------------


def _lock(user, address=OUTSIDER):
    client = Client(REMOTE_ADDR=address)
    for _ in range(3):
        _wrong_password(client, user.username)
    return client


def _membership_id(user, municipality):
    from jobunivers.tenancy.models import Membership

    return Membership.objects.get(user=user, municipality=municipality).pk


def test_administrator_sees_and_lifts_a_lock_of_their_own_staff(member, municipality):
    # given a locked-out adviser and the municipality's administrator
    adviser = member(Role.JOB_ADVISER, municipality, is_demo=False, first_name="Aisha", last_name="Johansen")
    locked_client = _lock(adviser)
    administrator = member(Role.MUNICIPALITY_ADMIN, municipality)
    client = _sign_in_with_totp(administrator)
    url = murl(municipality, "accounts:staff_lockouts")
    # when the administrator opens the page and unlocks the adviser
    page = client.get(url)
    response = client.post(url, {"membership": _membership_id(adviser, municipality)})
    # then the adviser was listed, the lock is gone (also from the outsider's address) and the unlock recorded
    assert page.status_code == 200 and "Aisha Johansen" in page.content.decode()
    assert response.status_code == 302 and response["Location"] == url
    assert AccessAttempt.objects.filter(username=adviser.username).count() == 0
    unlock = StaffUnlock.objects.get()
    assert (unlock.municipality_id, unlock.actor_user_id, unlock.staff_user_id, unlock.attempts_cleared) == (
        municipality.pk, administrator.pk, adviser.pk, 3)
    again = locked_client.post("/log-ind/medarbejder/", {"username": adviser.username, "password": PASSWORD})
    assert again.status_code == 302
    assert "Aisha Johansen" not in client.get(url).content.decode()


def test_administrator_cannot_unlock_another_municipalitys_staff(member, municipality, other_municipality):
    # given a locked-out adviser in another municipality
    other_adviser = member(Role.JOB_ADVISER, other_municipality, is_demo=False, first_name="Bo", last_name="Berg")
    _lock(other_adviser)
    administrator = member(Role.MUNICIPALITY_ADMIN, municipality)
    client = _sign_in_with_totp(administrator)
    url = murl(municipality, "accounts:staff_lockouts")
    # when our administrator lists lock-outs and tries to unlock them by membership id
    page = client.get(url)
    response = client.post(url, {"membership": _membership_id(other_adviser, other_municipality)})
    # then they neither see nor unlock them, and nothing is written
    assert "Bo Berg" not in page.content.decode()
    assert response.status_code == 404
    assert AccessAttempt.objects.get(username=other_adviser.username).failures_since_start == 3
    assert StaffUnlock.objects.count() == 0


def test_staff_who_are_not_administrators_cannot_unlock(member, municipality):
    # given a locked-out adviser and a colleague job adviser
    adviser = member(Role.JOB_ADVISER, municipality, is_demo=False)
    _lock(adviser)
    colleague = member(Role.JOB_ADVISER, municipality)
    # when the colleague posts an unlock
    response = _sign_in_with_totp(colleague).post(
        murl(municipality, "accounts:staff_lockouts"), {"membership": _membership_id(adviser, municipality)})
    # then it is forbidden and nothing changes
    assert response.status_code == 403
    assert AccessAttempt.objects.get(username=adviser.username).failures_since_start == 3
    assert StaffUnlock.objects.count() == 0


def test_lockout_cool_off_setting_is_minutes_not_hours(settings):
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


# --- What the admin shows and changes (issue 12: the admin uses the same rules) ---------------------


def _operator_client(member):
    operator = member(Role.PLATFORM_OPERATOR, None, is_demo=False, is_staff=True, is_superuser=True)
    return operator, _sign_in_with_totp(operator)


def test_the_admin_shows_no_citizen_account_and_deletes_no_account(member, municipality):
    from jobunivers.tenancy.models import Membership

    operator, client = _operator_client(member)
    citizen = member(Role.CITIZEN, municipality, first_name="Karen", last_name="Borgersen")
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Jonas", last_name="Rådgiversen")
    users = client.get("/admin/accounts/user/").content.decode()
    assert "Rådgiversen" in users and "Borgersen" not in users
    assert client.get(f"/admin/accounts/user/{citizen.pk}/change/").status_code == 302  # "not found" redirect
    assert client.get(f"/admin/accounts/user/{adviser.pk}/change/").status_code == 200
    assert client.get(f"/admin/accounts/user/{adviser.pk}/delete/").status_code == 403
    memberships = client.get("/admin/tenancy/membership/").content.decode()
    citizen_membership = Membership.objects.get(user=citizen)
    assert f"/admin/tenancy/membership/{citizen_membership.pk}/change/" not in memberships


def test_a_membership_added_in_the_admin_follows_the_services_rule(member, municipality):
    from jobunivers.tenancy.models import Membership

    operator, client = _operator_client(member)
    staff = UserFactory()
    # a municipal role without a municipality is refused, with nothing written
    refused = client.post("/admin/tenancy/membership/add/", {"user": staff.pk, "role": Role.JOB_ADVISER,
                                                             "municipality": "", "is_active": "on"})
    assert refused.status_code == 200 and not Membership.objects.filter(user=staff).exists()
    # a citizen membership cannot be made here
    citizen = client.post("/admin/tenancy/membership/add/", {"user": staff.pk, "role": Role.CITIZEN,
                                                             "municipality": municipality.pk, "is_active": "on"})
    assert citizen.status_code == 200 and not Membership.objects.filter(user=staff).exists()
    # a municipal role with its municipality is granted
    granted = client.post("/admin/tenancy/membership/add/", {"user": staff.pk, "role": Role.JOB_ADVISER,
                                                             "municipality": municipality.pk, "is_active": "on"})
    assert granted.status_code == 302
    assert list(Membership.objects.filter(user=staff).values_list("role", "municipality_id")) == [
        (Role.JOB_ADVISER, municipality.pk)]
