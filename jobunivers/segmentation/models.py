"""Models of the segmentation app: tracks, register-style data, explained suggestions, the
staff decision, the citizen's disagreement, re-segmentation state and transitions, personal
consultant assignments, and the national risk-model registry.

A suggestion never changes what the citizen gets; only a `Decision` by a person does (ADR 0050).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel


class SupportLevel(models.IntegerChoices):
    SELF_SERVICE = 1, _("Self-service in Jobunivers")
    ADVISER_SUPPORT = 2, _("Self-service with job-adviser support")
    PERSONAL_CONSULTANT = 3, _("Personal job consultant from the start")


class Track(TenantOwnedModel):
    """A track a municipality offers. Three defaults are created per municipality; the
    municipality may rename them, describe them and switch them off."""

    key = models.SlugField(_("key"), max_length=40)
    support_level = models.PositiveSmallIntegerField(_("support level"), choices=SupportLevel.choices)
    name_da = models.CharField(_("name (Danish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_da = models.TextField(_("description (Danish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["order", "support_level", "key"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="segmentation_track_unique_key")]

    def __str__(self) -> str:
        return self.name_da

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_da

    @property
    def description(self) -> str:
        english = (get_language() or "").startswith("en") and self.description_en
        return self.description_en if english else self.description_da


class AgeBand(models.TextChoices):
    UNDER_25 = "18-24", _("18-24 years")
    FROM_25 = "25-29", _("25-29 years")
    FROM_30 = "30-39", _("30-39 years")
    FROM_40 = "40-49", _("40-49 years")
    FROM_50 = "50-54", _("50-54 years")
    FROM_55 = "55-59", _("55-59 years")
    FROM_60 = "60+", _("60 years or more")


class EducationLevel(models.TextChoices):
    """Same codes as citizens.contracts.ScreeningAnswers.education_level."""

    UNKNOWN = "", _("Not known")
    PRIMARY = "primary", _("Primary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary")
    VOCATIONAL = "vocational", _("Vocational education")
    SHORT_CYCLE = "short_cycle", _("Short-cycle higher education")
    BACHELOR = "bachelor", _("Bachelor or professional bachelor")
    MASTER = "master", _("Master or higher")


class BenefitType(models.TextChoices):
    DAGPENGE = "dagpenge", _("Unemployment insurance benefit (dagpenge)")
    KONTANTHJAELP = "kontanthjaelp", _("Social assistance (kontanthjælp)")
    NONE = "none", _("No benefit")


class Origin(models.TextChoices):
    """Only for the fairness check of the model card; never a feature of the model (ADR 0052)."""

    UNKNOWN = "", _("Not known")
    DANISH = "danish", _("Danish origin")
    WESTERN = "western", _("Western origin")
    NON_WESTERN = "non_western", _("Non-western origin")


class RegisterData(TenantOwnedModel):
    """Register-style data about one citizen, from DFDG in production (imported), from the
    simulator in demo and development. Also holds the outcome used to train the risk model."""

    class Source(models.TextChoices):
        IMPORT = "import", _("Imported from the register")
        DEMO = "demo", _("Demo data")
        SYNTHETIC = "synthetic", _("Synthetic (simulator)")

    class Outcome(models.TextChoices):
        NONE = "", _("Still registered")
        JOB = "job", _("Found a job")
        EDUCATION = "education", _("Started education")
        OTHER = "other", _("Deregistered for another reason")

    citizen = models.OneToOneField(
        "citizens.Citizen", on_delete=models.CASCADE, related_name="+", verbose_name=_("citizen")
    )
    age_band = models.CharField(_("age band"), max_length=5, choices=AgeBand.choices)
    education_level = models.CharField(_("education level"), max_length=20, choices=EducationLevel.choices,
                                       blank=True)
    unemployment_weeks_last_3_years = models.PositiveIntegerField(_("weeks unemployed in the last 3 years"),
                                                                  default=0)
    unemployment_spells_last_3_years = models.PositiveIntegerField(_("unemployment spells in the last 3 years"),
                                                                   default=0)
    benefit_type = models.CharField(_("benefit type"), max_length=20, choices=BenefitType.choices)
    weeks_since_last_job = models.PositiveIntegerField(_("weeks since the last job"), null=True, blank=True,
                                                       help_text=_("Empty if the citizen has never had a job."))
    previous_isco = models.CharField(_("previous occupation (ISCO-08)"), max_length=4, blank=True)
    origin = models.CharField(_("origin"), max_length=20, choices=Origin.choices, blank=True)
    registered_on = models.DateField(_("registered as unemployed on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.IMPORT)
    groups = models.JSONField(_("values of the municipality's own fairness groups"), default=dict, blank=True,
                              help_text=_("Measured in the fairness review only; never an input of the model."))

    class Meta:
        verbose_name = _("register data")
        verbose_name_plural = _("register data")
        indexes = [models.Index(fields=["municipality", "registered_on"])]

    def __str__(self) -> str:
        return f"register data {self.citizen_id}"


class RiskModelVersion(models.Model):
    """One trained risk model with its model card. National: trained on pooled outcomes of all
    municipalities (ADR 0051); only an administrator promotes it, and only if it is not worse."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")

    version = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CANDIDATE)
    created_at = models.DateTimeField(_("trained"), auto_now_add=True)
    horizon_weeks = models.PositiveIntegerField(_("horizon (weeks)"), default=26)
    is_synthetic = models.BooleanField(_("trained on synthetic data"), default=False)
    model_card = models.JSONField(_("model card"), default=dict)
    artifact = models.BinaryField(_("model file"))
    artifact_sha256 = models.CharField(_("checksum of the model file"), max_length=64)
    promoted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("promoted by"))
    promoted_at = models.DateTimeField(_("promoted"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk model version")
        verbose_name_plural = _("risk model versions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="active"),
                                    name="segmentation_one_active_model"),
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.status})"


