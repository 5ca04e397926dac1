"""A pulse after an interaction (pulsmåling): the question sent to the citizen, and their one answer.

A request is written once per interaction (the unique key below), whether it is sent or skipped because
the citizen already had a question that day; skipped requests are kept so the ratings page can count them.
The answer's free text is stored with personal data stripped (services.redact), so staff can search it
(docs/adr/0090-feedback-pulse-after-each-interaction.md).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel

SCORE_MIN, SCORE_MAX = 1, 5
TEXT_MAX = 2000


class InteractionKind(models.TextChoices):
    BOOKING = "booking", _("Booked conversation")
    SUMMONS = "summons", _("Summons to a conversation")
    DIALOGUE = "dialogue", _("Answer to a message")
    ASSISTANT = "assistant", _("Answer from the digital assistant")
    MARKETPLACE = "marketplace", _("Offer on the marketplace")
    LEARNING = "learning", _("Course or lesson")
    JOURNEY = "journey", _("Step of a journey")
    INTERNSHIP = "internship", _("Internship at a company")


class Scale(models.TextChoices):
    SCORE = "score", _("1 to 5")
    YES_NO = "yes_no", _("Yes or no")


class RequestStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent: the citizen already had a question that day")


class PulseRequest(TenantOwnedModel):
    """One question about one interaction: sent through notifications, or skipped by the daily limit."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    kind = models.CharField(_("interaction"), max_length=20, choices=InteractionKind.choices)
    interaction_key = models.CharField(_("interaction reference"), max_length=120)
    service_key = models.CharField(_("service reference"), max_length=120)
    service_label = models.CharField(_("service"), max_length=200)
    scale = models.CharField(_("answer scale"), max_length=10, choices=Scale.choices)
    occurred_at = models.DateTimeField(_("interaction time"))
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    expires_at = models.DateTimeField(_("answer link valid until"), null=True, blank=True)
    nonce = models.CharField(_("link key"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("feedback question")
        verbose_name_plural = _("feedback questions")
        constraints = [
            # One question per interaction: an event delivered twice (a retried handler) finds the first.
            models.UniqueConstraint(fields=["citizen", "kind", "interaction_key"],
                                    name="feedback_one_request_per_interaction"),
            # Never more than one question a day per citizen: the database decides a race.
            models.UniqueConstraint(fields=["citizen", "sent_on"], condition=Q(status="sent"),
                                    name="feedback_one_sent_per_citizen_and_day"),
            models.CheckConstraint(condition=Q(status="skipped") | Q(sent_on__isnull=False, expires_at__isnull=False),
                                   name="feedback_sent_has_day_and_expiry"),
        ]
        indexes = [models.Index(fields=["municipality", "created_at"], name="feedback_request_created")]


class PulseAnswer(TenantOwnedModel):
    """The citizen's one answer to a question: a score 1–5 or yes/no, and optional text (personal data
    stripped). An unhappy answer with text may ask for contact: a message thread to the job centre."""

    request = models.OneToOneField(PulseRequest, on_delete=models.CASCADE, related_name="answer",
                                   verbose_name=_("question"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    kind = models.CharField(_("interaction"), max_length=20, choices=InteractionKind.choices)
    service_key = models.CharField(_("service reference"), max_length=120)
    service_label = models.CharField(_("service"), max_length=200)
    score = models.PositiveSmallIntegerField(_("score (1 to 5)"), null=True, blank=True)
    yes = models.BooleanField(_("yes"), null=True, blank=True)
    text = models.TextField(_("comment (personal data removed)"), max_length=TEXT_MAX, blank=True)
    unhappy = models.BooleanField(_("unhappy"), default=False)
    wants_contact = models.BooleanField(_("asked to be contacted"), default=False)
    contact_thread_id = models.BigIntegerField(_("message thread"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"))

    class Meta:
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX, yes__isnull=True)
                           | Q(score__isnull=True, yes__isnull=False)),
                name="feedback_answer_score_or_yes"),
            models.CheckConstraint(condition=Q(wants_contact=False) | Q(unhappy=True),
                                   name="feedback_contact_only_when_unhappy"),
        ]
        indexes = [models.Index(fields=["municipality", "answered_at"], name="feedback_answer_month"),
                   models.Index(fields=["municipality", "kind", "answered_at"], name="feedback_answer_kind")]
