"""Internships (virksomhedspraktik, issue 18; ADR 0125): an employer's internship place, the card it becomes
for a citizen who fits (the "shown" step), the citizen's one application to it (with the snapshot of what they
chose to share), the job centre's decision and the agreement it puts in the plan, the outcome, and the funnel
events per step.

The place is national, like the employer who owns it; everything about a citizen belongs to the citizen's
municipality."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobunivers.core.models import TenantOwnedModel, TimeStampedModel


class PlaceStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("internship place", "Open")
    WITHDRAWN = "withdrawn", pgettext_lazy("internship place", "Withdrawn")


class Place(TimeStampedModel):
    """An employer's internship place: a role, a period, hours a week, where, and how many interns."""

    employer = models.ForeignKey("jobs.Employer", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("employer"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    title = models.CharField(pgettext_lazy("internship", "role"), max_length=200)
    occupation = models.ForeignKey("taxonomy.Occupation", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("occupation"))
    starts_on = models.DateField(pgettext_lazy("internship", "first day"))
    ends_on = models.DateField(pgettext_lazy("internship", "last day"))
    hours_per_week = models.PositiveSmallIntegerField(_("hours a week"))
    address = models.CharField(pgettext_lazy("internship", "workplace address"), max_length=300)
    postcode = models.CharField(pgettext_lazy("internship", "postcode"), max_length=4)
    description = models.TextField(pgettext_lazy("internship", "description"), max_length=3000)
    places = models.PositiveSmallIntegerField(_("number of interns"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=PlaceStatus.choices, default=PlaceStatus.OPEN)
    published_at = models.DateTimeField(_("published"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("internship place")
        verbose_name_plural = _("internship places")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "starts_on"], name="internship_place_open")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="internship_place_period_order"),
            models.CheckConstraint(condition=models.Q(hours_per_week__gte=1, hours_per_week__lte=37),
                                   name="internship_place_hours_range"),
            models.CheckConstraint(condition=models.Q(places__gte=1, places__lte=20),
                                   name="internship_place_places_range"),
        ]

    def __str__(self) -> str:
        return self.title


class Suggestion(TenantOwnedModel):
    """A place shown to one citizen who fits it (a card): the funnel's "shown" step."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="suggestions",
                              verbose_name=_("internship place"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    score = models.FloatField(_("fit (0-1)"))
    reasons = models.JSONField(_("reasons for the fit"), default=list, blank=True)

    class Meta:
        verbose_name = _("internship suggestion")
        verbose_name_plural = _("internship suggestions")
        constraints = [models.UniqueConstraint(fields=["place", "citizen"], name="internship_suggestion_once")]

    def __str__(self) -> str:
        return f"{self.place_id} → {self.citizen_id}"


class ApplicationStatus(models.TextChoices):
    APPLIED = "applied", pgettext_lazy("internship application", "Applied")
    WITHDRAWN = "withdrawn", pgettext_lazy("internship application", "Withdrawn")
    APPROVED = "approved", pgettext_lazy("internship application", "Approved")
    DECLINED = "declined", pgettext_lazy("internship application", "Declined")


class Outcome(models.TextChoices):
    COMPLETED = "completed", pgettext_lazy("internship outcome", "Completed")
    JOB = "job", pgettext_lazy("internship outcome", "Got the job (ordinary job offered)")
    NO_JOB = "no_job", pgettext_lazy("internship outcome", "No job")


class Application(TenantOwnedModel):
    """The citizen's one application to a card. The one-to-one key refuses a second application in the
    database (two taps, two tabs). It carries the snapshot of what the citizen chose to share."""

    suggestion = models.OneToOneField(Suggestion, on_delete=models.CASCADE, related_name="application",
                                      verbose_name=_("internship suggestion"))
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="applications",
                              verbose_name=_("internship place"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    motivation = models.TextField(_("motivation"), max_length=1000)
    shared = models.JSONField(_("what the application shared with the employer"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.APPLIED)
    applied_at = models.DateTimeField(_("applied"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True)
    plan_item_id = models.PositiveIntegerField(_("plan item"), null=True, blank=True)
    started = models.BooleanField(_("started"), default=False)
    completed = models.BooleanField(pgettext_lazy("internship", "completed"), default=False)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_by_kind = models.CharField(_("outcome recorded by"), max_length=10, blank=True)
    outcome_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("internship application")
        verbose_name_plural = _("internship applications")
        indexes = [models.Index(fields=["municipality", "status"], name="internship_application_status")]

    def __str__(self) -> str:
        return f"{self.place_id}: {self.citizen_id} ({self.status})"


class Step(models.TextChoices):
    SHOWN = "shown", pgettext_lazy("internship funnel", "Shown")
    APPLIED = "applied", pgettext_lazy("internship funnel", "Applied")
    APPROVED = "approved", pgettext_lazy("internship funnel", "Approved")
    STARTED = "started", pgettext_lazy("internship funnel", "Started")
    COMPLETED = "completed", pgettext_lazy("internship funnel", "Completed")
    JOB = "job", pgettext_lazy("internship funnel", "Got the job")


class FunnelEvent(TenantOwnedModel):
    """One step of one card, once. Kept without the card (SET_NULL) when a citizen's data is erased or
    retention removes it: counts with no identity."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="+", verbose_name=_("internship place"))
    suggestion = models.ForeignKey(Suggestion, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="events", verbose_name=_("internship suggestion"))
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("internship funnel event")
        verbose_name_plural = _("internship funnel events")
        constraints = [models.UniqueConstraint(fields=["suggestion", "step"], name="internship_event_once")]
        indexes = [models.Index(fields=["municipality", "step"], name="internship_event_step")]

    def __str__(self) -> str:
        return f"{self.place_id} {self.step}"
