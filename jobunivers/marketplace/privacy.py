"""Personal data held by the marketplace: a citizen's enrolments (with the data they agreed to share with a
vendor), offers the job centre suggested to them, and the use events billed for their use. Use events keep
only the citizen's pseudonym towards the vendor after erasure: statements to and payments from a
municipality are accounting records (bogføringsloven § 10: five years)."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import (
    exempt_from_personal_data,
    register_access_subject,
    register_personal_data,
    shown_as,
)

from .models import CallbackKey, Enrolment, MunicipalOffer, Offer, OfferShare, OfferVersion, Rating, UseEvent


def _title(offer) -> str:
    version = offer.published_version
    return version.title_da if version is not None else ""


def _export_enrolments(user):
    rows = Enrolment.all_tenants.filter(citizen__user=user).select_related("offer__published_version")
    return [{"offer": _title(e.offer), "status": e.status, "enrolled_at": e.enrolled_at.isoformat(),
             "completed_at": e.completed_at.isoformat() if e.completed_at else None,
             "withdrawn_at": e.withdrawn_at.isoformat() if e.withdrawn_at else None,
             "consented_fields": list(e.consented_fields)} for e in rows.order_by("enrolled_at", "id")]


def _erase_enrolments(user):
    Enrolment.all_tenants.filter(citizen__user=user).delete()


def _export_shares(user):
    rows = OfferShare.all_tenants.filter(citizen__user=user).select_related("municipal_offer__offer__published_version")
    return [{"offer": _title(s.municipal_offer.offer), "note": s.note, "created_at": s.created_at.isoformat()}
            for s in rows.order_by("created_at", "id")]


def _erase_shares(user):
    OfferShare.all_tenants.filter(citizen__user=user).delete()


def _export_use(user):
    rows = UseEvent.all_tenants.filter(citizen__user=user).select_related("offer__published_version")
    return [{"offer": _title(u.offer), "kind": u.kind, "quantity": str(u.quantity),
             "occurred_at": u.occurred_at.isoformat()} for u in rows.order_by("occurred_at", "id")]


def _erase_use(user):
    UseEvent.all_tenants.filter(citizen__user=user).update(citizen=None, enrolment=None)


def _export_ratings(user):
    rows = Rating.all_tenants.filter(citizen__user=user).select_related("offer__published_version")
    return [{"offer": _title(r.offer), "score": r.score, "text": r.text, "status": r.status,
             "rejection_reason": r.rejection_reason, "vendor_reply": r.vendor_reply,
             "created_at": r.created_at.isoformat(), "updated_at": r.updated_at.isoformat()}
            for r in rows.order_by("created_at", "id")]


def _erase_ratings(user):
    # Deleted, not kept score-only: an average is no accounting record, and a kept text could identify (ADR 0084).
    Rating.all_tenants.filter(citizen__user=user).delete()


register_personal_data(Enrolment, category=_("Offers you enrolled in"), purpose="help",
                       export=_export_enrolments, erase=_erase_enrolments,
                       fields={"offer": _("offer"), "status": shown_as(Enrolment, "status"),
                               "enrolled_at": shown_as(Enrolment, "enrolled_at"),
                               "completed_at": shown_as(Enrolment, "completed_at"),
                               "withdrawn_at": shown_as(Enrolment, "withdrawn_at"),
                               "consented_fields": shown_as(Enrolment, "consented_fields")})
register_personal_data(OfferShare, category=_("Offers the job centre suggested to you"), purpose="help",
                       export=_export_shares, erase=_erase_shares,
                       fields={"offer": _("offer"), "note": shown_as(OfferShare, "note"),
                               "created_at": _("suggested")})
register_personal_data(UseEvent, category=_("Your use of offers that the municipality pays for"), purpose="help",
                       export=_export_use, erase=_erase_use,
                       fields={"offer": _("offer"), "kind": shown_as(UseEvent, "kind"),
                               "quantity": shown_as(UseEvent, "quantity"),
                               "occurred_at": shown_as(UseEvent, "occurred_at")},
                       keep_reason=_("The municipality pays the vendor by these events, so they are accounting "
                                     "records kept for five years (bogføringsloven). Erasure removes the link to "
                                     "you; only a pseudonymous number the vendor cannot trace back remains."))
register_personal_data(Rating, category=_("Your ratings of offers"), purpose="help",
                       export=_export_ratings, erase=_erase_ratings,
                       fields={"offer": _("offer"), "score": shown_as(Rating, "score"), "text": shown_as(Rating, "text"),
                               "status": shown_as(Rating, "status"),
                               "rejection_reason": shown_as(Rating, "rejection_reason"),
                               "vendor_reply": shown_as(Rating, "vendor_reply"), "created_at": _("written"),
                               "updated_at": _("last changed")})
register_access_subject("marketplace enrolments", _("the offers the citizen enrolled in"))
register_access_subject("marketplace share", _("an offer suggested to the citizen"))
register_access_subject("marketplace reported use", _("progress in an offer, reported by its provider"))

exempt_from_personal_data(Offer, reason="who created an offer; a work record, the link is nulled with the account")
exempt_from_personal_data(OfferVersion, reason="who wrote or reviewed a version; a work record, nulled with the "
                                               "account")
exempt_from_personal_data(MunicipalOffer, reason="which administrator enabled or withdrew an offer; a work record")
exempt_from_personal_data(CallbackKey, reason="a vendor's reporting key and which vendor user made or revoked it; "
                                               "a work record")
