"""Writes of the marketplace: vendors, offers and their reviewed versions, a municipality's curation,
citizens' enrolments and launches, and staff sharing an offer with a citizen (ADR 0084).

Every write is atomic and checks `permissions` first; a refusal is a Danish ValidationFailed and writes
nothing. Every enrolment, launch and withdrawal writes one `UseEvent` in the same transaction: the
append-only record statements are computed from. Nothing else writes use events.
"""

from __future__ import annotations

import datetime
import re
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.audit.services import citizen_access_record
from jobunivers.citizens import services as citizen_services
from jobunivers.core.errors import ConflictError, ValidationFailed
from jobunivers.core.events import publish_on_commit
from jobunivers.tenancy.routing import municipal_reverse
from jobunivers.tenancy.selectors import get_municipality

from . import launch as launching
from . import permissions
from .contracts import UseRecorded
from .models import (
    RATING_REPLY_MAX,
    RATING_TEXT_MAX,
    Audience,
    ConsentField,
    Enrolment,
    EnrolmentStatus,
    LaunchMethod,
    MunicipalOffer,
    Offer,
    OfferFormat,
    OfferKind,
    OfferShare,
    OfferStatus,
    OfferVersion,
    ProviderKind,
    Rating,
    RatingStatus,
    Situation,
    UseEvent,
    UseKind,
    Vendor,
    VendorAccount,
    VersionStatus,
)
from .selectors import offer_title
from .validation import cvr_error

VERSION_FIELDS = ("title_da", "title_en", "summary_da", "summary_en", "body_da", "body_en", "target_tracks",
                  "target_isco", "target_situations", "format", "duration", "languages", "accessibility",
                  "price_dkk", "price_note", "launch_method", "launch_url", "consent_fields")
LIMITS = {"title_da": 200, "title_en": 200, "summary_da": 500, "summary_en": 500, "body_da": 20000,
          "body_en": 20000, "duration": 100, "accessibility": 2000, "price_note": 300, "launch_url": 500}
PRICE_MAX = Decimal("1000000")
REASON_MAX = 500
NOTE_MAX = 500
ISCO_RE = re.compile(r"^\d{1,4}$")
TRACK_RE = re.compile(r"^[-a-z0-9_]{1,40}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2}$")


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _add(errors: dict[str, list[str]], field: str, text: str) -> None:
    errors.setdefault(field, []).append(text)


def _text(value: Any) -> str:
    return str(value or "").replace("\r\n", "\n").strip()


# --- Vendors ------------------------------------------------------------------------------------

def vendor_register(*, actor, name: str, cvr: str, contact_email: str = "") -> Vendor:
    """The platform operator registers a vendor organisation (CVR checked with modulus 11)."""
    if not permissions.is_operator(actor):
        raise ValidationFailed(_("Only the platform operator can register vendors."))
    name, cvr = _text(name), _text(cvr).replace(" ", "")
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 200:
        _add(errors, "name", _("Give the vendor's name (at most 200 characters)."))
    if problem := cvr_error(cvr):
        _add(errors, "cvr", problem)
    elif Vendor.objects.filter(cvr=cvr).exists():
        _add(errors, "cvr", _("A vendor with this CVR number is already registered."))
    _refuse(errors)
    return Vendor.objects.create(name=name, cvr=cvr, contact_email=_text(contact_email),
                                 launch_salt=launching.new_secret())


def vendor_link_account(*, actor, membership, vendor: Vendor) -> VendorAccount:
    """Let a vendor membership act for the vendor (set by the platform operator)."""
    from jobunivers.tenancy.roles import Role

    if not permissions.is_operator(actor):
        raise ValidationFailed(_("Only the platform operator can link vendor accounts."))
    if membership is None or membership.role != Role.VENDOR:
        raise ValidationFailed(_("Only a vendor membership can act for a vendor."))
    account, _created = VendorAccount.objects.update_or_create(membership=membership, defaults={"vendor": vendor})
    return account


# --- Offers and versions ------------------------------------------------------------------------

def _list_of(errors, field: str, values, check, message: str) -> list[str]:
    if values in (None, ""):
        return []
    if isinstance(values, str):
        values = [v for v in re.split(r"[,\s]+", values) if v]
    if not isinstance(values, list | tuple):
        _add(errors, field, message)
        return []
    cleaned = [str(v).strip() for v in values if str(v).strip()]
    if any(not check(v) for v in cleaned) or len(cleaned) > 50:
        _add(errors, field, message)
    return list(dict.fromkeys(cleaned))


