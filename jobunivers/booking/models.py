"""Advisers' availability, conversations citizens book (or staff book for them), deadline windows for
self-booking, iCalendar invitations, and minutes with their agreements (ADR 0073)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobunivers.core.models import TenantOwnedModel

from .closed_days import default_closed_optional_days


class Channel(models.TextChoices):
    PHYSICAL = "physical", _("At the job centre")
    VIDEO = "video", _("Video")
    PHONE = "phone", _("Phone")


class BookingSettings(TenantOwnedModel):
    """A municipality's booking policy, edited by its administrators (one row per municipality)."""

    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=15, validators=[MinValueValidator(10), MaxValueValidator(60)])
    notice_working_days = models.PositiveSmallIntegerField(
        _("minimum notice (working days)"), default=1, validators=[MaxValueValidator(10)])
    buffer_minutes = models.PositiveSmallIntegerField(
        _("pause between conversations (minutes)"), default=0, validators=[MaxValueValidator(60)])
    daily_cap_per_adviser = models.PositiveSmallIntegerField(
        _("conversations per adviser per day, at most"), default=16, validators=[MinValueValidator(1),
                                                                               MaxValueValidator(64)])
    video_provider = models.CharField(_("video meeting provider"), max_length=40, default="room")
    retention_days = models.PositiveIntegerField(
        _("keep bookings and minutes (days after the conversation)"), default=5 * 365,
        validators=[MinValueValidator(30)])
    closed_optional_days = models.JSONField(
        _("also closed on"), default=default_closed_optional_days, blank=True,
        help_text=_("Public holidays are always closed. Choose the other days the job centre is closed."))

    class Meta:
        verbose_name = _("booking settings")
        verbose_name_plural = _("booking settings")
        constraints = [models.UniqueConstraint(fields=["municipality"], name="booking_settings_once")]


class Location(TenantOwnedModel):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    room = models.CharField(_("room"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("meeting place")
        verbose_name_plural = _("meeting places")
        ordering = ["name"]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.name, self.room, self.address) if part)


