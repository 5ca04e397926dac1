"""Message threads between a citizen and the job centre (NAV's dialogue as the model).

A thread knows who it waits for (the job centre, the citizen or nobody) and when each side last
read it; each message has a sender side, text, an "important" flag and optional attachments kept
outside the web root (settings.PRIVATE_MEDIA_ROOT/dialogue) and served only through a view.
A thread may be about another app's object (a plan item, booking, summons, job posting) through a
generic reference (kind + id), so this app imports nothing above it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel

from .contracts import Side, WaitingFor


class WaitingForChoices(models.TextChoices):
    JOB_CENTRE = WaitingFor.JOB_CENTRE, _("Waiting for the job centre")
    CITIZEN = WaitingFor.CITIZEN, _("Waiting for the citizen")
    NOBODY = WaitingFor.NOBODY, _("Not waiting for anyone")


class SideChoices(models.TextChoices):
    CITIZEN = Side.CITIZEN, _("Citizen")
    JOB_CENTRE = Side.JOB_CENTRE, _("Job centre")


class Thread(TenantOwnedModel):
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    subject = models.CharField(_("subject"), max_length=200)
    about_kind = models.CharField(_("about (kind)"), max_length=30, blank=True, default="")
    about_id = models.PositiveBigIntegerField(_("about (id)"), null=True, blank=True)
    waiting_for = models.CharField(_("waiting for"), max_length=20, choices=WaitingForChoices.choices,
                                   default=WaitingFor.NOBODY)
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("assigned to"))
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    citizen_read_at = models.DateTimeField(_("read by the citizen"), null=True, blank=True)
    job_centre_read_at = models.DateTimeField(_("read by the job centre"), null=True, blank=True)
    citizen_notified_at = models.DateTimeField(_("citizen last notified"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        indexes = [
            models.Index(fields=["municipality", "waiting_for", "waiting_since"], name="dialogue_thread_waiting"),
            models.Index(fields=["municipality", "last_message_at"], name="dialogue_thread_recent"),
            models.Index(fields=["municipality", "assigned_to", "last_message_at"], name="dialogue_thread_assigned"),
            models.Index(fields=["citizen", "last_message_at"], name="dialogue_thread_citizen"),
            models.Index(fields=["about_kind", "about_id"], name="dialogue_thread_about"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(about_kind="", about_id__isnull=True)
                           | (~models.Q(about_kind="") & models.Q(about_id__isnull=False))),
                name="dialogue_thread_about_complete"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def reference(self) -> str:
        return f"B-{self.pk}"

    def unread_for(self, side: str) -> bool:
        read_at = self.citizen_read_at if side == Side.CITIZEN else self.job_centre_read_at
        return self.last_message_at is not None and (read_at is None or read_at < self.last_message_at)

    @property
    def unread_for_citizen(self) -> bool:
        return self.unread_for(Side.CITIZEN)

    @property
    def unread_for_job_centre(self) -> bool:
        return self.unread_for(Side.JOB_CENTRE)


class Message(TenantOwnedModel):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="messages", verbose_name=_("thread"))
    sender_side = models.CharField(_("from"), max_length=20, choices=SideChoices.choices)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("written by"))
    text = models.TextField(_("text"))
    important = models.BooleanField(_("important"), default=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"], name="dialogue_message_thread")]


class Attachment(TenantOwnedModel):
    """A file on a message. The bytes live under PRIVATE_MEDIA_ROOT/dialogue, served only through a view."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments",
                                verbose_name=_("message"))
    storage_name = models.CharField(_("stored as"), max_length=200, unique=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class Draft(TenantOwnedModel):
    """The text someone is writing in a thread, kept on the server (one per person and thread)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+", verbose_name=_("thread"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("author"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        constraints = [models.UniqueConstraint(fields=["thread", "author"], name="dialogue_one_draft_per_author")]


class StaffDigest(TenantOwnedModel):
    """One row per staff member and day a digest was sent: the digest task is idempotent."""

    staff_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("staff member"))
    day = models.DateField(_("day"))
    waiting = models.PositiveIntegerField(_("threads waiting"))

    class Meta:
        verbose_name = _("staff digest")
        verbose_name_plural = _("staff digests")
        constraints = [models.UniqueConstraint(fields=["staff_user", "municipality", "day"],
                                               name="dialogue_one_digest_per_day")]