class FairnessReview(models.Model):
    """A monthly review of the active model on decided cases whose outcome is now known: error
    rates per group at the production thresholds (aggregates only, no person). One row for all
    municipalities together (municipality empty: the model is national, ADR 0051) and one per
    municipality with such cases; the municipality's public algorithm register shows its own
    newest and the national one."""

    model_version = models.ForeignKey(RiskModelVersion, on_delete=models.CASCADE, related_name="reviews",
                                      verbose_name=_("model version"))
    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name=_("municipality"),
                                     help_text=_("Empty: all municipalities together."))
    created_at = models.DateTimeField(_("reviewed"), auto_now_add=True)
    period_from = models.DateField(_("decided from"))
    period_to = models.DateField(_("decided to"))
    cases = models.PositiveIntegerField(_("cases with a known outcome"))
    report = models.JSONField(_("figures at the production thresholds"), default=dict)

    class Meta:
        verbose_name = _("fairness review")
        verbose_name_plural = _("fairness reviews")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.model_version} {self.period_from}–{self.period_to}"


class FairnessGroup(TenantOwnedModel):
    """A group the municipality registers for its fairness figures, which the monthly review of its
    decided cases breaks the error rates down by. Either a column of its register data (a district,
    a disability flag, ...), or defined by attributes the platform already holds: a postcode range,
    age bands, benefit types, education levels (all must hold; "jobseekers over 50 in a district").
    A defined group compares its members with the rest of the municipality. Measured only, never a
    feature or a threshold, and never defined by a protected attribute (ADR 0054)."""

    key = models.SlugField(_("column name"), max_length=40)
    name_da = models.CharField(_("name (Danish)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    description = models.TextField(_("what the values mean"), blank=True)
    postcode_from = models.PositiveSmallIntegerField(_("postcode from"), null=True, blank=True)
    postcode_to = models.PositiveSmallIntegerField(_("postcode to"), null=True, blank=True)
    age_bands = models.JSONField(_("age bands"), default=list, blank=True)
    benefit_types = models.JSONField(_("benefit types"), default=list, blank=True)
    education_levels = models.JSONField(_("education levels"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("registered by"))

    class Meta:
        verbose_name = _("fairness group")
        verbose_name_plural = _("fairness groups")
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"],
                                               name="segmentation_fairness_group_unique_key")]

    def __str__(self) -> str:
        return self.key

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_da

    @property
    def is_defined(self) -> bool:
        """Defined by the platform's attributes (else: a column of the register data)."""
        return self.postcode_from is not None or bool(self.age_bands or self.benefit_types or self.education_levels)

    def definition(self) -> dict:
        return {"postcode_from": self.postcode_from, "postcode_to": self.postcode_to, "age_bands": self.age_bands,
                "benefit_types": self.benefit_types, "education_levels": self.education_levels}

    def contains(self, *, postcode: str | None, age_band: str, benefit_type: str, education_level: str) -> bool:
        """Whether a person with these attributes is in the defined group (every criterion given holds)."""
        if self.postcode_from is not None:
            if not (postcode or "").isdigit() or not self.postcode_from <= int(postcode or 0) <= (self.postcode_to or 0):
                return False
        return ((not self.age_bands or age_band in self.age_bands)
                and (not self.benefit_types or benefit_type in self.benefit_types)
                and (not self.education_levels or education_level in self.education_levels))


class Suggestion(TenantOwnedModel):
    """An explained suggestion of a track. Stored as it was: tags, inputs, score, model, time."""

    class Reason(models.TextChoices):
        ENTRY = "entry", _("At entry")
        REVISION = "revision", _("Answers revised")
        STAFF = "staff", _("Requested by staff")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting a decision")
        DECIDED = "decided", _("Decided")
        SUPERSEDED = "superseded", _("Replaced by a newer suggestion")

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="+", verbose_name=_("suggested track"))
    reason = models.CharField(_("why it was made"), max_length=20, choices=Reason.choices, default=Reason.ENTRY)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    tags = models.JSONField(_("explanation tags"), default=list)
    inputs = models.JSONField(_("inputs as they were"), default=dict)
    risk_score = models.FloatField(_("risk of still being unemployed at the horizon"), null=True, blank=True)
    risk_omitted = models.CharField(_("why no risk score"), max_length=20, blank=True,
                                    choices=[("objected", _("The citizen objects to profiling")),
                                             ("no_model", _("No active model")),
                                             ("no_register_data", _("No register data"))])
    model_version = models.ForeignKey(RiskModelVersion, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("model version"))

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "status", "created_at"])]

    def __str__(self) -> str:
        return f"suggestion {self.pk} for {self.citizen_id}"