def _clean_version(values: dict[str, Any], *, provider_kind: str) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for field, limit in LIMITS.items():
        text = _text(values.get(field))
        if "\x00" in text:
            _add(errors, field, _("The text contains a character that cannot be stored."))
        elif len(text) > limit:
            _add(errors, field, _("Write at most %(limit)s characters.") % {"limit": limit})
        clean[field] = text
    if not clean["title_da"]:
        _add(errors, "title_da", _("Give the offer a Danish title."))
    if not clean["summary_da"]:
        _add(errors, "summary_da", _("Write a short Danish summary."))
    clean["format"] = values.get("format") or OfferFormat.ONLINE
    if clean["format"] not in OfferFormat.values:
        _add(errors, "format", _("Choose one of the options."))
    clean["launch_method"] = values.get("launch_method") or LaunchMethod.LINK
    method = clean["launch_method"]
    if method not in LaunchMethod.values:
        _add(errors, "launch_method", _("Choose one of the options."))
    if method in (LaunchMethod.LINK, LaunchMethod.SIGNED):
        try:
            URLValidator(schemes=["https"])(clean["launch_url"])
        except ValidationError:
            _add(errors, "launch_url", _("Give an address that starts with https://."))
    if method == LaunchMethod.IN_PLATFORM and not clean["body_da"]:
        _add(errors, "body_da", _("Content read here needs a Danish text."))
    if method == LaunchMethod.SIGNED and provider_kind != ProviderKind.VENDOR:
        _add(errors, "launch_method", _("Only a vendor's offer is started with a signed launch."))
    clean["consent_fields"] = _list_of(errors, "consent_fields", values.get("consent_fields"),
                                       lambda v: v in ConsentField.values, _("Choose from the listed data."))
    if clean["consent_fields"] and method != LaunchMethod.SIGNED:
        _add(errors, "consent_fields", _("Personal data can only be asked for with a signed launch."))
    clean["target_situations"] = _list_of(errors, "target_situations", values.get("target_situations"),
                                          lambda v: v in Situation.values, _("Choose from the listed situations."))
    clean["target_isco"] = _list_of(errors, "target_isco", values.get("target_isco"), ISCO_RE.match,
                                    _("Give ISCO codes of 1 to 4 digits, separated by commas."))
    clean["target_tracks"] = _list_of(errors, "target_tracks", values.get("target_tracks"), TRACK_RE.match,
                                      _("Give track keys (small letters, digits and dashes)."))
    clean["languages"] = _list_of(errors, "languages", values.get("languages") or ["da"],
                                  lambda v: bool(LANGUAGE_RE.match(v.lower())),
                                  _("Give two-letter language codes such as da, en."))
    clean["languages"] = [v.lower() for v in clean["languages"]]
    price = values.get("price_dkk")
    clean["price_dkk"] = None
    if price not in (None, ""):
        try:
            amount = Decimal(str(price).replace(",", "."))
            if not amount.is_finite() or amount < 0 or amount > PRICE_MAX or amount != round(amount, 2):
                raise InvalidOperation
            clean["price_dkk"] = amount
        except InvalidOperation:
            _add(errors, "price_dkk", _("Give a price in kroner from 0 to 1,000,000 with at most two decimals."))
    _refuse(errors)
    return clean


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise ValidationFailed(message)


def offer_create(*, actor, provider_kind: str, kind: str, values: dict[str, Any],
                 municipality_id: int | None = None) -> Offer:
    """A new offer with its first version as a draft. A vendor's offer belongs to the vendor the actor acts
    for; a municipality's to that municipality."""
    if provider_kind not in ProviderKind.values:
        raise ValidationFailed({"provider_kind": [_("Choose one of the options.")]})
    _require(permissions.can_create_offer(actor, provider_kind=provider_kind, municipality_id=municipality_id),
             _("You cannot create offers of this kind."))
    if kind not in OfferKind.values:
        raise ValidationFailed({"kind": [_("Choose one of the options.")]})
    clean = _clean_version(values, provider_kind=provider_kind)
    with transaction.atomic():
        offer = Offer.objects.create(
            kind=kind, provider_kind=provider_kind, created_by=actor,
            vendor_id=permissions.vendor_id_of(actor) if provider_kind == ProviderKind.VENDOR else None,
            owner_municipality_id=municipality_id if provider_kind == ProviderKind.MUNICIPALITY else None)
        OfferVersion.objects.create(offer=offer, number=1, created_by=actor, **clean)
    return offer


