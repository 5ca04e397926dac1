"""Nudge journeys (interaktionsforløb): a municipality's sequence of steps for citizens on a track, versioned,
run by the engine (engine.py), with experiments on a journey or one of its steps.

- A `Journey` targets one follow-up track. Its steps live on a `JourneyVersion`: a draft is edited, publishing
  freezes it (services refuse every change to a published version), and a citizen's `Enrolment` points at the
  version they started on, so a new version never changes a running citizen's journey.
- `StepRun` is the engine's idempotency key: one row per (enrolment, step, purpose), written in the same
  transaction as the notice in the notifications outbox. A worker that dies mid-batch rolls back both; a
  re-run finds the row and sends nothing twice.
- `Experiment` arms (`Variant`, with weights; `VariantText` for each step's text in a whole-journey experiment)
  and a holdout: `Assignment` is sticky (unique per experiment and citizen) and `Exposure` records when a
  citizen first met their arm (docs/adr/0100-journeys-versions-engine-and-experiments.md, 0140).
- `ResultSnapshot`: an experiment's result as last computed, what its results page shows (docs/adr/0160).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jobunivers.core.models import TenantOwnedModel

TITLE_MAX = 120
BODY_MAX = 1000
WAIT_DAYS_MAX = 365
CONDITION_DAYS_MAX = 60
STEPS_MAX = 30
END = 0  # a branch to position 0 ends the journey
HOLDOUT = "holdout"


class StepKind(models.TextChoices):
    MESSAGE = "message", _("Send a message")
    CHECKLIST = "checklist", _("Send a checklist")
    OFFER = "offer", _("Share an offer from the marketplace")
    LESSON = "lesson", _("Share a learning module")
    JOBS = "jobs", _("Point to the recommended jobs")
    FEEDBACK = "feedback", _("Ask for feedback")
    BOOKING = "booking", _("Propose a booked conversation")


class Condition(models.TextChoices):
    NONE = "none", _("No condition: go on after the wait")
    OPENED = "opened", _("Opened the notice")
    CLICKED = "clicked", _("Followed the link")
    COMPLETED = "completed", _("Completed the learning module")
    LOGGED_IN = "logged_in", _("Logged in")
    JOB_LOG = "job_log", _("Wrote in the job log")
    BOOKED = "booked", _("Booked a conversation")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Replaced by a newer version")


class Journey(TenantOwnedModel):
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    why = models.CharField(_("why citizens are on it (shown to them)"), max_length=300)
    track_key = models.SlugField(_("follow-up track"), max_length=40)
    is_active = models.BooleanField(_("enrols new citizens"), default=True)

    class Meta:
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class JourneyVersion(TenantOwnedModel):
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="versions",
                                verbose_name=_("journey"))
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))

    class Meta:
        verbose_name = _("journey version")
        verbose_name_plural = _("journey versions")
        ordering = ["journey_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "number"], name="journeys_version_number_once"),
            # One draft to edit and one version new citizens start on: the database decides a race.
            models.UniqueConstraint(fields=["journey"], condition=Q(status="draft"), name="journeys_one_draft"),
            models.UniqueConstraint(fields=["journey"], condition=Q(status="published"),
                                    name="journeys_one_published"),
        ]


class Step(TenantOwnedModel):
    version = models.ForeignKey(JourneyVersion, on_delete=models.CASCADE, related_name="steps",
                                verbose_name=_("version"))
    position = models.PositiveSmallIntegerField(_("step number"))
    kind = models.CharField(_("what the step does"), max_length=12, choices=StepKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("text"), max_length=BODY_MAX, blank=True)
    target = models.CharField(_("offer or module"), max_length=80, blank=True)
    wait_days = models.PositiveSmallIntegerField(_("wait before the step (days)"), default=0)
    weekdays_only = models.BooleanField(_("count weekdays only"), default=False)
    condition = models.CharField(_("condition"), max_length=12, choices=Condition.choices, default=Condition.NONE)
    condition_days = models.PositiveSmallIntegerField(_("days to meet the condition"), default=7)
    reminder_after_days = models.PositiveSmallIntegerField(_("reminder after (days)"), null=True, blank=True)
    next_if_met = models.PositiveSmallIntegerField(_("then go to step"), null=True, blank=True)
    next_if_not = models.PositiveSmallIntegerField(_("otherwise go to step"), null=True, blank=True)
    mandatory = models.BooleanField(_("mandatory (the citizen cannot opt out)"), default=False)

    class Meta:
        verbose_name = _("journey step")
        verbose_name_plural = _("journey steps")
        ordering = ["version_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="journeys_step_position_once"),
            models.CheckConstraint(condition=Q(position__gte=1), name="journeys_step_position_positive"),
            models.CheckConstraint(condition=Q(wait_days__lte=WAIT_DAYS_MAX), name="journeys_step_wait_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class ExperimentStatus(models.TextChoices):
    DRAFT = "draft", _("Not started")
    RUNNING = "running", _("Running")
    STOPPED = "stopped", _("Stopped")


class Experiment(TenantOwnedModel):
    """Arms on a journey version (every step's wait, and each step's text through `VariantText`) or on one of
    its steps (its text and wait)."""

    version = models.OneToOneField(JourneyVersion, on_delete=models.CASCADE, related_name="experiment",
                                   verbose_name=_("journey version"))
    step = models.ForeignKey(Step, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("step"))
    key = models.SlugField(_("experiment key"), max_length=60)
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    holdout_percent = models.PositiveSmallIntegerField(_("holdout (percent who get no journey)"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=ExperimentStatus.choices,
                              default=ExperimentStatus.DRAFT)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        constraints = [
            # The key seeds the assignment: reusing it would give the same citizens the same arms.
            models.UniqueConstraint(fields=["municipality", "key"], name="journeys_experiment_key_once"),
            models.CheckConstraint(condition=Q(holdout_percent__lte=50), name="journeys_holdout_at_most_half"),
        ]

    def __str__(self) -> str:
        return self.name


class Variant(TenantOwnedModel):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="variants",
                                   verbose_name=_("experiment"))
    key = models.SlugField(_("arm"), max_length=20)
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    weight = models.PositiveSmallIntegerField(_("weight (percent)"))
    title = models.CharField(_("title in this arm"), max_length=TITLE_MAX, blank=True)
    body = models.TextField(_("text in this arm"), max_length=BODY_MAX, blank=True)
    wait_days = models.PositiveSmallIntegerField(_("wait in this arm (days)"), null=True, blank=True)

    class Meta:
        verbose_name = _("experiment arm")
        verbose_name_plural = _("experiment arms")
        ordering = ["experiment_id", "key"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "key"], name="journeys_variant_key_once"),
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="journeys_variant_weight"),
        ]


class VariantText(TenantOwnedModel):
    """An arm's own title and/or text for one step of a whole-journey experiment (empty: the step's own).
    An experiment on one step keeps its arm's text on `Variant` (docs/adr/0140)."""

    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="texts",
                                verbose_name=_("experiment arm"))
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="+", verbose_name=_("step"))
    title = models.CharField(_("title in this arm"), max_length=TITLE_MAX, blank=True)
    body = models.TextField(_("text in this arm"), max_length=BODY_MAX, blank=True)

    class Meta:
        verbose_name = _("experiment arm's step text")
        verbose_name_plural = _("experiment arms' step texts")
        ordering = ["variant_id", "step_id"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "step"], name="journeys_variant_text_once"),
            # A row with nothing in it would only hide that the arm uses the step's own text.
            models.CheckConstraint(condition=~Q(title="", body=""), name="journeys_variant_text_not_empty"),
        ]


