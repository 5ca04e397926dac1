"""Coffee meetings (kaffemøder, issue 18; ADR 0110): an employer's invitation, the cards it becomes for
citizens who fit and allow it, each citizen's one answer (with the snapshot of what a yes shared), the
booked meeting and its outcome, and the funnel events per step (NAV's recruitment meetings).

The invitation is national, like the employer who owns it; everything about a citizen belongs to the
citizen's municipality."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jobunivers.core.models import TenantOwnedModel


class JobKind(models.TextChoices):
    """ISCO-08 major groups (DISCO-08 hovedgrupper): the kinds of job a citizen may be seen for."""

    MANAGERS = "1", _("Managers")
    PROFESSIONALS = "2", _("Professionals (work that requires a higher education)")
    TECHNICIANS = "3", _("Technicians and associate professionals")
    CLERICAL = "4", _("Office and customer service work")
    SERVICE = "5", _("Service, care and sales work")
    AGRICULTURE = "6", _("Agriculture, forestry and fishery")
    CRAFT = "7", _("Craft and related trades")
    OPERATORS = "8", _("Machine operators, drivers and assemblers")
    ELEMENTARY = "9", _("Elementary work (cleaning, warehouse, kitchen help and the like)")


class SharedField(models.TextChoices):
    """What a citizen may choose to show an employer (citizens.contracts.EmployerFacts)."""

    NAME = "name", _("My name")
    OCCUPATIONS = "occupations", _("Occupations I seek")
    SKILLS = "skills", _("My skills")
    EXPERIENCE = "experience", _("My work experience")
    EDUCATION = "education", _("My education")
    SUMMARY = "summary", _("My CV summary (the text about me)")
    AREA = "area", _("Postcode and town (never my address)")


class Visibility(TenantOwnedModel):
    """The citizen's choice: invitations to coffee meetings, and being seen by employers for these kinds of
    job, showing only these fields. No row, or `is_open` false: no employer ever sees the citizen."""

    citizen = models.OneToOneField("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("citizen"))
    is_open = models.BooleanField(_("visible to employers"), default=False)
    job_kinds = models.JSONField(_("kinds of job"), default=list, blank=True)
    fields = models.JSONField(_("what employers may see"), default=list, blank=True)

    class Meta:
        verbose_name = _("visibility to employers")
        verbose_name_plural = _("visibility to employers")

    def __str__(self) -> str:
        return f"{self.citizen_id}: {'open' if self.is_open else 'closed'}"


class InvitationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Invitation(models.Model):
    """An employer's invitation to short informal meetings about a role."""

    employer = models.ForeignKey("jobs.Employer", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("employer"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    title = models.CharField(pgettext_lazy("job offered", "role"), max_length=200)
    occupation = models.ForeignKey("taxonomy.Occupation", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=pgettext_lazy("job offered", "occupation"))
    needs = models.TextField(_("what we are looking for"), max_length=2000)
    place = models.CharField(_("meeting place"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode of the meeting place"), max_length=4, blank=True)
    video_link = models.URLField(_("video meeting link"), max_length=500, blank=True)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    day_starts = models.TimeField(_("meetings from"))
    day_ends = models.TimeField(_("meetings until"))
    meeting_minutes = models.PositiveSmallIntegerField(_("minutes per meeting"), default=30)
    meetings = models.PositiveSmallIntegerField(_("number of meetings"))
    status = models.CharField(_("status"), max_length=10, choices=InvitationStatus.choices,
                              default=InvitationStatus.OPEN)
    published_at = models.DateTimeField(_("published"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("coffee-meeting invitation")
        verbose_name_plural = _("coffee-meeting invitations")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "last_day"], name="coffee_invitation_open")]

    def __str__(self) -> str:
        return self.title


class Offer(TenantOwnedModel):
    """An invitation shown to one citizen (a card), from the moment it was offered until the meeting's end."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="offers",
                                   verbose_name=_("invitation"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    score = models.FloatField(_("fit (0-1)"))
    reasons = models.JSONField(_("reasons for the fit"), default=list, blank=True)
    accepted_at = models.DateTimeField(_("accepted by the employer"), null=True, blank=True)
    meeting_at = models.DateTimeField(_("meeting time"), null=True, blank=True)
    citizen_attendance = models.CharField(_("attendance as the citizen recorded it"), max_length=10, blank=True)
    employer_attendance = models.CharField(_("attendance as the employer recorded it"), max_length=10, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("coffee-meeting card")
        verbose_name_plural = _("coffee-meeting cards")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "citizen"], name="coffee_offer_once_per_citizen"),
            # One winner per time: two candidates are never booked for the same meeting slot.
            models.UniqueConstraint(fields=["invitation", "meeting_at"], name="coffee_one_meeting_per_slot",
                                    condition=models.Q(meeting_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id} → {self.citizen_id}"


class AnswerChoice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")


class Answer(TenantOwnedModel):
    """The citizen's one answer to a card. The one-to-one key refuses a second answer in the database, so two
    quick taps (or two tabs) can never both count. A yes carries the snapshot of what it shared."""

    offer = models.OneToOneField(Offer, on_delete=models.CASCADE, related_name="answer", verbose_name=_("card"))
    choice = models.CharField(_("answer"), max_length=3, choices=AnswerChoice.choices)
    answered_at = models.DateTimeField(_("answered"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    on_behalf = models.BooleanField(_("answered by the job centre on the citizen's behalf"), default=False)
    on_behalf_reason = models.CharField(_("why the job centre answered"), max_length=500, blank=True)
    shared = models.JSONField(_("what the answer shared with the employer"), default=dict, blank=True)

    class Meta:
        verbose_name = _("answer to a coffee meeting")
        verbose_name_plural = _("answers to coffee meetings")

    def __str__(self) -> str:
        return f"{self.offer_id}: {self.choice}"


class Step(models.TextChoices):
    SHOWN = "shown", _("Shown")
    YES = "yes", _("Said yes")
    NO = "no", _("Said no")
    ACCEPTED = "accepted", _("Accepted by the employer")
    MET = "met", _("Met")
    NO_SHOW = "no_show", _("Did not meet")
    INTERVIEW = "interview", _("Job interview")
    JOB = "job", _("Got the job")


class FunnelEvent(TenantOwnedModel):
    """One step of one card, once. Kept without the card (SET_NULL) when a citizen's data is erased, so the
    funnel's counts stay true and hold no one's identity."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("invitation"))
    offer = models.ForeignKey(Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="events",
                              verbose_name=_("card"))
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    at = models.DateTimeField(_("when"))

    class Meta:
        verbose_name = _("coffee-meeting funnel event")
        verbose_name_plural = _("coffee-meeting funnel events")
        constraints = [models.UniqueConstraint(fields=["offer", "step"], name="coffee_event_once_per_step")]
        indexes = [models.Index(fields=["municipality", "step"], name="coffee_event_step")]

    def __str__(self) -> str:
        return f"{self.invitation_id} {self.step}"
