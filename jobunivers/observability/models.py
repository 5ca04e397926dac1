from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskEvent(models.TextChoices):
    FAILURE = "failure", _("Failure")
    RETRY = "retry", _("Retry")


class TaskEventCount(models.Model):
    """How often a Celery task failed or was retried, counted by the worker that saw it (ADR 0081).

    Kept in the database so every web process reports the same figures, whichever worker and host
    the task ran on. No personal data: a task name, an event and a count."""

    task_name = models.CharField(_("task"), max_length=200)
    event = models.CharField(_("event"), max_length=20, choices=TaskEvent.choices)
    count = models.PositiveBigIntegerField(_("count"), default=0)
    last_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("task event count")
        verbose_name_plural = _("task event counts")
        constraints = [models.UniqueConstraint(fields=["task_name", "event"], name="task_event_count_once")]

    def __str__(self) -> str:
        return f"{self.task_name} {self.event}: {self.count}"
