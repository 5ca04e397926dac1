"""The marketplace catalogue (ADR 0084): vendors, offers with reviewed versions, each municipality's
curation of them, citizens' enrolments and the append-only use events that statements are computed from.

Offers are national records (a vendor's, the national library's or one municipality's own); what a
citizen of a municipality sees is that municipality's `MunicipalOffer` rows over published offers.
The `agreements` app builds on `Vendor`, `Offer`, `MunicipalOffer`, `Enrolment` and `UseEvent`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel, TimeStampedModel


class Vendor(TimeStampedModel):
    """A private organisation that offers services to municipalities. People act for it through a vendor
    membership tied here by `VendorAccount` (set by the platform operator), never by a typed name."""

    name = models.CharField(_("name"), max_length=200)
    # Checked with the modulus-11 rule by the services (marketplace.validation.cvr_error).
    cvr = models.CharField(_("CVR number"), max_length=8, unique=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # The signed launch's key is never stored: it is HMAC-SHA256 over (vendor, salt) with a key derived from
    # SECRET_KEY (launch.launch_secret), shown to the vendor once when they make it (ADR 0084).
    launch_salt = models.CharField(_("launch key salt"), max_length=64, editable=False)
    launch_key_made_at = models.DateTimeField(_("launch key made"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("vendor")
        verbose_name_plural = _("vendors")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.cvr})"


class CallbackKey(TimeStampedModel):
    """A vendor's credential for reporting progress to the platform (ADR 0084, the vendor callback).

    The secret is never stored: it is HMAC-SHA256 over (vendor, key id, salt) with a key derived from
    SECRET_KEY, computed again to check a signature and shown to the vendor once, when the key is made.
    A rotation makes a new key and lets the old one work until `expires_at`; a revocation stops it at once."""

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="callback_keys",
                               verbose_name=_("vendor"))
    key_id = models.CharField(_("key id"), max_length=40, unique=True)
    salt = models.CharField(_("salt"), max_length=64, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    expires_at = models.DateTimeField(_("works until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("revoked by"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("reporting key")
        verbose_name_plural = _("reporting keys")
        ordering = ["vendor_id", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.key_id


class VendorAccount(models.Model):
    """Which vendor a vendor membership acts for."""

    membership = models.OneToOneField("tenancy.Membership", on_delete=models.CASCADE, related_name="+",
                                      verbose_name=_("membership"))
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("vendor"))

    class Meta:
        verbose_name = _("vendor account")
        verbose_name_plural = _("vendor accounts")

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.vendor_id}"


class OfferKind(models.TextChoices):
    DIGITAL_TOOL = "digital_tool", _("Digital tool")
    COURSE = "course", _("Course")
    VIDEO = "video", _("Video")
    ARTICLE = "article", _("Article or guide")
    JOB_CLUB = "job_club", _("Job club")
    NETWORK = "network", _("Network")
    EVENT = "event", _("Event")
    JOB_BOARD = "job_board", _("Job board")


class ProviderKind(models.TextChoices):
    VENDOR = "vendor", _("Vendor")
    NATIONAL = "national", _("National library")
    MUNICIPALITY = "municipality", _("The municipality")


class OfferFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Online and in person")
    PHYSICAL = "physical", _("In person")


class LaunchMethod(models.TextChoices):
    LINK = "link", _("Link")
    SIGNED = "signed", _("Signed launch")
    IN_PLATFORM = "in_platform", _("Read here")


class Situation(models.TextChoices):
    """Situations an offer may target, computed from the citizen's record (selectors.situations_of)."""

    NEWLY_UNEMPLOYED = "newly_unemployed", _("unemployed for less than 3 months")
    OVER_3_MONTHS = "over_3_months", _("unemployed for more than 3 months")
    OVER_6_MONTHS = "over_6_months", _("unemployed for more than 6 months")
    OVER_12_MONTHS = "over_12_months", _("unemployed for more than 12 months")
    UNDER_30 = "under_30", _("under 30 years old")
    OVER_50 = "over_50", _("over 50 years old")


class ConsentField(models.TextChoices):
    """Personal data a signed launch may carry, each only with the citizen's consent for that offer."""

    NAME = "name", _("your name")
    EMAIL = "email", _("your e-mail address")
    PHONE = "phone", _("your phone number")


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("curation", "Rejected")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Replaced by a newer version")