class Assignment(TenantOwnedModel):
    """Sticky: the first assignment of a citizen in an experiment is the only one."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="assignments",
                                   verbose_name=_("experiment"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    arm = models.SlugField(_("arm"), max_length=20)
    assigned_at = models.DateTimeField(_("assigned"))

    class Meta:
        verbose_name = _("experiment assignment")
        verbose_name_plural = _("experiment assignments")
        constraints = [models.UniqueConstraint(fields=["experiment", "citizen"], name="journeys_assigned_once")]


class Exposure(TenantOwnedModel):
    """The first time a citizen met their arm (the step was sent, or, in the holdout, would have been)."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="exposures",
                                   verbose_name=_("experiment"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    arm = models.SlugField(_("arm"), max_length=20)
    exposed_at = models.DateTimeField(_("exposed"))

    class Meta:
        verbose_name = _("experiment exposure")
        verbose_name_plural = _("experiment exposures")
        constraints = [models.UniqueConstraint(fields=["experiment", "citizen"], name="journeys_exposed_once")]


class ResultSnapshot(TenantOwnedModel):
    """An experiment's result as computed at `computed_at` (journeys.snapshots, docs/adr/0160): the results page
    shows the newest instead of analysing every assigned citizen on each view. Aggregates only (counts and means
    per arm, differences, intervals, p-values; arms with fewer than five citizens are shown as "< 5" by the page),
    no citizen: not personal data. The newest few per experiment are kept (snapshots.KEEP)."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="result_snapshots",
                                   verbose_name=_("experiment"))
    computed_at = models.DateTimeField(_("computed"))
    format_version = models.PositiveSmallIntegerField(_("format version"))
    analysis = models.JSONField(_("result"), null=True, blank=True,
                                help_text=_("Empty when the statistics could not be computed yet."))
    units = models.PositiveIntegerField(_("citizens counted"))
    seconds = models.FloatField(_("seconds taken"))

    class Meta:
        verbose_name = _("stored experiment result")
        verbose_name_plural = _("stored experiment results")
        indexes = [models.Index(fields=["experiment", "-computed_at"], name="journeys_snapshot_newest")]

    def __str__(self) -> str:
        return f"{self.experiment_id} {self.computed_at:%Y-%m-%d %H:%M}"


class EnrolmentState(models.TextChoices):
    ACTIVE = "active", _("On the journey")
    HOLDOUT = "holdout", _("In the comparison group (no steps)")
    COMPLETED = "completed", _("Journey completed")
    EXITED = "exited", _("Left the journey")


class ExitReason(models.TextChoices):
    NONE = "", _("–")
    JOB_FOUND = "job_found", _("Found a job")
    TRACK_CHANGED = "track_changed", _("Changed follow-up track")
    JOURNEY_STOPPED = "journey_stopped", _("The journey was stopped")


class Phase(models.TextChoices):
    SEND = "send", _("Waiting to send the step")
    CHECK = "check", _("Waiting for the condition")


class Enrolment(TenantOwnedModel):
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="+", verbose_name=_("journey"))
    version = models.ForeignKey(JourneyVersion, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("version"))
    arm = models.SlugField(_("arm"), max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(_("current step"), default=1)
    phase = models.CharField(_("phase"), max_length=5, choices=Phase.choices, default=Phase.SEND)
    state = models.CharField(_("state"), max_length=10, choices=EnrolmentState.choices,
                             default=EnrolmentState.ACTIVE)
    exit_reason = models.CharField(_("why it ended"), max_length=20, choices=ExitReason.choices, blank=True)
    reason = models.CharField(_("why the citizen is on it"), max_length=300)
    next_due_at = models.DateTimeField(_("next action"), null=True, blank=True)
    check_until = models.DateTimeField(_("condition deadline"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("journey enrolment")
        verbose_name_plural = _("journey enrolments")
        constraints = [models.UniqueConstraint(fields=["citizen", "journey"], name="journeys_enrolled_once")]
        indexes = [models.Index(fields=["state", "next_due_at"], name="journeys_enrolment_due",
                                condition=Q(state="active"))]


class OptOut(TenantOwnedModel):
    """The citizen said no to the non-mandatory steps of a journey."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    journey = models.ForeignKey(Journey, on_delete=models.CASCADE, related_name="+", verbose_name=_("journey"))

    class Meta:
        verbose_name = _("opt-out of a journey")
        verbose_name_plural = _("opt-outs of journeys")
        constraints = [models.UniqueConstraint(fields=["citizen", "journey"], name="journeys_opt_out_once")]


class RunPurpose(models.TextChoices):
    STEP = "step", _("The step")
    REMINDER = "reminder", _("Reminder")


class RunState(models.TextChoices):
    PENDING = "pending", _("Being sent")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Not sent")


class StepRun(TenantOwnedModel):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="runs",
                                  verbose_name=_("enrolment"))
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="+", verbose_name=_("step"))
    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("citizen"))
    purpose = models.CharField(_("purpose"), max_length=10, choices=RunPurpose.choices, default=RunPurpose.STEP)
    state = models.CharField(_("state"), max_length=10, choices=RunState.choices, default=RunState.PENDING)
    skip_reason = models.CharField(_("why it was not sent"), max_length=20, blank=True)
    arm = models.SlugField(_("arm"), max_length=20, blank=True)
    ran_at = models.DateTimeField(_("run at"))
    clicked_at = models.DateTimeField(_("link followed"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("journey step run")
        verbose_name_plural = _("journey step runs")
        constraints = [
            # The engine's idempotency key: a re-run after a crash finds this row and sends nothing again.
            models.UniqueConstraint(fields=["enrolment", "step", "purpose"], name="journeys_step_run_once"),
        ]
        indexes = [models.Index(fields=["municipality", "ran_at"], name="journeys_run_time")]