def _open_version(offer: Offer) -> OfferVersion | None:
    return offer.versions.filter(status__in=[VersionStatus.DRAFT, VersionStatus.SUBMITTED,
                                             VersionStatus.APPROVED]).first()


def offer_version_save(*, actor, offer: Offer, values: dict[str, Any], kind: str | None = None) -> OfferVersion:
    """Change the draft, or start a new draft from the given content when none is open. A submitted version
    is not changed: it waits for its review."""
    _require(permissions.can_write_offer(actor, offer), _("You cannot change this offer."))
    if offer.status == OfferStatus.WITHDRAWN:
        raise ValidationFailed(_("The offer is withdrawn and cannot be changed."))
    if kind is not None and kind not in OfferKind.values:
        raise ValidationFailed({"kind": [_("Choose one of the options.")]})
    clean = _clean_version(values, provider_kind=offer.provider_kind)
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        version = _open_version(locked)
        if version is not None and version.status != VersionStatus.DRAFT:
            raise ValidationFailed(_("A version is waiting for approval; change the offer after the review."))
        if version is None:
            number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            version = OfferVersion(offer=locked, number=number, created_by=actor)
        for field, value in clean.items():
            setattr(version, field, value)
        version.save()
        if kind is not None and kind != locked.kind:
            locked.kind = kind
            locked.save(update_fields=["kind", "updated_at"])
    return version


def offer_submit(*, actor, offer: Offer) -> OfferVersion:
    _require(permissions.can_write_offer(actor, offer), _("You cannot submit this offer."))
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        version = _open_version(locked)
        if version is None or version.status != VersionStatus.DRAFT:
            raise ValidationFailed(_("There is no draft to submit."))
        version.status, version.submitted_at = VersionStatus.SUBMITTED, timezone.now()
        version.save(update_fields=["status", "submitted_at", "updated_at"])
        if locked.status == OfferStatus.DRAFT:
            locked.status = OfferStatus.SUBMITTED
            locked.save(update_fields=["status", "updated_at"])
    return version


def offer_review(*, actor, offer: Offer, approve: bool, note: str = "", publish: bool = True) -> OfferVersion:
    """Approve (and by default publish) or reject the submitted version. A rejection needs a reason; a
    published version stays visible until a newer one is published."""
    _require(permissions.can_review_offer(actor, offer), _("You cannot approve this offer."))
    note = _text(note)
    if not approve and not note:
        raise ValidationFailed({"note": [_("Say why the version is rejected.")]})
    if len(note) > 1000:
        raise ValidationFailed({"note": [_("Write at most %(limit)s characters.") % {"limit": 1000}]})
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        version = _open_version(locked)
        if version is None or version.status != VersionStatus.SUBMITTED:
            raise ValidationFailed(_("There is no version waiting for approval."))
        version.reviewed_at, version.reviewed_by, version.review_note = timezone.now(), actor, note
        if not approve:
            version.status = VersionStatus.REJECTED
            version.save()
            if locked.status == OfferStatus.SUBMITTED:
                locked.status = OfferStatus.DRAFT
                locked.save(update_fields=["status", "updated_at"])
            return version
        version.status = VersionStatus.APPROVED
        version.save()
        if locked.status in (OfferStatus.DRAFT, OfferStatus.SUBMITTED):
            locked.status = OfferStatus.APPROVED
            locked.save(update_fields=["status", "updated_at"])
        if publish:
            _publish(locked, version)
    return version


def _publish(offer: Offer, version: OfferVersion) -> None:
    offer.versions.filter(status=VersionStatus.PUBLISHED).update(status=VersionStatus.SUPERSEDED)
    version.status = VersionStatus.PUBLISHED
    version.save(update_fields=["status", "updated_at"])
    offer.published_version = version
    offer.status = OfferStatus.PUBLISHED
    offer.published_at = offer.published_at or timezone.now()
    offer.version += 1
    offer.save(update_fields=["published_version", "status", "published_at", "version", "updated_at"])


