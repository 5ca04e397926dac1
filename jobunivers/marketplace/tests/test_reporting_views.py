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
