"""Test helpers for the marketplace: vendors (with a valid CVR), offers with a published version, a
municipality's curation of them, and enrolments. The agreements app builds its tests on these too."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.utils import timezone

from jobunivers.marketplace.models import (
    Enrolment,
    LaunchMethod,
    MunicipalOffer,
    Offer,
    OfferStatus,
    OfferVersion,
    ProviderKind,
    UseEvent,
    Vendor,
    VendorAccount,
    VersionStatus,
)
from jobunivers.marketplace.validation import nth_valid_cvr

_cvrs = [0]


def valid_cvr() -> str:
    """The next valid CVR number (modulus 11) from 30000000."""
    _cvrs[0] += 1
    return nth_valid_cvr(_cvrs[0])


def vendor(name: str = "Kursusfirmaet ApS", **values) -> Vendor:
    values.setdefault("cvr", valid_cvr())
    values.setdefault("launch_salt", secrets.token_hex(32))
    return Vendor.objects.create(name=name, **values)


def vendor_user(member, vendor_: Vendor):
    """A user with a vendor membership acting for `vendor_` (member: the tenancy `member` fixture)."""
    from jobunivers.tenancy.models import Membership
    from jobunivers.tenancy.roles import Role

    user = member(Role.VENDOR)
    membership = Membership.objects.get(user=user, role=Role.VENDOR)
    VendorAccount.objects.create(membership=membership, vendor=vendor_)
    return user


def offer(*, provider_kind: str = ProviderKind.NATIONAL, vendor_: Vendor | None = None, municipality=None,
          kind: str = "article", status: str = OfferStatus.PUBLISHED, title: str = "Sådan skriver du et godt CV",
          **version_values) -> Offer:
    """An offer with one version; published unless `status` says otherwise."""
    if provider_kind == ProviderKind.VENDOR and vendor_ is None:
        vendor_ = vendor()
    item = Offer.objects.create(kind=kind, provider_kind=provider_kind, vendor=vendor_,
                                owner_municipality=municipality if provider_kind == ProviderKind.MUNICIPALITY else None,
                                status=OfferStatus.DRAFT)
    version_status = {OfferStatus.DRAFT: VersionStatus.DRAFT, OfferStatus.SUBMITTED: VersionStatus.SUBMITTED,
                      OfferStatus.APPROVED: VersionStatus.APPROVED}.get(status, VersionStatus.PUBLISHED)
    version_values.setdefault("summary_da", "En kort vejledning.")
    version_values.setdefault("body_da", "Her står, hvordan du gør.")
    version_values.setdefault("launch_method", LaunchMethod.IN_PLATFORM)
    version = OfferVersion.objects.create(offer=item, number=1, status=version_status, title_da=title,
                                          **version_values)
    item.status = status
    if version_status == VersionStatus.PUBLISHED:
        item.published_version = version
        item.published_at = timezone.now()
    if status == OfferStatus.WITHDRAWN:
        item.withdrawn_at = timezone.now()
    item.save()
    return item


def enabled(municipality, offer_: Offer, **values) -> MunicipalOffer:
    values.setdefault("enabled_at", timezone.now())
    return MunicipalOffer.all_tenants.create(municipality=municipality, offer=offer_, **values)


def vendor_course(vendor_: Vendor, municipality) -> MunicipalOffer:
    """The vendor's signed-launch truck course, enabled in the municipality (what vendors report on)."""
    course = offer(provider_kind="vendor", vendor_=vendor_, kind="course", title="Truckcertifikat",
                   launch_method="signed", launch_url="https://kursus.example/start")
    return enabled(municipality, course)


def enrolment(citizen, municipal_offer: MunicipalOffer, **values) -> Enrolment:
    values.setdefault("enrolled_at", timezone.now())
    return Enrolment.all_tenants.create(municipality_id=citizen.municipality_id, citizen=citizen,
                                        offer=municipal_offer.offer, municipal_offer=municipal_offer, **values)


def use_event(enrolment_: Enrolment, kind: str = "launched", *, quantity: str = "1", occurred_at=None,
              subject: str = "test-subject") -> UseEvent:
    return UseEvent.all_tenants.create(
        municipality_id=enrolment_.municipality_id, offer=enrolment_.offer, vendor=enrolment_.offer.vendor,
        enrolment=enrolment_, citizen=enrolment_.citizen, subject=subject, kind=kind, quantity=Decimal(quantity),
        occurred_at=occurred_at or timezone.now())
