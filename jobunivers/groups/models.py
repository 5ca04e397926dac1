"""Blended courses and job clubs (issue 18, ADR 0120): one engine for both.

A group is run by one municipality (`municipality`, the owner). A job club may be cross-municipal and
virtual: citizens of the partner municipalities may join it too. Enrolments and attendance belong to the
citizen's municipality (their `municipality` is the citizen's, not the group's), so the tenant manager of
the citizen's municipality finds them and another municipality's staff never do.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobunivers.core.models import TenantOwnedModel

CAPACITY_MAX = 200


class GroupKind(models.TextChoices):
    COURSE = "course", pgettext_lazy("groups", "Blended course")
    JOB_CLUB = "job_club", pgettext_lazy("groups", "Job club")


class GroupStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("groups", "Open")
    CLOSED = "closed", pgettext_lazy("groups", "Closed")


class Group(TenantOwnedModel):
    """A blended course or a job club, run by `municipality` (the owner)."""

    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"))
    is_cross_municipal = models.BooleanField(_("open to citizens of other municipalities (online)"), default=False)
    partners = models.ManyToManyField("tenancy.Municipality", blank=True, related_name="+",
                                      verbose_name=_("partner municipalities"))
    status = models.CharField(_("status"), max_length=20, choices=GroupStatus.choices, default=GroupStatus.OPEN)
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                      verbose_name=_("teachers"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    # A marketplace vendor whose members teach the group too (chosen by staff among vendors with an offer
    # enabled in the municipality, through marketplace.selectors.vendors_offering_in).
    vendor = models.ForeignKey("marketplace.Vendor", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("vendor teaching"))

    class Meta:
        verbose_name = _("course or job club")
        verbose_name_plural = _("courses and job clubs")
        ordering = ["title", "id"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1) & Q(capacity__lte=CAPACITY_MAX),
                                              name="groups_capacity_1_to_200")]

    def __str__(self) -> str:
        return self.title


class Session(TenantOwnedModel):
    """A meeting of a group: a place, a video link, or both. Its municipality is the group's."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("group"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    agenda = models.CharField(_("what happens"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="groups_session_ends_after_start"),
            models.CheckConstraint(condition=~Q(place="") | ~Q(video_link=""), name="groups_session_place_or_link"),
        ]


class DigitalTask(TenantOwnedModel):
    """A task between a course's meetings: a learning module (by id, through learning's selectors) or a
    free text, with a due date. It lands in every enrolled citizen's plan."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("group"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    module_id = models.PositiveIntegerField(_("learning module"), null=True, blank=True)
    due_on = models.DateField(_("due"))

    class Meta:
        verbose_name = _("digital task")
        verbose_name_plural = _("digital tasks")
        ordering = ["due_on", "id"]


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", pgettext_lazy("groups", "Enrolled")
    WAITING = "waiting", pgettext_lazy("groups", "On the waiting list")
    COMPLETED = "completed", pgettext_lazy("groups", "Completed")
    LEFT = "left", pgettext_lazy("groups", "Left")


TAKING_A_PLACE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)


class Enrolment(TenantOwnedModel):
    """A citizen in a group, or on its waiting list. `municipality` is the citizen's. The waiting list is
    first come, first served by `queued_at` (then id)."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("group"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices)
    queued_at = models.DateTimeField(_("signed up"))
    enrolled_at = models.DateTimeField(_("got a place"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    share_with_job_centre = models.BooleanField(_("the job centre may see my attendance and the teacher's notes"),
                                                default=False)
    plan_item = models.ForeignKey("citizens.PlanItem", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("plan item"))

    class Meta:
        verbose_name = _("enrolment in a course or job club")
        verbose_name_plural = _("enrolments in courses and job clubs")
        ordering = ["queued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["group", "citizen"], name="groups_one_enrolment_per_group")]
        indexes = [models.Index(fields=["group", "status", "queued_at"], name="groups_enrolment_queue")]


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", pgettext_lazy("groups", "Attended")
    ABSENT = "absent", pgettext_lazy("groups", "Absent")
    EXCUSED = "excused", pgettext_lazy("groups", "Excused")


class Attendance(TenantOwnedModel):
    """A citizen's place at one meeting: the plan item for it and, once the teacher recorded it, whether
    they came and a short note. `municipality` is the citizen's. `status` empty: not recorded yet."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances",
                                verbose_name=_("group meeting"))
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances",
                                  verbose_name=_("enrolment"))
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices, blank=True)
    note = models.CharField(_("teacher's note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    plan_item = models.ForeignKey("citizens.PlanItem", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("plan item"))

    class Meta:
        verbose_name = _("attendance at a group meeting")
        verbose_name_plural = _("attendance at group meetings")
        ordering = ["session__starts_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="groups_attendance_once")]


class TaskItem(TenantOwnedModel):
    """A digital task in one citizen's plan. `municipality` is the citizen's."""

    task = models.ForeignKey(DigitalTask, on_delete=models.CASCADE, related_name="items", verbose_name=_("task"))
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="task_items",
                                  verbose_name=_("enrolment"))
    plan_item = models.ForeignKey("citizens.PlanItem", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("plan item"))

    class Meta:
        verbose_name = _("digital task in a plan")
        verbose_name_plural = _("digital tasks in plans")
        constraints = [models.UniqueConstraint(fields=["task", "enrolment"], name="groups_task_item_once")]