class Offer(TimeStampedModel):
    """One offer, whatever its provider. Its content lives in versions: citizens see `published_version`
    while a newer version may be under review."""

    kind = models.CharField(_("kind"), max_length=20, choices=OfferKind.choices)
    provider_kind = models.CharField(_("provider"), max_length=20, choices=ProviderKind.choices)
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, null=True, blank=True, related_name="offers",
                               verbose_name=_("vendor"))
    owner_municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("municipality (own offer)"))
    status = models.CharField(_("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.DRAFT)
    published_version = models.ForeignKey("OfferVersion", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+", verbose_name=_("published version"))
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    version = models.PositiveIntegerField(_("version"), default=1)  # optimistic lock of the offer row

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["status", "provider_kind"]), models.Index(fields=["vendor", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(provider_kind="vendor") & Q(vendor__isnull=False) & Q(owner_municipality__isnull=True))
                | (Q(provider_kind="national") & Q(vendor__isnull=True) & Q(owner_municipality__isnull=True))
                | (Q(provider_kind="municipality") & Q(vendor__isnull=True) & Q(owner_municipality__isnull=False)),
                name="marketplace_offer_provider_matches",
            ),
            models.CheckConstraint(condition=~Q(status="published") | Q(published_version__isnull=False),
                                   name="marketplace_published_offer_has_version"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class OfferVersion(TimeStampedModel):
    """The content of an offer as submitted and reviewed. Never edited once submitted: a change is a new
    version."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="versions", verbose_name=_("offer"))
    number = models.PositiveIntegerField(_("version number"))
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    title_da = models.CharField(_("title (Danish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_da = models.CharField(_("summary (Danish)"), max_length=500)
    summary_en = models.CharField(_("summary (English)"), max_length=500, blank=True)
    body_da = models.TextField(_("text (Danish)"), max_length=20000, blank=True)
    body_en = models.TextField(_("text (English)"), max_length=20000, blank=True)
    # Target groups: track keys (segmentation.Track.key), ISCO-08 codes or their prefixes, Situation values.
    target_tracks = models.JSONField(_("tracks"), default=list, blank=True)
    target_isco = models.JSONField(_("occupation groups (ISCO)"), default=list, blank=True)
    target_situations = models.JSONField(_("situations"), default=list, blank=True)
    format = models.CharField(_("format"), max_length=20, choices=OfferFormat.choices, default=OfferFormat.ONLINE)
    duration = models.CharField(_("duration"), max_length=100, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)  # ISO 639-1 codes
    accessibility = models.TextField(_("accessibility"), max_length=2000, blank=True)
    price_dkk = models.DecimalField(_("price (DKK)"), max_digits=10, decimal_places=2, null=True, blank=True,
                                    validators=[MinValueValidator(0)])
    price_note = models.CharField(_("price explained"), max_length=300, blank=True)
    launch_method = models.CharField(_("how the citizen starts"), max_length=20, choices=LaunchMethod.choices,
                                     default=LaunchMethod.LINK)
    launch_url = models.URLField(_("address"), max_length=500, blank=True)
    # Which personal data a signed launch asks for; each needs the citizen's consent for the offer.
    consent_fields = models.JSONField(_("personal data asked for"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("written by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=pgettext_lazy("curation", "reviewed by"))
    review_note = models.CharField(_("review note"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("offer version")
        verbose_name_plural = _("offer versions")
        ordering = ["offer_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "number"], name="marketplace_version_number_once"),
            # One version at a time is being written or reviewed.
            models.UniqueConstraint(fields=["offer"], condition=Q(status__in=["draft", "submitted", "approved"]),
                                    name="marketplace_one_open_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title_da} (v{self.number})"

    def _localised(self, field: str) -> str:
        english = getattr(self, f"{field}_en")
        return english if (get_language() or "").startswith("en") and english else getattr(self, f"{field}_da")

    @property
    def title(self) -> str:
        return self._localised("title")

    @property
    def summary(self) -> str:
        return self._localised("summary")

    @property
    def body(self) -> str:
        return self._localised("body")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    TRACKS = "tracks", _("Citizens on chosen tracks")
    OCCUPATIONS = "occupations", _("Citizens seeking chosen occupations")


class MunicipalOffer(TenantOwnedModel):
    """A municipality's choice to show an offer to its citizens, with its own text, audience and promotion."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="municipal_offers",
                              verbose_name=_("offer"))
    local_title = models.CharField(_("local title"), max_length=200, blank=True)
    local_summary = models.CharField(_("local summary"), max_length=500, blank=True)
    local_text = models.TextField(_("local text"), max_length=5000, blank=True)
    audience = models.CharField(_("who sees it"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    audience_tracks = models.JSONField(_("tracks"), default=list, blank=True)  # track keys
    audience_isco = models.JSONField(_("occupation groups (ISCO)"), default=list, blank=True)
    promotion_priority = models.PositiveSmallIntegerField(
        _("promotion priority"), default=0, validators=[MaxValueValidator(100)],
        help_text=_("0 is not promoted; 100 is shown first."))
    promoted_from = models.DateField(_("promoted from"), null=True, blank=True)
    promoted_until = models.DateField(_("promoted until"), null=True, blank=True)
    enabled_at = models.DateTimeField(_("enabled"))
    enabled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("enabled by"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("withdrawn by"))
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("offer in the municipality")
        verbose_name_plural = _("offers in the municipality")
        ordering = ["-promotion_priority", "-enabled_at"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "offer"], name="marketplace_municipal_offer_once"),
            models.CheckConstraint(condition=Q(promoted_until__isnull=True) | Q(promoted_from__isnull=True)
                                   | Q(promoted_until__gte=models.F("promoted_from")),
                                   name="marketplace_promotion_period_ordered"),
        ]

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(TenantOwnedModel):
    """A citizen's enrolment in an offer their municipality shows them."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("offer"))
    municipal_offer = models.ForeignKey(MunicipalOffer, on_delete=models.PROTECT, related_name="enrolments",
                                        verbose_name=_("offer in the municipality"))
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ENROLLED)
    enrolled_at = models.DateTimeField(_("enrolled"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # Personal data the citizen agreed to send with a signed launch of this offer (ConsentField values).
    consented_fields = models.JSONField(_("personal data you agreed to share"), default=list, blank=True)
    consented_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    plan_item = models.ForeignKey("citizens.PlanItem", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("plan item"))

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["citizen", "offer"], condition=Q(status="enrolled"),
                                               name="marketplace_one_active_enrolment")]
        indexes = [models.Index(fields=["municipality", "offer", "status"]),
                   # The results dashboard counts each offer's distinct citizens: an index-only scan
                   # (1,000,000 enrolments: 870 -> 260 ms on PostgreSQL).
                   models.Index(fields=["municipality", "offer", "citizen"], name="marketplace_enrol_offer_cit")]


class OfferShare(TenantOwnedModel):
    """A caseworker suggested an offer to a citizen; it sits in the citizen's plan as a suggestion."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    municipal_offer = models.ForeignKey(MunicipalOffer, on_delete=models.PROTECT, related_name="shares",
                                        verbose_name=_("offer in the municipality"))
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                  verbose_name=_("shared by"))
    note = models.CharField(_("note to the citizen"), max_length=500, blank=True)
    plan_item = models.ForeignKey("citizens.PlanItem", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("plan item"))

    class Meta:
        verbose_name = _("shared offer")
        verbose_name_plural = _("shared offers")
        ordering = ["-created_at"]