def offer_publish(*, actor, offer: Offer) -> OfferVersion:
    """Publish an approved version (the provider or the reviewer)."""
    _require(permissions.can_read_offer_versions(actor, offer), _("You cannot publish this offer."))
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        version = _open_version(locked)
        if version is None or version.status != VersionStatus.APPROVED:
            raise ValidationFailed(_("There is no approved version to publish."))
        _publish(locked, version)
    return version


def own_offer_publish(*, actor, offer: Offer) -> MunicipalOffer:
    """A municipality administrator publishes the draft of the municipality's own offer: it is submitted,
    approved by them (the municipality reviews its own offers) and published in one step, and shown to the
    municipality's citizens (to everyone until the administrator chooses an audience). A version published
    before stays visible until this one replaces it; an offer withdrawn locally stays withdrawn."""
    municipality_id = offer.owner_municipality_id
    if municipality_id is None or not permissions.can_review_offer(actor, offer):
        raise ValidationFailed(_("Only the municipality's administrators publish its own offers."))
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if locked.status == OfferStatus.WITHDRAWN:
            raise ValidationFailed(_("The offer is withdrawn and cannot be changed."))
        version = _open_version(locked)
        if version is None or version.status != VersionStatus.DRAFT:
            raise ValidationFailed(_("There is no draft to publish."))
        offer_submit(actor=actor, offer=locked)
        offer_review(actor=actor, offer=locked, approve=True, publish=True,
                     note=_("Published by the municipality."))
        curated = MunicipalOffer.all_tenants.filter(municipality_id=municipality_id, offer=locked).first()
        if curated is None:
            curated = MunicipalOffer.all_tenants.create(municipality_id=municipality_id, offer=locked,
                                                        enabled_at=timezone.now(), enabled_by=actor)
    return curated


def offer_withdraw(*, actor, offer: Offer, reason: str) -> Offer:
    """Withdraw an offer from every municipality (its provider or reviewer). Enrolments stay on record."""
    _require(permissions.can_read_offer_versions(actor, offer), _("You cannot withdraw this offer."))
    reason = _text(reason)
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": [_("Say why the offer is withdrawn (at most %(limit)s characters).")
                                           % {"limit": REASON_MAX}]})
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if locked.status == OfferStatus.WITHDRAWN:
            raise ValidationFailed(_("The offer is already withdrawn."))
        locked.status, locked.withdrawn_at, locked.withdrawn_reason = OfferStatus.WITHDRAWN, timezone.now(), reason
        locked.version += 1
        locked.save(update_fields=["status", "withdrawn_at", "withdrawn_reason", "version", "updated_at"])
    return locked


# --- Curation by the municipality ---------------------------------------------------------------

def municipal_offer_enable(*, actor, municipality_id: int, offer: Offer) -> MunicipalOffer:
    """Show a published offer to the municipality's citizens (again, if it was withdrawn locally)."""
    if not permissions.can_curate(actor, municipality_id):
        raise ValidationFailed(_("Only the municipality's administrators choose its offers."))
    if offer.status != OfferStatus.PUBLISHED:
        raise ValidationFailed(_("Only a published offer can be shown to citizens."))
    if not permissions.can_enable_offer(actor, municipality_id, offer):
        if offer.provider_kind == ProviderKind.VENDOR:
            raise ValidationFailed(_("A vendor's offer can be shown once the municipality has an agreement "
                                     "with the vendor for it."))
        raise ValidationFailed(_("This offer belongs to another municipality."))
    with transaction.atomic():
        curated = MunicipalOffer.all_tenants.select_for_update().filter(municipality_id=municipality_id,
                                                                       offer=offer).first()
        now = timezone.now()
        if curated is None:
            try:
                with transaction.atomic():
                    return MunicipalOffer.all_tenants.create(municipality_id=municipality_id, offer=offer,
                                                             enabled_at=now, enabled_by=actor)
            except IntegrityError:
                curated = MunicipalOffer.all_tenants.select_for_update().get(municipality_id=municipality_id,
                                                                            offer=offer)
        if curated.withdrawn_at is None:
            raise ValidationFailed(_("The offer is already shown to citizens."))
        curated.withdrawn_at, curated.withdrawn_by, curated.withdrawn_reason = None, None, ""
        curated.enabled_at, curated.enabled_by = now, actor
        curated.version += 1
        curated.save()
    return curated


