"""Job postings. Postings are national: every municipality's citizens see the same postings.

A posting is never deleted by an import: expired and withdrawn postings leave
the active set but stay resolvable for plans, job logs and access logs.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import safe_text


class TriggerMaintainedSearchVectorField(SearchVectorField):
    """The posting's PostgreSQL search vector, written only by the database trigger
    (`jobs_posting_search_vector`, see the migrations), never by Django.

    Django 5.2 inserts many rows on PostgreSQL as one `INSERT ... SELECT * FROM UNNEST(...)`
    statement with one array per column, but only when every column's internal type is a
    standard one; `SearchVectorField`'s is not, so every import batch fell back to a statement
    with ~12,000 placeholders that psycopg splits and PostgreSQL plans anew (a third of the import
    time). The value Django sends here is always NULL (the trigger overwrites it), so declaring the
    standard text type for that check is safe; the column stays `tsvector` (db_type is inherited),
    and `deconstruct` keeps the migration state unchanged.
    """

    def get_internal_type(self) -> str:
        return "TextField"

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.contrib.postgres.search.SearchVectorField", args, kwargs


class PostingStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Hours(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")
    UNKNOWN = "", _("Not stated")


class EmploymentType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    TEMPORARY = "temporary", _("Temporary")
    SEASONAL = "seasonal", _("Seasonal")
    SUBSTITUTE = "substitute", _("Substitute")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    INTERNSHIP = "internship", _("Internship")
    HOURLY = "hourly", _("Hourly paid")
    UNKNOWN = "", _("Not stated")


class Employer(models.Model):
    """An employer organisation that posts its own jobs. Its postings and the accounts of the people who act
    for it hang on this record, never on a name typed somewhere: two firms with the same name stay apart,
    and a renamed firm keeps its postings."""

    name = models.CharField(_("name"), max_length=255)
    # Unique when known; checked with the modulus-11 rule (jobs.validation.cvr_error) by the services.
    cvr = models.CharField(_("CVR number"), max_length=8, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.cvr})" if self.cvr else self.name


class EmployerAccount(models.Model):
    """Which employer an employer membership acts for (set by the platform operator: `link_employer`)."""

    membership = models.OneToOneField("tenancy.Membership", on_delete=models.CASCADE, related_name="+",
                                      verbose_name=_("membership"))
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("employer"))

    class Meta:
        verbose_name = _("employer account")
        verbose_name_plural = _("employer accounts")

    def __str__(self) -> str:
        return f"{self.membership_id} → {self.employer_id}"


class JobPosting(models.Model):
    source = models.CharField(_("source"), max_length=40)
    external_id = models.CharField(_("external id"), max_length=200)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    employer_name = models.CharField(_("employer"), max_length=255)
    employer_cvr = models.CharField(_("CVR number"), max_length=8, blank=True)
    occupation = models.ForeignKey(
        "taxonomy.Occupation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("occupation"),
    )
    isco_code = models.CharField(_("ISCO-08 code"), max_length=4, blank=True)
    skills = models.ManyToManyField(
        "taxonomy.Skill", through="PostingSkill", related_name="+", blank=True, verbose_name=_("skills")
    )
    address = models.CharField(_("workplace address"), max_length=255, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    municipality_code = models.CharField(_("municipality code"), max_length=4, blank=True, db_index=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    hours = models.CharField(_("working hours"), max_length=20, choices=Hours.choices, blank=True)
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True)
    employment_type = models.CharField(_("employment type"), max_length=20, choices=EmploymentType.choices, blank=True)
    salary_text = models.CharField(_("salary"), max_length=255, blank=True)
    positions = models.PositiveIntegerField(_("number of positions"), default=1)
    application_deadline = models.DateField(_("application deadline"), null=True, blank=True)
    apply_url = models.URLField(_("apply at (web address)"), max_length=500, blank=True)
    apply_email = models.EmailField(_("apply by e-mail"), blank=True)
    apply_contact = models.CharField(_("contact"), max_length=255, blank=True)
    published_at = models.DateTimeField(_("published"))
    changed_at = models.DateTimeField(_("last changed"))
    status = models.CharField(_("status"), max_length=20, choices=PostingStatus.choices, default=PostingStatus.ACTIVE)
    is_synthetic = models.BooleanField(_("synthetic (generated)"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )
    owner_organisation = models.CharField(_("owning organisation"), max_length=200, blank=True, db_index=True)
    # Who may change the posting: the employer organisation, not the free-text name above (kept for display).
    owner_employer = models.ForeignKey(Employer, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="postings", verbose_name=_("owning employer"))
    # Danish-stemmed text of title, employer and description; SQLite's FTS5 table indexes it.
    search_text = models.TextField(_("stemmed search text"), blank=True)
    # PostgreSQL full-text vector ('danish' configuration), kept current by the services.
    search_vector = TriggerMaintainedSearchVectorField(_("search vector"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="unique_posting_per_source"),
        ]
        # The full-text indexes (PostgreSQL GIN on search_vector, SQLite FTS5 on search_text) are
        # database-specific and live in migration 0002.
        indexes = [
            models.Index(fields=["status", "latitude", "longitude"], name="jobs_posting_geo"),
            models.Index(fields=["status", "-published_at"], name="jobs_posting_recent"),
            models.Index(fields=["status", "occupation"], name="jobs_posting_occupation"),
            models.Index(fields=["owner_organisation", "status"], name="jobs_posting_owner"),
            # MAX(updated_at): the search catalogue's version token, read on every search (jobs.catalogue).
            models.Index(fields=["updated_at"], name="jobs_posting_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.employer_name})"

    @property
    def is_active(self) -> bool:
        return self.status == PostingStatus.ACTIVE

    # What pages and the API show of fields a row stored before the import checks could hold badly
    # (see jobs/validation.py): never a javascript: link, never megabytes of text, never NaN.
    @property
    def safe_apply_url(self) -> str:
        return safe_text.safe_url(self.apply_url)

    @property
    def shown_description(self) -> str:
        return safe_text.shown_description(self.description)

    @property
    def shown_hours_per_week(self):
        value = self.hours_per_week
        return value if value is not None and value.is_finite() and value > 0 else None


class PostingSkill(models.Model):
    class Importance(models.TextChoices):
        MUST = "must", _("Must have")
        NICE = "nice", _("Nice to have")

    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="skill_links", verbose_name=_("job posting"))
    skill = models.ForeignKey("taxonomy.Skill", on_delete=models.PROTECT, related_name="+", verbose_name=_("skill"))
    importance = models.CharField(_("importance"), max_length=10, choices=Importance.choices)
    weight = models.FloatField(_("weight"), default=1.0)

    class Meta:
        verbose_name = _("skill of a posting")
        verbose_name_plural = _("skills of postings")
        constraints = [models.UniqueConstraint(fields=["posting", "skill"], name="unique_posting_skill")]

    def __str__(self) -> str:
        return f"{self.posting_id}: {self.skill_id} ({self.importance})"


class PostingEmbedding(models.Model):
    """The posting's text embedding; `content_hash` tells whether it is current."""

    posting = models.OneToOneField(JobPosting, on_delete=models.CASCADE, related_name="embedding", verbose_name=_("job posting"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    model_version = models.CharField(_("model version"), max_length=60)
    vector = models.BinaryField(_("vector"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("posting embedding")
        verbose_name_plural = _("posting embeddings")

    def __str__(self) -> str:
        return f"{self.posting_id} ({self.model_version})"


class JobImportRun(models.Model):
    """One run of a feed import: what came in, what was skipped and why (kept for operators)."""

    source = models.CharField(_("source"), max_length=40)
    location = models.CharField(_("file or address"), max_length=500)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    errors = models.JSONField(_("skipped records"), default=list, blank=True)
    failed = models.TextField(_("failure"), blank=True)

    class Meta:
        verbose_name = _("job import run")
        verbose_name_plural = _("job import runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"
