"""Outcomes per citizen: spells of unemployment with their end and exit reason, labelled by where
they come from (the register, a member of staff, the citizen). The sources are never merged in the
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
