"""Who may do what in the marketplace (ADR 0084). Services check these before they write and the
`access_*` selectors before they read, so views and any later API share one set of rules.

- A vendor (a vendor membership tied to the vendor by VendorAccount) writes and submits its own offers.
- The platform operator writes national-library offers and approves vendors' and national offers.
- A municipality administrator writes, approves and curates their own municipality's offers, and
  enables, overrides, promotes and withdraws any published offer for their municipality (a vendor's
  offer only with an agreement, see `agreement_exists`).
- Citizens see what their own municipality enabled for them; caseworkers share an offer with a citizen
  of their municipality; staff of the municipality see a citizen's enrolments.
"""

from __future__ import annotations

from jobunivers.citizens.permissions import is_caseworker_of, is_owner, is_staff_of
from jobunivers.tenancy.permissions import roles_of
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.selectors import memberships_of

from .contracts import agreement_exists
from .models import Enrolment, EnrolmentStatus, Offer, ProviderKind, UseEvent, UseKind, VendorAccount


def _authenticated(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def is_operator(actor) -> bool:
    return _authenticated(actor) and memberships_of(actor).filter(
        role=Role.PLATFORM_OPERATOR, municipality__isnull=True, is_active=True).exists()


def vendor_id_of(actor) -> int | None:
    """The vendor an actor acts for (through an active vendor membership), or None."""
    if not _authenticated(actor):
        return None
    membership_ids = memberships_of(actor).filter(role=Role.VENDOR, is_active=True).values_list("pk", flat=True)
    return (VendorAccount.objects.filter(membership_id__in=list(membership_ids))
            .values_list("vendor_id", flat=True).first())


def is_admin_of(actor, municipality_id: int | None) -> bool:
    return municipality_id is not None and Role.MUNICIPALITY_ADMIN in roles_of(actor, municipality_id)


def can_write_offer(actor, offer: Offer) -> bool:
    """Write a new version and submit it: the offer's provider."""
    if offer.provider_kind == ProviderKind.VENDOR:
        return offer.vendor_id is not None and vendor_id_of(actor) == offer.vendor_id
    if offer.provider_kind == ProviderKind.NATIONAL:
        return is_operator(actor)
    return is_admin_of(actor, offer.owner_municipality_id)


def can_create_offer(actor, *, provider_kind: str, municipality_id: int | None = None) -> bool:
    if provider_kind == ProviderKind.VENDOR:
        return vendor_id_of(actor) is not None
    if provider_kind == ProviderKind.NATIONAL:
        return is_operator(actor)
    return provider_kind == ProviderKind.MUNICIPALITY and is_admin_of(actor, municipality_id)


def can_review_offer(actor, offer: Offer) -> bool:
    """Approve or reject a submitted version, and withdraw the offer from everyone: the operator for the
    national library and vendors, the municipality's administrators for its own offers."""
    if offer.provider_kind == ProviderKind.MUNICIPALITY:
        return is_admin_of(actor, offer.owner_municipality_id)
    return is_operator(actor)


def can_read_offer_versions(actor, offer: Offer) -> bool:
    return can_write_offer(actor, offer) or can_review_offer(actor, offer)


def can_curate(actor, municipality_id: int) -> bool:
    return is_admin_of(actor, municipality_id)


def can_enable_offer(actor, municipality_id: int, offer: Offer) -> bool:
    """An administrator enables a published offer: the national library's, their own municipality's, or a
    vendor's with an agreement. Another municipality's own offer never."""
    if not can_curate(actor, municipality_id) or offer.status != "published":
        return False
    if offer.provider_kind == ProviderKind.MUNICIPALITY:
        return offer.owner_municipality_id == municipality_id
    if offer.provider_kind == ProviderKind.VENDOR:
        return agreement_exists(municipality_id=municipality_id, offer_id=offer.pk)
    return True


def can_view_usage(actor, municipality_id: int) -> bool:
    """Usage and ratings per offer in the municipality: its administrators and job-centre staff, who may
    open each citizen's enrolments anyway; nobody outside the municipality (so counts are not suppressed)."""
    return is_admin_of(actor, municipality_id) or is_staff_of(actor, municipality_id)


def can_browse(actor, municipality_id: int) -> bool:
    return Role.CITIZEN in roles_of(actor, municipality_id)


def can_share_offer(actor, citizen) -> bool:
    """What staff put in the plan is made by the caseworkers who hold conversations with the citizen."""
    return _authenticated(actor) and is_caseworker_of(actor, citizen.municipality_id)


def can_view_enrolments(actor, citizen) -> bool:
    return _authenticated(actor) and (is_owner(actor, citizen) or is_staff_of(actor, citizen.municipality_id))


def can_enrol(actor, citizen) -> bool:
    return _authenticated(actor) and is_owner(actor, citizen)


def is_owner_of(actor, citizen) -> bool:
    return is_owner(actor, citizen)


def rating_basis(*, citizen, offer_id: int) -> Enrolment | None:
    """The citizen's latest enrolment in the offer in their municipality that was not withdrawn (a verified
    enrolment), or None."""
    return (Enrolment.all_tenants.filter(citizen=citizen, offer_id=offer_id, municipality_id=citizen.municipality_id)
            .exclude(status=EnrolmentStatus.WITHDRAWN).order_by("-enrolled_at", "-id").first())


def has_used(*, citizen, offer_id: int) -> bool:
    """The platform recorded a launch or session of the offer by the citizen in their municipality."""
    return UseEvent.all_tenants.filter(citizen=citizen, offer_id=offer_id, municipality_id=citizen.municipality_id,
                                       kind__in=[UseKind.LAUNCHED, UseKind.SESSION, UseKind.HOUR,
                                                 UseKind.COMPLETED]).exists()


def can_rate(actor, citizen, offer_id: int) -> bool:
    return (can_enrol(actor, citizen)
            and (rating_basis(citizen=citizen, offer_id=offer_id) is not None
                 or has_used(citizen=citizen, offer_id=offer_id)))


def can_reply_to_rating(actor, rating) -> bool:
    vendor_id = vendor_id_of(actor)
    return vendor_id is not None and rating.offer.vendor_id == vendor_id
