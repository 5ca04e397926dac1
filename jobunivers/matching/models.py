"""Matching: the interaction log, the feeds shown (with their model version), cached posting
vectors and learned ranking models."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel


class InteractionKind(models.TextChoices):
    IMPRESSION = "impression", _("Shown")
    CLICK = "click", _("Opened")
    SAVE = "save", _("Saved")
    APPLY = "apply", _("Applied")
    DISMISS = "dismiss", _("Not relevant")


class DismissReason(models.TextChoices):
    NONE = "", _("No reason given")
    OCCUPATION = "occupation", _("Not the kind of work I want")
    DISTANCE = "distance", _("Too far away")
    HOURS = "hours", _("Wrong hours or type of employment")
    QUALIFICATIONS = "qualifications", _("I do not have the qualifications")
    OTHER = "other", _("Something else")


class Feed(TenantOwnedModel):
    """One feed shown to a citizen: which postings, in which order, by which model version."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    model_version = models.CharField(_("ranking model version"), max_length=60)
    posting_ids = models.JSONField(_("postings shown"), default=list)
    scores = models.JSONField(_("scores"), default=list)

    class Meta:
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["citizen", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.citizen_id} {self.model_version}"


class Interaction(TenantOwnedModel):
    """What a citizen did with a recommended posting: the log that learning to rank uses."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    posting = models.ForeignKey("jobs.JobPosting", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("job posting"))
    kind = models.CharField(_("kind"), max_length=20, choices=InteractionKind.choices)
    reason = models.CharField(_("reason"), max_length=20, choices=DismissReason.choices, blank=True)
    feed = models.ForeignKey(Feed, on_delete=models.SET_NULL, null=True, blank=True, related_name="interactions",
                             verbose_name=_("feed"))
    position = models.PositiveSmallIntegerField(_("position in the feed"), null=True, blank=True)
    # Part values at the time, so the log can train a model without recomputing history.
    parts = models.JSONField(_("score parts"), default=dict, blank=True)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["citizen", "kind"]), models.Index(fields=["kind", "created_at"])]

    def __str__(self) -> str:
        return f"{self.citizen_id} {self.kind} {self.posting_id}"


class PostingVector(models.Model):
    """The meaning of a posting's text (multilingual-e5 embedding), refreshed when the text changes."""

    posting = models.OneToOneField("jobs.JobPosting", on_delete=models.CASCADE, related_name="+",
                                   primary_key=True, verbose_name=_("job posting"))
    text_hash = models.CharField(_("text hash"), max_length=64)
    model_version = models.CharField(_("embedding model"), max_length=80)
    vector = models.BinaryField(_("vector"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("posting vector")
        verbose_name_plural = _("posting vectors")

    def __str__(self) -> str:
        return str(self.posting_id)


class RankingModel(models.Model):
    """A learned ranking model. Used only when `is_active`, which training sets only when it beat
    the hand-set weights on held-out data (metrics say by how much)."""

    version = models.CharField(_("version"), max_length=60, unique=True)
    method = models.CharField(_("method"), max_length=100)
    weights = models.JSONField(_("weights per part"))
    metrics = models.JSONField(_("held-out metrics"), default=dict)
    is_active = models.BooleanField(_("in use"), default=False)
    trained_at = models.DateTimeField(_("trained"), auto_now_add=True)

    class Meta:
        verbose_name = _("ranking model")
        verbose_name_plural = _("ranking models")
        ordering = ["-trained_at"]

    def __str__(self) -> str:
        return self.version


class PostingFanout(models.Model):
    """A posting that has been fanned out: written in the same transaction as its notices, so a
    posting is fanned out exactly once whatever workers crash or messages are delivered twice, and
    the periodic sweep finds the postings that never were (no row). No personal data."""

    posting = models.OneToOneField("jobs.JobPosting", on_delete=models.CASCADE, related_name="+",
                                   primary_key=True, verbose_name=_("job posting"))
    fanned_out_at = models.DateTimeField(_("fanned out"))
    notices = models.PositiveIntegerField(_("notices queued"), default=0)

    class Meta:
        verbose_name = _("posting fan-out")
        verbose_name_plural = _("posting fan-outs")

    def __str__(self) -> str:
        return f"{self.posting_id} ({self.notices})"
