"""The vendor's reporting keys on a phone (issue 17, ADR 0084): the vendor makes a key, sees its secret once,
rotates it and revokes the old one; the page fits 390 px and axe-core finds nothing on it."""

import pytest

from jobunivers.marketplace.models import CallbackKey
from jobunivers.marketplace.tests import factories

from .screens import PHONE, horizontal_overflow, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name).first.click()
    page.wait_for_load_state("domcontentloaded")


def test_the_vendor_makes_rotates_and_revokes_a_key_on_a_phone(page, visit, axe, sign_in_as, member):
    vendor = factories.vendor("Kompetencehuset A/S")
    page.set_viewport_size(PHONE)
    sign_in_as(page, factories.vendor_user(member, vendor))
    assert visit(page, "/leverandoer/noegler/").status == 200
    assert "I har ingen nøgler endnu." in page.locator("main").inner_text()
    axe(page)

    # a new key: its secret is shown once, in full, without the page scrolling sideways
    _click(page, "Lav en ny nøgle")
    first = CallbackKey.objects.get(vendor=vendor)
    secret = page.locator("#key-secret").inner_text()
    assert (len(secret), first.key_id in page.locator("table").inner_text()) == (64, True)
    assert horizontal_overflow(page) == 0
    axe(page)
    screenshot(page, "vendor-keys-new")

    # rotated: a second key, the first works for a day more; then the first is revoked
    _click(page, f"Forny {first.key_id}")
    assert CallbackKey.objects.filter(vendor=vendor).count() == 2
    assert len(page.locator("#key-secret").inner_text()) == 64
    _click(page, f"Tilbagekald {first.key_id}")
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert "Tilbagekaldt" in page.locator("table").inner_text()
    assert horizontal_overflow(page) == 0
    axe(page)
    screenshot(page, "vendor-keys-revoked")