class UseKind(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    LAUNCHED = "launched", _("Launched")
    SESSION = "session", _("Session")
    HOUR = "hour", _("Hours of follow-up")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class UseEvent(TenantOwnedModel):
    """One billable event: the contract statements are computed from (ADR 0084). Append-only, written by
    this app's services only. `subject` is the citizen's pseudonym towards the vendor, so counts of distinct
    citizens survive the erasure of a citizen (which nulls `citizen` and `enrolment`)."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="use_events", verbose_name=_("offer"))
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, null=True, blank=True, related_name="use_events",
                               verbose_name=_("vendor"))
    enrolment = models.ForeignKey(Enrolment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("enrolment"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("citizen"))
    subject = models.CharField(_("pseudonymous citizen"), max_length=64)
    kind = models.CharField(_("kind"), max_length=20, choices=UseKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1,
                                   validators=[MinValueValidator(0)])
    occurred_at = models.DateTimeField(_("occurred"))
    # The reporter's own event id for events reported from outside (a vendor's callback), so a replay is
    # not counted twice; unique per vendor (two vendors may use the same ids).
    dedupe_key = models.CharField(_("idempotency key"), max_length=100, null=True, blank=True)

    class Meta:
        verbose_name = _("use event")
        verbose_name_plural = _("use events")
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["vendor", "municipality", "occurred_at"], name="marketplace_use_vmo"),
                   models.Index(fields=["offer", "occurred_at"], name="marketplace_use_offer"),
                   # A reported event finds its enrolment by the pseudonym (reporting.record_reported_use).
                   models.Index(fields=["offer", "subject"], name="marketplace_use_subject")]
        constraints = [models.CheckConstraint(condition=Q(quantity__gte=0), name="marketplace_use_quantity"),
                       models.UniqueConstraint(fields=["vendor", "dedupe_key"], condition=Q(dedupe_key__isnull=False),
                                               name="marketplace_use_dedupe_per_vendor")]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("use events are append-only")
        super().save(*args, **kwargs)


class RatingStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("curation", "Rejected")


RATING_TEXT_MAX = 1000
RATING_REPLY_MAX = 1000


class Rating(TenantOwnedModel):
    """A citizen's rating of an offer they enrolled in or used, moderated by their municipality before
    anyone else sees it. The vendor sees score and text, never who wrote it (ADR 0084, ratings)."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="ratings", verbose_name=_("offer"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    enrolment = models.ForeignKey(Enrolment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("enrolment"))
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    text = models.TextField(_("review"), max_length=RATING_TEXT_MAX, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RatingStatus.choices, default=RatingStatus.PENDING)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("moderated by"))
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    vendor_reply = models.TextField(_("the provider's reply"), max_length=RATING_REPLY_MAX, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("replied by"))

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["municipality", "offer", "status"], name="marketplace_rating_mos")]
        constraints = [
            models.UniqueConstraint(fields=["citizen", "offer"], name="marketplace_rating_once"),
            models.CheckConstraint(condition=Q(score__gte=1) & Q(score__lte=5), name="marketplace_rating_score"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                                   name="marketplace_rating_rejection_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.score}"
