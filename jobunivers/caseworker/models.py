"""The staff workspace: notes, saved filters, summonses and conversations, pushes to citizens,
and what each staff member has already opened (for "new to me")."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel


class Purpose(models.TextChoices):
    """Why staff act: help with the job journey, or availability control (labelled apart)."""

    HELP = "help", _("Help with the job journey")
    AVAILABILITY = "availability", _("Availability control")


class NoteColour(models.TextChoices):
    NONE = "", _("No colour")
    RED = "red", _("Red")
    YELLOW = "yellow", _("Yellow")
    GREEN = "green", _("Green")
    BLUE = "blue", _("Blue")


class CaseNote(TenantOwnedModel):
    """A staff note on a citizen; with a colour and a due date it is a reminder on the worklist."""

    citizen = models.ForeignKey(
        "citizens.Citizen", on_delete=models.CASCADE, related_name="case_notes", verbose_name=_("citizen")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    text = models.TextField(_("note"), max_length=4000)
    colour = models.CharField(_("colour"), max_length=10, choices=NoteColour.choices, blank=True, default="")
    due_on = models.DateField(_("reminder due"), null=True, blank=True)
    done_at = models.DateTimeField(_("reminder done"), null=True, blank=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "citizen", "created_at"])]


class SavedFilter(TenantOwnedModel):
    """A staff member's own worklist filter, kept as the query string of the worklist."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filter"), max_length=500)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "municipality", "name"], name="saved_filter_name_once")]


class ConversationMode(models.TextChoices):
    IN_PERSON = "in_person", _("At the job centre or another place")
    VIDEO = "video", _("Video meeting")
    PHONE = "phone", _("Phone")


class ConversationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("The citizen did not come")
    CANCELLED = "cancelled", _("Cancelled")


class CitizenResponse(models.TextChoices):
    NONE = "", _("No answer yet")
    CONFIRMED = "confirmed", _("Will come")
    ASKED_TO_MOVE = "asked_to_move", _("Asks for another time")


class Conversation(TenantOwnedModel):
    """A summons to a conversation (jobsamtale) and, once held, its outcome."""

    citizen = models.ForeignKey(
        "citizens.Citizen", on_delete=models.CASCADE, related_name="conversations", verbose_name=_("citizen")
    )
    summoned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("summoned by"),
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.HELP)
    starts_at = models.DateTimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    mode = models.CharField(_("form"), max_length=20, choices=ConversationMode.choices)
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video meeting link"), max_length=500, blank=True)
    agenda = models.TextField(_("agenda"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=20, choices=ConversationStatus.choices, default=ConversationStatus.PLANNED
    )
    citizen_response = models.CharField(
        _("the citizen's answer"), max_length=20, choices=CitizenResponse.choices, blank=True, default=""
    )
    citizen_message = models.TextField(_("the citizen's message"), blank=True, max_length=2000)
    citizen_responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True, max_length=4000)
    outcome_recorded_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("outcome recorded by"),
    )
    plan_item_id = models.BigIntegerField(_("plan item"), null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["municipality", "citizen", "starts_at"]),
                   models.Index(fields=["municipality", "status", "starts_at"])]


class PushKind(models.TextChoices):
    POSTING = "posting", _("Job posting")
    CONTENT = "content", _("Service or content")


class Push(TenantOwnedModel):
    """A job or a piece of content sent by staff to one citizen or a group, and to whom."""

    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("sent by")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PushKind.choices)
    posting_id = models.BigIntegerField(_("job posting"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    criteria = models.JSONField(_("who it was meant for"), default=dict, blank=True)
    cap = models.PositiveIntegerField(_("at most"), default=1)
    matched_count = models.PositiveIntegerField(_("citizens found"), default=0)
    recipient_count = models.PositiveIntegerField(_("citizens reached"), default=0)
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)

    class Meta:
        verbose_name = _("push")
        verbose_name_plural = _("pushes")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["municipality", "idempotency_key"], name="push_once")]


class PushRecipient(TenantOwnedModel):
    push = models.ForeignKey(Push, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("push"))
    citizen = models.ForeignKey(
        "citizens.Citizen", on_delete=models.CASCADE, related_name="staff_pushes", verbose_name=_("citizen")
    )
    reason = models.CharField(_("why this citizen"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("push recipient")
        verbose_name_plural = _("push recipients")
        constraints = [models.UniqueConstraint(fields=["push", "citizen"], name="push_recipient_once")]


class CitizenOpened(TenantOwnedModel):
    """When a staff member last opened a citizen's page: a citizen never opened is "new to me"."""

    staff_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("staff member")
    )
    citizen = models.ForeignKey(
        "citizens.Citizen", on_delete=models.CASCADE, related_name="+", verbose_name=_("citizen")
    )
    opened_at = models.DateTimeField(_("last opened"))

    class Meta:
        verbose_name = _("opened citizen")
        verbose_name_plural = _("opened citizens")
        constraints = [models.UniqueConstraint(fields=["staff_user", "citizen"], name="citizen_opened_once")]


class AvailabilityMirror(TenantOwnedModel):
    """The availability state as last announced by the availability app's events.

    Availability and the staff workspace sit on the same layer and never import each other
    (ADR 0061); the worklist filters on this copy, kept in step by AvailabilityStateChanged.
    """

    citizen = models.OneToOneField(
        "citizens.Citizen", on_delete=models.CASCADE, related_name="+", verbose_name=_("citizen")
    )
    state = models.CharField(_("availability state"), max_length=20)
    deadline_on = models.DateField(_("deadline"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed"))

    STATE_LABELS = {"active": _("Active"), "deadline_near": _("Deadline near"),
                    "deadline_passed": _("Deadline passed"), "grace_over": _("Grace period over")}

    @property
    def state_label(self) -> str:
        return str(self.STATE_LABELS.get(self.state, self.state))

    class Meta:
        verbose_name = _("availability state (copy)")
        verbose_name_plural = _("availability states (copy)")
        indexes = [models.Index(fields=["municipality", "state"])]
