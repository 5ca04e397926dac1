"""Availability (rådighed): a per-citizen state driven only by explicit citizen actions.

The state moves active → deadline near → deadline passed → grace period over as days pass
without a job log entry or a confirmation, and back to active the moment the citizen logs
or confirms. Clicks, logins and page views never count (ADR 0060).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel


class AvailabilityState(models.TextChoices):
    ACTIVE = "active", _("Active")
    DEADLINE_NEAR = "deadline_near", _("Deadline near")
    DEADLINE_PASSED = "deadline_passed", _("Deadline passed")
    GRACE_OVER = "grace_over", _("Grace period over")


class ActionKind(models.TextChoices):
    JOB_LOG_ENTRY = "job_log_entry", _("Job log entry")
    CONFIRMATION = "confirmation", _("Confirmation of availability")
    REGISTRATION = "registration", _("Registration as unemployed")


class AvailabilityStatus(TenantOwnedModel):
    """The citizen's current availability state and the explicit action it is counted from."""

    citizen = models.OneToOneField(
        "citizens.Citizen", on_delete=models.CASCADE, related_name="availability_status", verbose_name=_("citizen")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=AvailabilityState.choices, default=AvailabilityState.ACTIVE
    )
    last_action_at = models.DateTimeField(_("last explicit action"))
    last_action_kind = models.CharField(_("kind of last action"), max_length=20, choices=ActionKind.choices)
    state_since = models.DateTimeField(_("in this state since"))
    deadline_on = models.DateField(_("deadline"))
    grace_until = models.DateField(_("grace period ends"))

    class Meta:
        verbose_name = _("availability status")
        verbose_name_plural = _("availability statuses")
        indexes = [models.Index(fields=["municipality", "state"]), models.Index(fields=["municipality", "deadline_on"])]

    def __str__(self) -> str:
        return f"{self.citizen_id}: {self.state}"


class AvailabilityConfirmation(TenantOwnedModel):
    """The citizen's own statement that they are available for work (an explicit action)."""

    citizen = models.ForeignKey(
        "citizens.Citizen", on_delete=models.CASCADE, related_name="availability_confirmations",
        verbose_name=_("citizen"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("availability confirmation")
        verbose_name_plural = _("availability confirmations")
        ordering = ["-confirmed_at", "-id"]


class AvailabilityNotice(TenantOwnedModel):
    """What the citizen was told about a step, once per step and counting period."""

    citizen = models.ForeignKey(
        "citizens.Citizen", on_delete=models.CASCADE, related_name="availability_notices", verbose_name=_("citizen")
    )
    state = models.CharField(_("step"), max_length=20, choices=AvailabilityState.choices)
    counted_from = models.DateTimeField(_("counted from the action at"))
    sent_at = models.DateTimeField(_("sent at"))
    staff_alerted = models.BooleanField(_("job centre told too"), default=False)

    class Meta:
        verbose_name = _("availability notice")
        verbose_name_plural = _("availability notices")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["citizen", "state", "counted_from"], name="availability_notice_once"),
        ]
