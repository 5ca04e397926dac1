import io
import random

import pytest

from jobunivers.marketplace.demo import load
from jobunivers.marketplace.models import MunicipalOffer, Offer, VendorAccount
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.services import membership_grant

pytestmark = pytest.mark.django_db


def test_demo_fills_the_library_and_each_demo_municipality_shows_it(municipality, member):
    # given a demo municipality with an administrator, the operator and the demo vendor's person
    type(municipality).objects.filter(pk=municipality.pk).update(is_demo=True)
    member(Role.MUNICIPALITY_ADMIN, municipality)
    member(Role.PLATFORM_OPERATOR)
    vendor_person = member(Role.VENDOR)
    membership_grant(user=vendor_person, role=Role.VENDOR, municipality=None, organisation="Kompetencehuset A/S")
    # when the demo runs twice
    load(rng=random.Random(1), stdout=io.StringIO())
    load(rng=random.Random(1), stdout=io.StringIO())
    # then the library has four published guides, the vendor's course and the municipality's job club
    assert sorted(Offer.objects.values_list("provider_kind", "status")) == (
        [("municipality", "published")] + [("national", "published")] * 4 + [("vendor", "published")])
    assert VendorAccount.objects.get().vendor.name == "Kompetencehuset A/S"
    # and the municipality shows the guides and its job club (the course waits for an agreement)
    shown = MunicipalOffer.all_tenants.filter(municipality=municipality)
    assert sorted(shown.values_list("offer__provider_kind", flat=True)) == ["municipality"] + ["national"] * 4
    assert shown.filter(promotion_priority=50).get().offer.published_version.title_da == (
        "Sådan skriver du et CV, der bliver læst")