def _clean_date(errors, field: str, value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        _add(errors, field, _("Enter a valid date."))
        return None


def municipal_offer_update(*, actor, municipal_offer: MunicipalOffer, expected_version: int,
                           values: dict[str, Any]) -> MunicipalOffer:
    """Local text, audience and promotion of an enabled offer."""
    if not permissions.can_curate(actor, municipal_offer.municipality_id):
        raise ValidationFailed(_("Only the municipality's administrators choose its offers."))
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for field, limit in (("local_title", 200), ("local_summary", 500), ("local_text", 5000)):
        clean[field] = _text(values.get(field))
        if len(clean[field]) > limit or "\x00" in clean[field]:
            _add(errors, field, _("Write at most %(limit)s characters.") % {"limit": limit})
    clean["audience"] = values.get("audience") or Audience.EVERYONE
    if clean["audience"] not in Audience.values:
        _add(errors, "audience", _("Choose one of the options."))
    clean["audience_tracks"] = _list_of(errors, "audience_tracks", values.get("audience_tracks"), TRACK_RE.match,
                                        _("Choose from the municipality's tracks."))
    clean["audience_isco"] = _list_of(errors, "audience_isco", values.get("audience_isco"), ISCO_RE.match,
                                      _("Give ISCO codes of 1 to 4 digits, separated by commas."))
    if clean["audience"] == Audience.TRACKS and not clean["audience_tracks"] and "audience_tracks" not in errors:
        _add(errors, "audience_tracks", _("Choose at least one track."))
    if clean["audience"] == Audience.OCCUPATIONS and not clean["audience_isco"] and "audience_isco" not in errors:
        _add(errors, "audience_isco", _("Give at least one occupation group."))
    priority = values.get("promotion_priority") or 0
    try:
        clean["promotion_priority"] = int(priority)
        if not 0 <= clean["promotion_priority"] <= 100:
            raise ValueError
    except (TypeError, ValueError):
        _add(errors, "promotion_priority", _("Enter a number from %(low)s to %(high)s.") % {"low": 0, "high": 100})
    clean["promoted_from"] = _clean_date(errors, "promoted_from", values.get("promoted_from"))
    clean["promoted_until"] = _clean_date(errors, "promoted_until", values.get("promoted_until"))
    if clean["promoted_from"] and clean["promoted_until"] and clean["promoted_until"] < clean["promoted_from"]:
        _add(errors, "promoted_until", _("The end date cannot be before the start date."))
    _refuse(errors)
    with transaction.atomic():
        locked = MunicipalOffer.all_tenants.select_for_update().get(pk=municipal_offer.pk)
        if locked.version != expected_version:
            raise ConflictError(_("Someone else changed the offer meanwhile. Reload the page and try again."))
        for field, value in clean.items():
            setattr(locked, field, value)
        locked.version += 1
        locked.save()
    return locked


def municipal_offer_withdraw(*, actor, municipal_offer: MunicipalOffer, reason: str) -> MunicipalOffer:
    if not permissions.can_curate(actor, municipal_offer.municipality_id):
        raise ValidationFailed(_("Only the municipality's administrators choose its offers."))
    reason = _text(reason)
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed({"reason": [_("Say why the offer is withdrawn (at most %(limit)s characters).")
                                           % {"limit": REASON_MAX}]})
    with transaction.atomic():
        locked = MunicipalOffer.all_tenants.select_for_update().get(pk=municipal_offer.pk)
        if locked.withdrawn_at is not None:
            raise ValidationFailed(_("The offer is already withdrawn."))
        locked.withdrawn_at, locked.withdrawn_by, locked.withdrawn_reason = timezone.now(), actor, reason
        locked.version += 1
        locked.save()
    return locked


# --- Citizens: enrol, launch --------------------------------------------------------------------

def _record_use(*, municipal_offer: MunicipalOffer, citizen, kind: str, enrolment: Enrolment | None = None,
                quantity: Decimal = Decimal("1"), occurred_at: datetime.datetime | None = None) -> UseEvent:
    offer = municipal_offer.offer
    event = UseEvent.all_tenants.create(
        municipality_id=municipal_offer.municipality_id, offer=offer, vendor_id=offer.vendor_id,
        enrolment=enrolment, citizen=citizen, kind=kind, quantity=quantity,
        subject=launching.pseudonym(provider=launching.provider_key(offer), citizen_id=citizen.pk),
        occurred_at=occurred_at or timezone.now())
    publish_on_commit(UseRecorded(municipality_id=event.municipality_id, offer_id=offer.pk,
                                  vendor_id=offer.vendor_id, kind=kind, quantity=quantity,
                                  occurred_at=event.occurred_at, citizen_id=citizen.pk, use_event_id=event.pk,
                                  offer_title=offer_title(offer)))
    return event


def _visible(municipal_offer: MunicipalOffer, citizen) -> None:
    if (municipal_offer.municipality_id != citizen.municipality_id or municipal_offer.withdrawn_at is not None
            or municipal_offer.offer.status != OfferStatus.PUBLISHED):
        raise ValidationFailed(_("The offer is no longer available."))


def _plan_item_type(offer: Offer) -> str:
    return "course" if offer.kind == OfferKind.COURSE else "external_activity"


def _offer_link(municipal_offer: MunicipalOffer) -> str:
    municipality = get_municipality(municipality_id=municipal_offer.municipality_id)
    return settings.SITE_URL.rstrip("/") + municipal_reverse(municipality.slug, "marketplace:detail",
                                                             args=[municipal_offer.pk])


def _title_of(municipal_offer: MunicipalOffer) -> str:
    version = municipal_offer.offer.published_version
    return municipal_offer.local_title or (version.title_da if version else "")


def enrol(*, actor, citizen, municipal_offer: MunicipalOffer, consented_fields=(), add_to_plan: bool = True
          ) -> Enrolment:
    """The citizen enrols in an offer their municipality shows them (and by default puts it in their plan).
    `consented_fields`: the personal data the citizen agrees to send to the provider with a signed launch."""
    if not permissions.can_enrol(actor, citizen):
        raise ValidationFailed(_("Only the citizen can enrol."))
    _visible(municipal_offer, citizen)
    version = municipal_offer.offer.published_version
    asked = set(version.consent_fields if version else [])
    consented = [str(f) for f in (consented_fields or [])]
    if any(f not in asked for f in consented):
        raise ValidationFailed({"consented_fields": [_("Choose from the data the offer asks for.")]})
    now = timezone.now()
    try:
        with transaction.atomic():
            enrolment = Enrolment.all_tenants.create(
                municipality_id=citizen.municipality_id, citizen=citizen, offer=municipal_offer.offer,
                municipal_offer=municipal_offer, enrolled_at=now, consented_fields=sorted(set(consented)),
                consented_at=now if consented else None)
            if add_to_plan:
                enrolment.plan_item = citizen_services.plan_item_create(
                    actor=actor, citizen=citizen, item_type=_plan_item_type(municipal_offer.offer),
                    title=_title_of(municipal_offer)[:200], created_by_kind="citizen",
                    link=_offer_link(municipal_offer), description=(municipal_offer.local_summary
                                                                    or (version.summary_da if version else "")))
                enrolment.save(update_fields=["plan_item", "updated_at"])
            _record_use(municipal_offer=municipal_offer, citizen=citizen, kind=UseKind.ENROLLED,
                        enrolment=enrolment, occurred_at=now)
    except IntegrityError:
        raise ValidationFailed(_("You are already enrolled in this offer.")) from None
    return enrolment


def enrolment_withdraw(*, actor, enrolment: Enrolment) -> Enrolment:
    """The citizen leaves an offer: the enrolment is closed, and so is its plan activity."""
    if not permissions.can_enrol(actor, enrolment.citizen):
        raise ValidationFailed(_("Only the citizen can leave an offer."))
    with transaction.atomic():
        locked = Enrolment.all_tenants.select_for_update().select_related("municipal_offer__offer").get(
            pk=enrolment.pk)
        if locked.status != EnrolmentStatus.ENROLLED:
            raise ValidationFailed(_("You are no longer enrolled in this offer."))
        locked.status, locked.withdrawn_at = EnrolmentStatus.WITHDRAWN, timezone.now()
        locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
        _record_use(municipal_offer=locked.municipal_offer, citizen=enrolment.citizen, kind=UseKind.WITHDRAWN,
                    enrolment=locked, occurred_at=locked.withdrawn_at)
    return locked


def _consented_values(citizen, fields: list[str]) -> dict[str, str]:
    user = citizen.user
    values: dict[str, str] = {str(ConsentField.NAME): user.get_full_name(), str(ConsentField.EMAIL): user.email,
                              str(ConsentField.PHONE): getattr(user, "phone", "") or ""}
    return {str(field): str(values.get(field, "")) for field in fields}


def launch(*, actor, citizen, municipal_offer: MunicipalOffer) -> launching.Launch:
    """Start an offer: a plain link, a signed launch to the vendor (needs an enrolment; carries only the
    pseudonym and the data the citizen consented to), or content read here. Writes a `launched` event."""
    if not permissions.can_enrol(actor, citizen):
        raise ValidationFailed(_("Only the citizen can start an offer."))
    _visible(municipal_offer, citizen)
    offer = municipal_offer.offer
    version = offer.published_version
    if version is None:
        raise ValidationFailed(_("The offer is no longer available."))
    enrolment = Enrolment.all_tenants.filter(citizen=citizen, offer=offer, status=EnrolmentStatus.ENROLLED).first()
    method = version.launch_method
    if method == LaunchMethod.SIGNED and enrolment is None:
        raise ValidationFailed(_("Enrol in the offer before you start it."))
    with transaction.atomic():
        event = _record_use(municipal_offer=municipal_offer, citizen=citizen, kind=UseKind.LAUNCHED,
                            enrolment=enrolment)
    if method == LaunchMethod.SIGNED:
        municipality = get_municipality(municipality_id=municipal_offer.municipality_id)
        issued = int(event.occurred_at.timestamp())
        payload = {"iss": "jobunivers", "aud": offer.vendor_id, "offer": offer.pk, "municipality": municipality.code,
                   "sub": event.subject, "iat": issued, "exp": issued + launching.LAUNCH_TTL_SECONDS,
                   "nonce": secrets.token_urlsafe(16),
                   "fields": _consented_values(citizen, list(enrolment.consented_fields))}  # type: ignore[union-attr]
        token = launching.sign_token(payload, secret=launching.launch_secret(offer.vendor))
        return launching.Launch(url=launching.with_token(version.launch_url, token), payload=payload)
    if method == LaunchMethod.LINK:
        return launching.Launch(url=version.launch_url, payload=None)
    return launching.Launch(url="", payload=None)


# --- Staff ---------------------------------------------------------------------------------------

def offer_share(*, actor, citizen, municipal_offer: MunicipalOffer, note: str = "") -> OfferShare:
    """A caseworker suggests an offer to a citizen: it appears in the citizen's plan as an activity the job
    centre suggested (not agreed), with a link to the offer."""
    if not permissions.can_share_offer(actor, citizen):
        raise ValidationFailed(_("Only the citizen's job adviser or personal job consultant can share offers."))
    _visible(municipal_offer, citizen)
    note = _text(note)
    if len(note) > NOTE_MAX:
        raise ValidationFailed({"note": [_("Write at most %(limit)s characters.") % {"limit": NOTE_MAX}]})
    version = municipal_offer.offer.published_version
    summary = municipal_offer.local_summary or (version.summary_da if version else "")
    description = "\n\n".join(part for part in (_("Suggested by the job centre."), note, summary) if part)
    with transaction.atomic():
        item = citizen_services.plan_item_create(
            actor=actor, citizen=citizen, item_type=_plan_item_type(municipal_offer.offer),
            title=_title_of(municipal_offer)[:200], created_by_kind="staff", link=_offer_link(municipal_offer),
            description=description[:4000], status="suggested")  # the citizen chooses whether to take it up
        share = OfferShare.all_tenants.create(municipality_id=citizen.municipality_id, citizen=citizen,
                                              municipal_offer=municipal_offer, shared_by=actor, note=note,
                                              plan_item=item)
        citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                              action="change", purpose="help", what="marketplace share")
    return share


