"""The vendor's reporting-key page: make (secret shown once), rotate, revoke; another vendor's key is not
reachable, and other roles do not get the page."""

from __future__ import annotations

import pytest

from jobunivers.core.testing import client_for
from jobunivers.marketplace import reporting
from jobunivers.marketplace.models import CallbackKey
from jobunivers.tenancy.routing import national_reverse

from . import factories

pytestmark = pytest.mark.django_db


def test_the_vendor_makes_a_key_and_sees_its_secret_once(vendor_actor, vendor):
    client = client_for(vendor_actor)
    url = national_reverse("marketplace:vendor_keys")
    assert "I har ingen nøgler endnu." in client.get(url).content.decode()
    made = client.post(url)
    key = CallbackKey.objects.get(vendor=vendor)
    page = made.content.decode()
    assert made.status_code == 200
    assert reporting.key_secret(key) in page and key.key_id in page
    assert "Den vises kun denne ene gang" in page
    again = client.get(url).content.decode()
    assert key.key_id in again and reporting.key_secret(key) not in again


def test_the_vendor_rotates_and_revokes_on_the_page(vendor_actor, vendor):
    client = client_for(vendor_actor)
    key, _secret = reporting.callback_key_create(actor=vendor_actor)
    url = national_reverse("marketplace:vendor_key_change", kwargs={"key_id": key.pk})
    rotated = client.post(url, {"action": "rotate"})
    assert rotated.status_code == 200
    new = CallbackKey.objects.exclude(pk=key.pk).get(vendor=vendor)
    assert reporting.key_secret(new) in rotated.content.decode()
    assert client.post(url, {"action": "revoke"}).status_code == 302
    assert CallbackKey.objects.get(pk=key.pk).revoked_at is not None


def test_another_vendors_key_cannot_be_revoked_or_seen(vendor_actor, member):
    key, _secret = reporting.callback_key_create(actor=vendor_actor)
    rival = factories.vendor_user(member, factories.vendor("Andre Kurser ApS"))
    client = client_for(rival)
    response = client.post(national_reverse("marketplace:vendor_key_change", kwargs={"key_id": key.pk}),
                           {"action": "revoke"}, follow=True)
    assert "Nøglen blev ikke fundet." in response.content.decode()
    assert CallbackKey.objects.get(pk=key.pk).revoked_at is None
    assert key.key_id not in client.get(national_reverse("marketplace:vendor_keys")).content.decode()


def test_other_roles_do_not_get_the_page(operator):
    assert client_for(operator).get(national_reverse("marketplace:vendor_keys")).status_code == 403


def test_the_vendor_makes_a_launch_key_sees_it_once_and_launches_verify_with_it(vendor_actor, vendor, member):
    from jobunivers.marketplace import launch
    from jobunivers.marketplace.models import Vendor

    client = client_for(vendor_actor)
    url = national_reverse("marketplace:vendor_keys")
    # given a vendor who has not made a launch key yet
    assert "I har ikke lavet en startnøgle endnu" in client.get(url).content.decode()
    before = launch.launch_secret(vendor)
    # when they make one
    made = client.post(national_reverse("marketplace:vendor_launch_key"))
    vendor.refresh_from_db()
    secret = launch.launch_secret(vendor)
    page = made.content.decode()
    # then it is shown once, it is not the old one, and a token signed for their launches verifies with it
    assert made.status_code == 200 and secret in page and secret != before
    assert "Den vises kun denne ene gang" in page and "Kontrollér signaturen" in page
    token = launch.sign_token({"sub": "p", "exp": 2000, "nonce": "n"}, secret=launch.launch_secret(vendor))
    assert launch.verify_token(token, secret=secret, now=1000)["sub"] == "p"
    # and it is stored nowhere: not in the database, not on the next visit
    assert secret not in str(Vendor.objects.filter(pk=vendor.pk).values().first())
    again = client.get(url).content.decode()
    assert secret not in again and "Jeres startnøgle blev lavet" in again
    # and another vendor's key did not change
    rival_vendor = factories.vendor("Andre Kurser ApS")
    rival_before = launch.launch_secret(rival_vendor)
    client.post(national_reverse("marketplace:vendor_launch_key"))
    rival_vendor.refresh_from_db()
    assert launch.launch_secret(rival_vendor) == rival_before


def test_only_a_vendor_makes_a_launch_key(operator):
    response = client_for(operator).post(national_reverse("marketplace:vendor_launch_key"))
    assert response.status_code == 403
