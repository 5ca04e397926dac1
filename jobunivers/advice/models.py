"""The citizen's personal diagnosis as last computed, and what the citizen answered to its steps.

The diagnosis is help only: it never changes a track, never counts as availability and never
triggers a sanction (docs/adr/0086-the-personal-diagnosis-is-help.md).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel


class Diagnosis(TenantOwnedModel):
    """The findings of the advice modules for one citizen (module keys and the facts they cite;
    the texts are written when shown, in the reader's language)."""

    citizen = models.OneToOneField("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("citizen"))
    computed_at = models.DateTimeField(_("computed at"))
    findings = models.JSONField(_("findings"), default=list)
    facts = models.JSONField(_("facts used"), default=dict)

    class Meta:
        verbose_name = _("personal diagnosis")
        verbose_name_plural = _("personal diagnoses")


class StepAnswer(models.TextChoices):
    DONE = "done", _("Done")
    NOT_FOR_ME = "not_for_me", _("Not for me")


class StepResponse(TenantOwnedModel):
    """The citizen marked a next step done or "not for me" (feeds the module's statistics)."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    module = models.CharField(_("advice module"), max_length=60)
    step = models.CharField(_("step"), max_length=60)
    answer = models.CharField(_("answer"), max_length=20, choices=StepAnswer.choices)

    class Meta:
        verbose_name = _("answer to a next step")
        verbose_name_plural = _("answers to next steps")
        constraints = [models.UniqueConstraint(fields=["citizen", "module", "step"], name="advice_one_answer_per_step")]
        indexes = [models.Index(fields=["municipality", "module"])]