class Decision(TenantOwnedModel):
    """A person's decision on a suggestion. The decided track is what the citizen gets."""

    # Several decisions may follow one suggestion (the citizen disagreed after the first); the
    # newest decision is what the citizen gets.
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="decisions",
                                   verbose_name=_("suggestion"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided track"))
    changed = models.BooleanField(_("changed from the suggestion"))
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("decided by"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["municipality", "created_at"]),
            # Each citizen's newest decision (the population overview's count by track): an
            # anti-join that reads this index alone on both databases.
            models.Index(fields=["municipality", "citizen", "id"], name="segmentation_decision_newest"),
            # One citizen's latest decision (current_track, on every "Til dig" page): without it SQLite walks
            # the municipality's decisions by date until it meets the citizen (60 ms at 117,000 citizens).
            models.Index(fields=["municipality", "citizen", "-created_at", "-id"], name="segmentation_decision_latest"),
        ]

    def __str__(self) -> str:
        return f"decision on {self.suggestion_id}"


class Disagreement(TenantOwnedModel):
    """The citizen disagrees with a suggestion, or asks for more contact: a task for staff until
    a decision resolves it."""

    class Kind(models.TextChoices):
        DISAGREEMENT = "disagreement", _("Disagrees with the suggested track")
        WISH = "wish", _("Wishes more contact")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="disagreements",
                                   verbose_name=_("suggestion"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DISAGREEMENT)
    comment = models.TextField(_("comment"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("disagreement")
        verbose_name_plural = _("disagreements")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"disagreement {self.pk}"


class InteractionState(models.TextChoices):
    STANDARD = "standard", _("Standard")
    REMINDERS = "reminders", _("Reminders and offers")
    CONSULTANT = "consultant", _("Personal consultant follows up")


class CitizenInteraction(TenantOwnedModel):
    """The citizen's current interaction track from re-segmentation (one row per citizen)."""

    citizen = models.OneToOneField("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("citizen"))
    state = models.CharField(_("interaction track"), max_length=20, choices=InteractionState.choices,
                             default=InteractionState.STANDARD)
    since = models.DateTimeField(_("since"))
    reviewed_at = models.DateTimeField(_("last reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("interaction track")
        verbose_name_plural = _("interaction tracks")

    def __str__(self) -> str:
        return f"{self.citizen_id}: {self.state}"


class Transition(TenantOwnedModel):
    """A logged, explained change of interaction track (re-segmentation)."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    from_state = models.CharField(_("from"), max_length=20, choices=InteractionState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=InteractionState.choices)
    reasons = models.JSONField(_("reasons"), default=list)
    signals = models.JSONField(_("signals as they were"), default=dict)

    class Meta:
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "citizen", "created_at"])]

    def __str__(self) -> str:
        return f"{self.citizen_id}: {self.from_state} -> {self.to_state}"


class ConsultantAssignment(TenantOwnedModel):
    """A citizen's personal job consultant for a period. The open row (ended_at empty) is current."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    consultant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("personal job consultant"))
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    automatic = models.BooleanField(_("assigned automatically"), default=False)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("assigned by"))

    class Meta:
        verbose_name = _("consultant assignment")
        verbose_name_plural = _("consultant assignments")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["citizen"], condition=Q(ended_at__isnull=True),
                                    name="segmentation_one_current_consultant"),
        ]
        indexes = [models.Index(fields=["municipality", "consultant", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.citizen_id} -> {self.consultant_id}"


class SecondReview(TenantOwnedModel):
    """A decision drawn for a second staff member's review (NAV's second-opinion pattern): each
    month a sample of the previous month's decisions; the reviewer records whether they agree."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="second_review",
                                    verbose_name=_("decision"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    month = models.DateField(_("month sampled"))
    sampled_at = models.DateTimeField(_("sampled"), auto_now_add=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("reviewer"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    agrees = models.BooleanField(_("agrees with the decision"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("second review")
        verbose_name_plural = _("second reviews")
        ordering = ["-month", "reviewed_at", "id"]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.month}"