class WeeklyAvailability(TenantOwnedModel):
    """An adviser's recurring hours: every <weekday> from <starts> to <ends>, in these channels."""

    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("adviser"))
    weekday = models.PositiveSmallIntegerField(_("weekday"), validators=[MaxValueValidator(6)])
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    physical = models.BooleanField(_("at the job centre"), default=True)
    video = models.BooleanField(_("video"), default=True)
    phone = models.BooleanField(_("phone"), default=True)
    location = models.ForeignKey(Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("meeting place"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availability")
        ordering = ["adviser_id", "weekday", "starts"]
        indexes = [models.Index(fields=["municipality", "weekday"])]
        constraints = [models.CheckConstraint(condition=Q(ends__gt=models.F("starts")),
                                              name="booking_availability_ends_after_start")]

    def channels(self) -> list[str]:
        return [c for c in Channel.values if getattr(self, c)]


class AvailabilityException(TenantOwnedModel):
    """The adviser is away on this day (whole day, or from-until)."""

    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("adviser"))
    day = models.DateField(_("day"))
    starts = models.TimeField(_("from"), null=True, blank=True)
    ends = models.TimeField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        indexes = [models.Index(fields=["municipality", "day"])]


class Purpose(models.TextChoices):
    JOB = "job", _("A job I have saved")
    PLAN = "plan", _("My plan")
    JOB_SEARCH = "job_search", _("My job search")
    OTHER = "other", _("Something else")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    HELD = "held", _("Held")
    NO_SHOW = "no_show", _("The citizen did not come")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_STATUSES = (BookingStatus.BOOKED, BookingStatus.HELD, BookingStatus.NO_SHOW)


class BookedBy(models.TextChoices):
    CITIZEN = "citizen", _("The citizen")
    STAFF = "staff", _("The job centre")


class BookingWindow(TenantOwnedModel):
    """Staff require a conversation inside a window; the citizen books it themselves (Selvbook)."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+", verbose_name=_("requested by"))
    opens_on = models.DateField(_("book from"))
    closes_on = models.DateField(_("book by"))
    note = models.CharField(_("what the conversation is about"), max_length=300, blank=True)
    plan_item_id = models.BigIntegerField(_("plan item"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("booked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking deadline")
        verbose_name_plural = _("booking deadlines")
        ordering = ["closes_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                              name="booking_window_closes_after_open")]


class SelfBookingExemption(TenantOwnedModel):
    """The citizen cannot book themselves (IT skills, language, disability, interpreter): staff book."""

    citizen = models.OneToOneField("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("citizen"))
    reason = models.CharField(_("reason"), max_length=300)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("decided by"))

    class Meta:
        verbose_name = _("exemption from self-booking")
        verbose_name_plural = _("exemptions from self-booking")


class Booking(TenantOwnedModel):
    """A conversation in an adviser's slot. A self-booked conversation counts as a summons (ADR 0073)."""

    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(_("calendar version"), default=0)
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    adviser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("adviser"))
    starts_at = models.DateTimeField(_("time"))
    ends_at = models.DateTimeField(_("ends"))
    channel = models.CharField(_("form"), max_length=20, choices=Channel.choices)
    location = models.ForeignKey(Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name=_("meeting place"))
    video_link = models.URLField(_("video meeting link"), max_length=500, blank=True)
    purpose = models.CharField(_("what about"), max_length=20, choices=Purpose.choices)
    posting_id = models.BigIntegerField(_("job ad"), null=True, blank=True)
    posting_title = models.CharField(_("job"), max_length=300, blank=True)
    text = models.TextField(_("what you would like to talk about"), max_length=1000, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=BookingStatus.choices,
                              default=BookingStatus.BOOKED)
    booked_by_kind = models.CharField(_("booked by"), max_length=10, choices=BookedBy.choices)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                  verbose_name=_("booked by user"))
    idempotency_key = models.CharField(_("request key"), max_length=64)
    window = models.ForeignKey(BookingWindow, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("booking deadline"))
    plan_item_id = models.BigIntegerField(_("plan item"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    outcome_recorded_at = models.DateTimeField(_("attendance recorded at"), null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                            blank=True, related_name="+", verbose_name=_("recorded by"))
    reminded_day_before_at = models.DateTimeField(_("reminded a day before"), null=True, blank=True)
    reminded_hour_before_at = models.DateTimeField(_("reminded an hour before"), null=True, blank=True)

    class Meta:
        verbose_name = _("booked conversation")
        verbose_name_plural = _("booked conversations")
        ordering = ["starts_at", "id"]
        constraints = [
            # Exactly one live booking per adviser and start time: the database decides a race.
            models.UniqueConstraint(fields=["adviser", "starts_at"], condition=~Q(status="cancelled"),
                                    name="booking_one_per_slot"),
            models.UniqueConstraint(fields=["citizen", "starts_at"], condition=~Q(status="cancelled"),
                                    name="booking_citizen_one_at_a_time"),
            # A retried request (double click, reload, network retry) finds the booking it made.
            models.UniqueConstraint(fields=["citizen", "idempotency_key"], name="booking_idempotency_key"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"),
        ]
        indexes = [models.Index(fields=["municipality", "starts_at"]),
                   models.Index(fields=["citizen", "starts_at"]),
                   # The results dashboard counts the citizens with held conversations: an index-only scan
                   # (2,000,000 bookings: 890 -> 240 ms on PostgreSQL).
                   models.Index(fields=["municipality", "status", "citizen"], name="booking_status_citizen")]


class InvitationMethod(models.TextChoices):
    REQUEST = "REQUEST", _("Invitation")
    CANCEL = "CANCEL", _("Cancellation")


class Invitation(TenantOwnedModel):
    """One iCalendar message sent for a booking: the booking's uid with an increasing sequence."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="invitations",
                                verbose_name=_("booked conversation"))
    sequence = models.PositiveIntegerField(_("calendar version"))
    method = models.CharField(_("kind"), max_length=10, choices=InvitationMethod.choices)
    ics = models.TextField(_("calendar file"))

    class Meta:
        verbose_name = _("calendar invitation")
        verbose_name_plural = _("calendar invitations")
        ordering = ["booking_id", "sequence"]
        constraints = [models.UniqueConstraint(fields=["booking", "sequence"], name="invitation_once_per_sequence")]


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared with the citizen")


class Minutes(TenantOwnedModel):
    """What was said and agreed in a conversation. Shared minutes never change; a correction follows them."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    booking = models.ForeignKey(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="minutes",
                                verbose_name=_("booked conversation"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name=_("written by"))
    talked_about = models.TextField(_("what we talked about"), max_length=4000)
    jobs_to_apply_for = models.TextField(_("jobs to apply for"), max_length=2000, blank=True)
    next_conversation = models.CharField(_("next conversation"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    corrects = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="correction", verbose_name=_("corrects"))

    class Meta:
        verbose_name = pgettext_lazy("meeting", "minutes")
        verbose_name_plural = pgettext_lazy("meeting", "minutes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["citizen", "-created_at"])]


class Agreement(TenantOwnedModel):
    """An activity agreed in the conversation; once shared it is an "agreed with the job centre" plan item."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="agreements",
                                verbose_name=pgettext_lazy("meeting", "minutes"))
    title = models.CharField(_("activity"), max_length=200)
    due_on = models.DateField(_("deadline"))
    plan_item_id = models.BigIntegerField(_("plan item"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["due_on", "id"]


class MinutesComment(TenantOwnedModel):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments",
                                verbose_name=pgettext_lazy("meeting", "minutes"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("written by"))
    text = models.TextField(_("comment"), max_length=2000)

    class Meta:
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")
        ordering = ["created_at", "id"]