# --- Ratings ---------------------------------------------------------------------------------------

def _rating_score(errors, score) -> int | None:
    try:
        value = int(str(score).strip())
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        _add(errors, "score", _("Choose a score from 1 to 5."))
        return None
    return value


def _bounded_text(errors, field: str, value, limit: int) -> str:
    text = _text(value)
    if "\x00" in text:
        _add(errors, field, _("The text contains a character that cannot be stored."))
    elif len(text) > limit:
        _add(errors, field, _("Write at most %(limit)s characters.") % {"limit": limit})
    return text


def rating_submit(*, actor, citizen, municipal_offer: MunicipalOffer, score, text: str = "") -> Rating:
    """The citizen rates an offer they enrolled in or used in their municipality. A second rating of the
    same offer replaces the first and sends it back to moderation (the vendor's reply stays, dated)."""
    if not permissions.can_enrol(actor, citizen):
        raise ValidationFailed(_("Only the citizen can rate an offer."))
    if municipal_offer.municipality_id != citizen.municipality_id:
        raise ValidationFailed(_("The offer is no longer available."))
    errors: dict[str, list[str]] = {}
    value = _rating_score(errors, score)
    clean_text = _bounded_text(errors, "text", text, RATING_TEXT_MAX)
    _refuse(errors)
    assert value is not None
    offer = municipal_offer.offer
    enrolment = permissions.rating_basis(citizen=citizen, offer_id=offer.pk)
    if enrolment is None and not permissions.has_used(citizen=citizen, offer_id=offer.pk):
        raise ValidationFailed(_("You can rate an offer once you have enrolled in it or used it."))
    with transaction.atomic():
        rating = Rating.all_tenants.select_for_update().filter(citizen=citizen, offer=offer).first()
        if rating is None:
            try:
                with transaction.atomic():
                    return Rating.all_tenants.create(municipality_id=citizen.municipality_id, offer=offer,
                                                     citizen=citizen, enrolment=enrolment or None, score=value,
                                                     text=clean_text)
            except IntegrityError:
                rating = Rating.all_tenants.select_for_update().get(citizen=citizen, offer=offer)
        rating.score, rating.text, rating.status = value, clean_text, RatingStatus.PENDING
        rating.rejection_reason, rating.moderated_by, rating.moderated_at = "", None, None
        if enrolment is not None:
            rating.enrolment = enrolment
        rating.save()
    return rating


