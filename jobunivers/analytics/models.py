"""Outcomes per citizen: spells of unemployment with their end and exit reason, labelled by where
they come from (the register, a member of staff, the citizen, an internship's employer). The sources are never merged in the
table: each row says who said so, and the statistics choose which source they trust
(docs/adr/0097-outcomes-kept-apart-by-source.md)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel


class OutcomeSource(models.TextChoices):
    REGISTER = "register", _("Register (imported)")
    STAFF = "staff", _("Recorded by the job centre")
    CITIZEN = "citizen", _("Reported by the citizen")
    EMPLOYER = "employer", _("Reported by the employer after an internship")


class ExitReason(models.TextChoices):
    JOB = "job", _("Job")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other reason")


class UnemploymentSpell(TenantOwnedModel):
    """One spell of unemployment of one citizen, as one source states it. An open spell has no end."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    source = models.CharField(_("source"), max_length=10, choices=OutcomeSource.choices)
    reference = models.CharField(_("reference in the register"), max_length=40, blank=True,
                                 help_text=_("The register's own id of the spell (register rows only)."))
    started_on = models.DateField(_("unemployed from"))
    ended_on = models.DateField(_("unemployment ended on"), null=True, blank=True)
    exit_reason = models.CharField(_("exit reason"), max_length=10, choices=ExitReason.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    # The occupation of the job found, where the source says it (optional in every source): what "people
    # with a profile like yours got jobs as" counts (peoplelikeyou.py, ADR 0130).
    job_occupation = models.ForeignKey("taxonomy.Occupation", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name=_("occupation of the job found"))

    class Meta:
        verbose_name = _("unemployment spell")
        verbose_name_plural = _("unemployment spells")
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                                   name="analytics_spell_ends_after_start"),
            models.CheckConstraint(condition=Q(ended_on__isnull=True, exit_reason="")
                                   | (Q(ended_on__isnull=False) & ~Q(exit_reason="")),
                                   name="analytics_spell_exit_reason_with_end"),
            models.UniqueConstraint(fields=["municipality", "reference"], condition=Q(source="register"),
                                    name="analytics_one_register_row_per_reference"),
            models.UniqueConstraint(fields=["citizen", "source", "started_on"], condition=~Q(source="register"),
                                    name="analytics_one_reported_spell_per_start"),
        ]
        indexes = [
            models.Index(fields=["municipality", "source", "started_on"], name="analytics_spell_source_start"),
            models.Index(fields=["citizen", "started_on"], name="analytics_spell_citizen"),
        ]

    def __str__(self) -> str:
        return f"{self.citizen_id} {self.source} {self.started_on}–{self.ended_on or ''}"


MIN_PEOPLE = 20  # the smallest number of distinct people any "people like you" figure may rest on (ADR 0130)


class FigureKind(models.TextChoices):
    PEOPLE = "people", _("People with the profile who found a job")
    OCCUPATION = "occupation", _("Occupation of the job found")
    COURSE = "course", _("Course used before the job")


class PeopleLikeYouFigure(models.Model):
    """One cell of the nightly "what worked for people like you" aggregate (peoplelikeyou.py, ADR 0130).

    National and anonymous: no citizen, no municipality, only a profile key (an ISCO-08 unit group, 4
    digits, or the minor group, 3 digits, that pools unit groups with too few people), what the cell counts,
    and how many distinct people it rests on, never fewer than MIN_PEOPLE (the database refuses it too).
    Rebuilt whole each night; not tenant-owned because no municipality's data can be told apart in it."""

    profile_key = models.CharField(_("profile key (ISCO-08 group)"), max_length=4)
    kind = models.CharField(_("kind"), max_length=12, choices=FigureKind.choices)
    item = models.CharField(_("item"), max_length=40, blank=True,
                            help_text=_('"occupation:<id>", "offer:<id>" or "module:<id>"; empty for the people count.'))
    label_da = models.CharField(_("label (Danish)"), max_length=255, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=255, blank=True)
    people = models.PositiveIntegerField(_("distinct people"))
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)
    period_from = models.DateField(_("jobs found from"))
    period_to = models.DateField(_("jobs found until"))
    built_on = models.DateField(_("computed on"))

    class Meta:
        verbose_name = _("people-like-you figure")
        verbose_name_plural = _("people-like-you figures")
        ordering = ["profile_key", "kind", "rank"]
        constraints = [
            models.CheckConstraint(condition=Q(people__gte=MIN_PEOPLE), name="analytics_plu_at_least_20_people"),
            models.UniqueConstraint(fields=["profile_key", "kind", "item"], name="analytics_plu_one_cell"),
        ]
        # The start page reads the cells of one or two keys: the unique constraint's index (profile_key first)
        # serves it.

    def __str__(self) -> str:
        return f"{self.profile_key} {self.kind} {self.item} {self.people}"


class DashboardSnapshot(TenantOwnedModel):
    """The municipality's results dashboard as last computed (snapshots.py, ADR 0155): the page reads the
    newest row instead of aggregating every spell, booking and thread on each request. Aggregates only
    (the same figures the page shows, counts from 1 to 4 still suppressed where shown): no citizen, no
    user. `format_version` says how `figures` is laid out; a row of an unknown version is never shown but
    computed again. Only the newest few rows per municipality are kept (snapshots.KEEP)."""

    computed_at = models.DateTimeField(_("computed at"))
    computed_on = models.DateField(_("figures as of"),
                                   help_text=_("The day the figures count from (spells started N months before it)."))
    format_version = models.PositiveSmallIntegerField(_("format version"))
    figures = models.JSONField(_("figures"))
    duration_ms = models.PositiveIntegerField(_("computation time (ms)"))

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        indexes = [models.Index(fields=["municipality", "-computed_at"], name="analytics_snapshot_latest")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.computed_at:%Y-%m-%d %H:%M}"
