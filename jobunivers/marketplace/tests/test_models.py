"""The catalogue's invariants held by the database itself (ADR 0084)."""

import pytest
from django.db import IntegrityError, transaction

from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.marketplace.models import Offer, OfferVersion, ProviderKind, UseEvent, VersionStatus
from jobunivers.marketplace.validation import cvr_error, cvr_is_valid

from . import factories

pytestmark = pytest.mark.django_db


def test_a_vendor_offer_needs_its_vendor_and_no_municipality(municipality):
    # given a vendor offer without a vendor, and a national offer with an owning municipality
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(kind="course", provider_kind=ProviderKind.VENDOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(kind="course", provider_kind=ProviderKind.NATIONAL, owner_municipality=municipality)
    # then neither was stored
    assert Offer.objects.count() == 0


def test_a_published_offer_has_a_published_version():
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(kind="article", provider_kind=ProviderKind.NATIONAL, status="published")


def test_only_one_version_is_open_for_review_at_a_time():
    # given a published offer with a new version under review
    offer = factories.offer()
    OfferVersion.objects.create(offer=offer, number=2, status=VersionStatus.SUBMITTED, title_da="Ny", summary_da="s")
    # when a third version is opened
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferVersion.objects.create(offer=offer, number=3, status=VersionStatus.DRAFT, title_da="Ny", summary_da="s")
    # then the published version and the one under review are all there is
    assert sorted(offer.versions.values_list("number", "status")) == [(1, "published"), (2, "submitted")]


def test_use_events_are_append_only(municipality):
    citizen = CitizenFactory(municipality=municipality)
    enrolment = factories.enrolment(citizen, factories.enabled(municipality, factories.offer()))
    event = factories.use_event(enrolment, "launched")
    event.quantity = 5
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    assert UseEvent.all_tenants.get().quantity == 1


def test_one_active_enrolment_per_citizen_and_offer(municipality):
    citizen = CitizenFactory(municipality=municipality)
    curated = factories.enabled(municipality, factories.offer())
    factories.enrolment(citizen, curated)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.enrolment(citizen, curated)
    factories.enrolment(citizen, curated, status="completed")


@pytest.mark.parametrize(("cvr", "valid"), [("30000013", True), ("30000014", False), ("10150817", True), ("1015081", False),
                                             ("01234567", False)])
def test_cvr_modulus_11(cvr, valid):
    assert cvr_is_valid(cvr) is valid
    assert (cvr_error(cvr) is None) is valid