def rating_moderate(*, actor, rating: Rating, approve: bool, reason: str = "") -> Rating:
    """A municipality administrator approves a pending rating or rejects it with a reason."""
    if not permissions.can_curate(actor, rating.municipality_id):
        raise ValidationFailed(_("Only the municipality's administrators moderate ratings."))
    reason = _text(reason)
    if not approve and (not reason or len(reason) > REASON_MAX):
        raise ValidationFailed({"reason": [_("Say why the rating is rejected (at most %(limit)s characters).")
                                           % {"limit": REASON_MAX}]})
    with transaction.atomic():
        locked = Rating.all_tenants.select_for_update().get(pk=rating.pk)
        if locked.status != RatingStatus.PENDING:
            raise ValidationFailed(_("The rating has already been moderated."))
        locked.status = RatingStatus.APPROVED if approve else RatingStatus.REJECTED
        locked.rejection_reason = "" if approve else reason
        locked.moderated_by, locked.moderated_at = actor, timezone.now()
        locked.save()
    return locked


def rating_reply(*, actor, rating: Rating, text: str) -> Rating:
    """The vendor answers an approved rating of its own offer, once."""
    if not permissions.can_reply_to_rating(actor, rating):
        raise ValidationFailed(_("Only the offer's vendor can reply to its ratings."))
    errors: dict[str, list[str]] = {}
    reply = _bounded_text(errors, "reply", text, RATING_REPLY_MAX)
    if not reply and not errors:
        _add(errors, "reply", _("Write a reply."))
    _refuse(errors)
    with transaction.atomic():
        locked = Rating.all_tenants.select_for_update().get(pk=rating.pk)
        if locked.status != RatingStatus.APPROVED:
            raise ValidationFailed(_("Only approved ratings can be answered."))
        if locked.replied_at is not None:
            raise ValidationFailed(_("You have already replied to this rating."))
        locked.vendor_reply, locked.replied_at, locked.replied_by = reply, timezone.now(), actor
        locked.save()
    return locked
