"""Employers as organisations, drawn from the postings, and what citizens follow.

`Organisation` and `OrganisationPosting` are national (postings are national, ADR 0022): one organisation
per CVR number, or per normalised employer name where a posting has no CVR (naming.py). The posting rows
copy the few facts the hiring-potential score and the employer page need (when, which occupation, where),
so those reads never scan the postings table; they are filled from `PostingsPublished` and by
`manage.py employers_index` for the back catalogue.

`Follow` is the citizen's (tenant-owned): an employer, or an occupation field (an ISCO-08 group).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel


class Organisation(models.Model):
    key = models.CharField(_("key"), max_length=210, unique=True)  # naming.organisation_key
    name = models.CharField(_("name"), max_length=255)  # the spelling of its latest posting
    cvr = models.CharField(_("CVR number"), max_length=8, blank=True, db_index=True)
    last_posted_at = models.DateTimeField(_("last posted"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.cvr})" if self.cvr else self.name


class OrganisationPosting(models.Model):
    posting = models.OneToOneField("jobs.JobPosting", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("job posting"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="postings",
                                     verbose_name=_("organisation"))
    published_at = models.DateTimeField(_("published"))
    occupation = models.ForeignKey("taxonomy.Occupation", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("occupation"))
    isco_code = models.CharField(_("ISCO-08 code"), max_length=4, blank=True)
    municipality_code = models.CharField(_("municipality code"), max_length=4, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("posting of an organisation")
        verbose_name_plural = _("postings of organisations")
        indexes = [
            models.Index(fields=["organisation", "published_at"], name="employers_post_org_time"),
            models.Index(fields=["occupation", "published_at"], name="employers_post_occ_time"),
            models.Index(fields=["isco_code", "published_at"], name="employers_post_isco_time"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.posting_id}"


class FollowKind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    OCCUPATION_FIELD = "occupation_field", _("Occupation field")


class Follow(TenantOwnedModel):
    """A citizen follows an employer or an occupation field (ISCO-08 group, 1–4 digits). New postings
    from it come first in the feed and, when `notify` is on, as a job notice within the daily cap."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    kind = models.CharField(_("kind"), max_length=20, choices=FollowKind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="follows", verbose_name=_("employer"))
    isco_code = models.CharField(_("occupation field (ISCO-08)"), max_length=4, blank=True)
    notify = models.BooleanField(_("send me a notice about new jobs"), default=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["citizen", "organisation"], condition=Q(kind="employer"),
                                    name="employers_follow_employer_once"),
            models.UniqueConstraint(fields=["citizen", "isco_code"], condition=Q(kind="occupation_field"),
                                    name="employers_follow_field_once"),
            models.CheckConstraint(
                condition=(Q(kind="employer", organisation__isnull=False, isco_code="")
                           | Q(kind="occupation_field", organisation__isnull=True) & ~Q(isco_code="")),
                name="employers_follow_one_target"),
        ]
        indexes = [models.Index(fields=["organisation"], name="employers_follow_org"),
                   models.Index(fields=["isco_code"], name="employers_follow_isco")]

    def __str__(self) -> str:
        return f"{self.citizen_id} → {self.organisation_id or self.isco_code}"
